"""What the printed documents are made from: plain data, independent of bundles and storage.

The reviewer workspace, the bundle import and the secretariat workspace each hold results
in their own shape; they adapt them to these few types through services, so the sheets
never depend on how results are stored or transported. Everything here is built from core
types only (:class:`Rubric`, :class:`Entry`), and the sheets score the entries themselves
with :func:`score_proposal`, so a printed total can never disagree with the form.

``result_digest`` is the digest of the signed result bundle the entries came from; it is
printed, verbatim, in every page footer and in the QR code so a paper sheet can be matched
to the digital result it claims to be.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import SheetError
from ..rubric import Rubric
from ..scoring import Entry, ProposalResult, score_proposal

#: Digests and fingerprints are printed in full; anything longer is not one of ours.
MAX_TOKEN_CHARS = 128


@dataclass(frozen=True)
class SheetContext:
    """The review round a document belongs to."""

    round_title: str
    round_id: str
    rubric: Rubric
    #: The round's target share per band id (0–1); ``None`` or missing: the rubric's defaults.
    band_targets: Mapping[str, Decimal | float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewerInfo:
    reviewer_id: str
    name: str
    #: Fingerprint of the key that signed the reviewer's result bundles (printed in full).
    key_fingerprint: str = ""


@dataclass(frozen=True)
class ProposalInfo:
    proposal_id: str
    title: str = ""
    institution: str = ""
    institution_type: str = ""  # 国立 / 公立 / 私立
    region: str = ""


@dataclass(frozen=True)
class ReviewerResult:
    """One reviewer's entries for one proposal, as signed in a result bundle."""

    proposal: ProposalInfo
    entries: tuple[Entry, ...] = ()
    conflict_of_interest: bool = False
    coi_reason: str = ""
    result_digest: str = ""
    #: Entries not (or no longer) those of a signed result, e.g. printed from a workspace changed
    #: since its last export: the footer says so instead of showing a digest it does not match.
    draft: bool = False

    def score(self, rubric: Rubric) -> ProposalResult:
        return score_proposal(rubric, self.entries)

    def entry(self, item_id: str) -> Entry | None:
        for e in self.entries:
            if e.item_id == item_id:
                return e
        return None


@dataclass(frozen=True)
class VerifiedResult:
    """A result the secretariat has imported and verified, with the reviewer who signed it."""

    reviewer: ReviewerInfo
    result: ReviewerResult


def check_token(value: str, field_name: str) -> str:
    """Digests and fingerprints go into footers and QR codes; refuse what would not fit or read."""
    v = value.strip()
    if len(v) > MAX_TOKEN_CHARS or not all(c.isascii() and c.isprintable() and c != " " for c in v):
        raise SheetError("sheets.bad_token", field=field_name, value=v[:MAX_TOKEN_CHARS])
    return v


def combined_digest(pairs: Iterable[tuple[str, ...]]) -> str:
    """A digest over several results (summary, panel): SHA-256 of their sorted ``a:b:digest`` lines.

    Order-independent, so the same set of results gives the same printed digest however
    the caller listed them; documented in ``docs/sheets-input.md`` for anyone re-computing it.
    """
    lines = sorted(":".join(p) for p in pairs)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
