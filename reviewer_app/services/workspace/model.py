"""Values the workspace services hand to the GUI and the CLI (no Qt, no SQL)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.scoring import Finding


@dataclass(frozen=True)
class Notice:
    """A warning that does not stop the operation (deadline passed, bundle already added …).

    Shown with ``tr("warning." + code, **params)``; codes are ``workspace.<problem>``.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class ProposalStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    BLOCKING = "blocking"  # blocking findings other than grades still to be given
    CONFLICT = "conflict"  # conflict of interest declared: locked, not graded


@dataclass(frozen=True)
class BundleRow:
    bundle_id: str
    stored_file: Path
    added_at: str
    unlocked: bool
    round_id: str | None
    reviewer_id: str | None
    reviewer_name: str | None
    deadline: str | None
    result_revision: int
    proposals: int


@dataclass(frozen=True)
class ProposalRow:
    proposal_id: str
    position: int
    status: ProposalStatus
    graded: int  # items with a grade (or marked unjudgeable)
    items: int
    blocking: int  # blocking findings (missing grades included)
    total: str | None  # points so far, as text; None for a conflicted proposal
    #: From the unlocked bundle, in memory only; None when the bundle is not open here.
    title: str | None = None
    institution: str | None = None


@dataclass(frozen=True)
class ProposalFinding:
    proposal_id: str
    finding: Finding


@dataclass(frozen=True)
class AddOutcome:
    bundle_id: str
    added: bool  # False: the same bundle was already in the workspace (a no-op)
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class UnlockOutcome:
    bundle_id: str
    round_id: str
    reviewer_name: str
    proposals: int
    secretariat_fingerprint: str
    remembered: bool  # the bundle's data key is now in the OS keyring (never the passphrase)
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class ExportOutcome:
    bundle_id: str
    revision: int
    path: Path
    digest: str  # SHA-256 of the written file
    audit_head: str
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class ExportRecord:
    revision: int
    digest: str
    path: str
    exported_at: str
    audit_head: str | None
