"""Size and cost limits from the format specification, checked before any allocation.

A hostile file can declare anything; these bounds decide what a reader is willing to read,
allocate or compute before a single byte of it is authenticated.
"""

from __future__ import annotations

from .model import KdfParams

MAX_HEADER_BYTES = 64 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 4096
MAX_BUNDLE_BYTES = 16 * 1024 * 1024 * 1024
MAX_RECIPIENTS = 8
MAX_NAME_CHARS = 64
#: A result bundle has no members: preamble, manifest, header and trailer at their limits.
MAX_RESULT_BYTES = 16 + MAX_MANIFEST_BYTES + MAX_HEADER_BYTES + 12
#: The smallest member: an empty plaintext still carries its 16-byte GCM tag.
MIN_MEMBER_BYTES = 16

ARGON2_MIN_MEMORY_KIB = 8
ARGON2_MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
ARGON2_MAX_ITERATIONS = 16
ARGON2_MAX_LANES = 16


def check_kdf_params(kdf: KdfParams, error: type[Exception] | None = None) -> None:
    """Refuse Argon2id costs a genuine writer never records (a hostile header could ask for 100 GiB)."""
    from ..errors import BundleLimitError

    ok = (
        1 <= kdf.lanes <= ARGON2_MAX_LANES
        and 1 <= kdf.iterations <= ARGON2_MAX_ITERATIONS
        and max(ARGON2_MIN_MEMORY_KIB, 8 * kdf.lanes) <= kdf.memory_kib <= ARGON2_MAX_MEMORY_KIB
    )
    if not ok:
        cls = error or BundleLimitError
        if cls is BundleLimitError:
            raise BundleLimitError(
                "bundle.limit.kdf_cost", memory_kib=kdf.memory_kib, iterations=kdf.iterations, lanes=kdf.lanes
            )
        raise cls("keys.file.kdf_cost", memory_kib=kdf.memory_kib, iterations=kdf.iterations, lanes=kdf.lanes)
