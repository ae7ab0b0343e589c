"""Fresh passphrases for assignment bundles, made to be typed from a printed letter.

Six groups of five characters from a 32-symbol alphabet without the look-alikes a person
misreads on paper (no I, O, 0 or 1): 150 bits from the OS's CSPRNG, far beyond guessing
even before Argon2id, and the same form as ``bundle build``'s generated passphrases.
Groups and upper case only, so nobody wonders about spaces or case.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GROUPS = 6
GROUP_LEN = 5
#: Entropy of one passphrase, stated in the docs and checked by a test.
BITS = GROUPS * GROUP_LEN * 5


def new_passphrase() -> str:
    """E.g. ``K7QFM-2M3AX-P9D4H-6TRWE-NB5JC-Q8ZLA``."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LEN)) for _ in range(GROUPS))
