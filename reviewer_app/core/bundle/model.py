"""Values that cross the bundle boundary: what the secretariat puts in, what a reader gets out.

These are plain frozen dataclasses so the workspace, the sheets and the secretariat side can
depend on them without importing any cryptography. The byte layout lives in
``docs/bundle-format.md``; the JSON shape of each value is fixed by ``assignment.py`` and ``result.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

#: The three kinds of institution the program distinguishes (国立/公立/私立).
INSTITUTION_TYPES = ("国立", "公立", "私立")


class BundleKind(enum.Enum):
    ASSIGNMENT = "assignment"
    RESULT = "result"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost recorded in a header, so a reader derives with the writer's settings.

    ``memory_kib`` is the memory cost in KiB; the reader refuses values outside
    ``limits.ARGON2_*`` before running the KDF.
    """

    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4


@dataclass(frozen=True)
class RoundSettings:
    round_id: str
    title: str
    #: ISO-8601 date or date-time, or None when the secretariat set no deadline.
    deadline: str | None
    #: Target share (0..1) per band id of the rubric; None means "no target for this band".
    band_targets: dict[str, Decimal | None] = field(default_factory=dict)
    language: str = "ja"


@dataclass(frozen=True)
class ProposalMeta:
    proposal_id: str
    title: str
    institution: str
    institution_type: str  # one of INSTITUTION_TYPES
    region: str
    #: Figures from the proposal for the 5-level items, by rubric item id.
    figures: dict[str, Decimal] = field(default_factory=dict)
    #: Figures the rubric's 観点 checks name (e.g. the planned 留学生比率), by figure name:
    #: the secretariat's reading of the proposal, which the scoring engine compares with
    #: the 観点's level. Optional in the manifest (written only when non-empty).
    named_figures: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewerIdentity:
    reviewer_id: str
    name: str


@dataclass(frozen=True)
class AssignmentSpec:
    """Everything the secretariat decides for one reviewer's assignment bundle.

    ``pdfs`` maps proposal id to the PDF's path; the builder streams each file once.
    ``rubric_bytes`` are the exact bytes of the rubric file (embedded verbatim).
    """

    settings: RoundSettings
    reviewer: ReviewerIdentity
    rubric_bytes: bytes
    proposals: tuple[ProposalMeta, ...]
    pdfs: dict[str, str]


@dataclass(frozen=True)
class ResultEntry:
    item_id: str
    mark: str | None
    figure: Decimal | None = None
    comment: str = ""
    unjudgeable: bool = False
    unjudgeable_reason: str = ""


@dataclass(frozen=True)
class ResultProposal:
    proposal_id: str
    entries: tuple[ResultEntry, ...]
    conflict_of_interest: bool = False
    coi_reason: str = ""


@dataclass(frozen=True)
class ResultPayload:
    """What a reviewer submits; ``revision`` grows by one with every export of the same assignment."""

    bundle_id: str  # the assignment bundle this answers
    round_id: str
    reviewer_id: str
    rubric_digest: str
    revision: int
    proposals: tuple[ResultProposal, ...]
    distribution_justification: str = ""
    #: Hex digest of the head of the local audit log at export time.
    audit_digest: str = ""
    #: ISO-8601 date-time (UTC) of the export.
    created_at: str = ""
    #: ISO-8601 date-time the reviewer first unlocked the assignment, if known.
    started_at: str = ""


#: One decoded entry as plain values: (item_id, mark, figure, comment, unjudgeable, unjudgeable_reason).
EntryRecord = tuple[str, "str | None", "Decimal | None", str, bool, str]
#: One decoded proposal: (proposal_id, conflict_of_interest, coi_reason, entries).
ProposalRecord = tuple[str, bool, str, tuple[EntryRecord, ...]]


class EntryColumns(NamedTuple):
    """Every entry of a payload, proposal after proposal, as one column per field (the decoder's reading).

    What ``PayloadRecord.proposals`` holds entry by entry, for a reader that asks one question
    of all the entries at once (the secretariat's content check).
    """

    item_ids: tuple[str, ...]
    marks: tuple[str | None, ...]
    figures: tuple[Decimal | None, ...]
    comments: tuple[str, ...]
    flags: tuple[bool, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PayloadRecord:
    """A result payload as the strict decoder produces it: the same values as ``ResultPayload``
    with proposals and entries as plain tuples.

    The secretariat checks thousands of results per import; building a frozen dataclass per
    entry (and another per entry in the content check) cost more than the cryptography.
    Every other reader gets the ``ResultPayload`` of ``to_payload()``.
    """

    bundle_id: str
    round_id: str
    reviewer_id: str
    rubric_digest: str
    revision: int
    proposals: tuple[ProposalRecord, ...]
    distribution_justification: str
    audit_digest: str
    created_at: str
    started_at: str
    #: The entries of ``proposals`` as columns, when the decoder read them column by column (else None).
    entry_columns: EntryColumns | None = field(default=None, compare=False, repr=False)

    def to_payload(self) -> ResultPayload:
        return ResultPayload(
            self.bundle_id, self.round_id, self.reviewer_id, self.rubric_digest, self.revision,
            tuple(ResultProposal(pid, tuple(ResultEntry(*e) for e in entries), coi, reason)
                  for pid, coi, reason, entries in self.proposals),
            self.distribution_justification, self.audit_digest, self.created_at, self.started_at)

    @classmethod
    def from_payload(cls, p: ResultPayload) -> PayloadRecord:
        return cls(
            p.bundle_id, p.round_id, p.reviewer_id, p.rubric_digest, p.revision,
            tuple((r.proposal_id, r.conflict_of_interest, r.coi_reason,
                   tuple((e.item_id, e.mark, e.figure, e.comment, e.unjudgeable, e.unjudgeable_reason) for e in r.entries))
                  for r in p.proposals),
            p.distribution_justification, p.audit_digest, p.created_at, p.started_at)


@dataclass(frozen=True)
class RecipientInfo:
    """One way to unlock a bundle, as the plaintext header describes it (no secrets)."""

    type: str  # "passphrase" or "hpke"
    #: Fingerprint of the recipient's public key (hpke) or "" (passphrase).
    key_fingerprint: str = ""
    kdf: KdfParams | None = None


@dataclass(frozen=True)
class BundleHeader:
    """What can be learned from a bundle without its secret (``bundle inspect``).

    The header is authenticated only once the bundle is unlocked (its digest is the
    associated data of the manifest); until then treat every field as a claim.
    """

    format_version: int
    kind: BundleKind
    bundle_id: str
    #: Fingerprint of the key that claims to have signed the manifest.
    signer_fingerprint: str
    recipients: tuple[RecipientInfo, ...]
    file_size: int


class VerifyOutcome(enum.Enum):
    """The answer to "may this result bundle be imported?" (``bundle verify``)."""

    OK = "ok"
    DUPLICATE = "duplicate"  # same revision, same content, already imported
    STALE_REVISION = "stale_revision"  # older than (or conflicting with) what was imported
    WRONG_ROUND = "wrong_round"
    WRONG_REVIEWER = "wrong_reviewer"
    NOT_ISSUED = "not_issued"  # answers a bundle this secretariat never issued
    RUBRIC_MISMATCH = "rubric_mismatch"
    UNKNOWN_PROPOSAL = "unknown_proposal"  # a proposal not in the assignment
    UNBOUND_KEY = "unbound_key"  # the reviewer key is not authenticated by the assignment secret
    BAD_SIGNATURE = "bad_signature"
    WRONG_KEY = "wrong_key"  # not encrypted to this secretariat's key
    CORRUPT = "corrupt"  # damaged, truncated, not a bundle, unknown version


@dataclass(frozen=True)
class VerifyReport:
    outcome: VerifyOutcome
    #: Error code that explains a non-OK outcome (an ``error.<code>`` message exists for it).
    code: str = ""
    params: dict[str, object] = field(default_factory=dict)
    payload: ResultPayload | None = None
    reviewer_key_fingerprint: str = ""
    #: SHA-256 (hex) of the whole result file.
    file_digest: str = ""
    #: SHA-256 (hex) of the payload's canonical JSON (what the duplicate check compares); "" when not decoded.
    payload_digest: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is VerifyOutcome.OK


#: Production Argon2id cost (≈0.1–0.2 s on a laptop); tests pass cheaper parameters explicitly.
DEFAULT_KDF = KdfParams()
