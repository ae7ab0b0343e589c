"""Values the secretariat services hand to the GUI and the CLI: frozen, Qt-free, no SQL.

Long operations (issuing, importing) take ``progress`` — called with (done, total) after each
unit of work — and ``cancel`` — anything with ``is_set()``, e.g. a ``threading.Event`` the
window's Cancel button sets. They stop at the next unit boundary, keep what is complete and
say so in their report (``cancelled=True``); nothing is ever half-written.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ...core.secretariat.setup_model import SetupProblem

Progress = Callable[[int, int], None]


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


def tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def cancelled(cancel: CancelFlag | None) -> bool:
    return cancel is not None and cancel.is_set()


@dataclass(frozen=True)
class SetupCheck:
    """What validating a setup folder found; ``ok`` when nothing blocks (warnings may remain)."""

    folder: Path
    round_id: str | None
    problems: tuple[SetupProblem, ...]
    proposals: int = 0
    reviewers: int = 0
    assignments: int = 0
    conflicts: int = 0

    @property
    def errors(self) -> tuple[SetupProblem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[SetupProblem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SetupOutcome:
    round_id: str
    updated: bool
    check: SetupCheck
    rubric_digest: str
    #: Reviewers whose live bundle no longer matches their assignment (re-issue them).
    needs_reissue: tuple[str, ...] = ()


class ReviewerState(enum.StrEnum):
    NO_ASSIGNMENT = "no_assignment"
    NOT_ISSUED = "not_issued"
    ISSUED = "issued"  # issued, nothing returned yet
    RETURNED = "returned"
    NEEDS_REISSUE = "needs_reissue"  # the assignment changed after the bundle was issued


@dataclass(frozen=True)
class ReviewerStatus:
    reviewer_id: str
    name: str
    assigned: int
    state: ReviewerState
    bundle_id: str | None
    issued_at: str | None
    revision: int | None
    overdue: bool


@dataclass(frozen=True)
class RoundSummary:
    round_id: str
    title: str
    deadline: str | None
    rubric_name: str
    proposals: int
    reviewers: int
    assignments: int
    issued: int
    returned: int
    decisions: int


@dataclass(frozen=True)
class RoundOverview:
    summary: RoundSummary
    reviewers: tuple[ReviewerStatus, ...]
    secretariat_fingerprint: str | None = None


class IssueState(enum.StrEnum):
    ISSUED = "issued"
    REISSUED = "reissued"
    UP_TO_DATE = "up_to_date"  # a live bundle matches the assignment: nothing done
    NEEDS_REISSUE = "needs_reissue"  # assignment changed; pass reissue=True to replace it
    NO_ASSIGNMENT = "no_assignment"
    SKIPPED = "skipped"  # not reached: the run was cancelled first


@dataclass(frozen=True)
class IssueItem:
    reviewer_id: str
    state: IssueState
    bundle_id: str | None = None
    bundle_path: Path | None = None
    letter_path: Path | None = None
    proposals: int = 0
    superseded: str | None = None
    #: What the bundle builder noticed, as (code, params): e.g. a PDF the reviewer could not read
    #: (``tr("warning." + code, **params)``).
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class IssueReport:
    round_id: str
    signing_fingerprint: str
    items: tuple[IssueItem, ...]
    cancelled: bool = False

    @property
    def written(self) -> tuple[IssueItem, ...]:
        return tuple(i for i in self.items if i.state in (IssueState.ISSUED, IssueState.REISSUED))


class ImportStatus(enum.StrEnum):
    IMPORTED = "imported"  # now the reviewer's current result
    HISTORY = "history"  # an older revision than the current one: kept as history, changes nothing shown
    DUPLICATE = "duplicate"  # this very revision is already stored: unchanged
    REJECTED = "rejected"
    SKIPPED = "skipped"  # not reached: the import was cancelled first


@dataclass(frozen=True)
class FileReport:
    path: Path
    status: ImportStatus
    #: For REJECTED: the error code and its params (``tr("error." + code, **params)`` explains it).
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    bundle_id: str = ""
    reviewer_id: str = ""
    revision: int | None = None
    reviewer_key: str = ""
    file_digest: str = ""


@dataclass(frozen=True)
class ImportReport:
    round_id: str
    files: tuple[FileReport, ...]
    cancelled: bool = False

    def count(self, status: ImportStatus) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def changed(self) -> bool:
        return any(f.status in (ImportStatus.IMPORTED, ImportStatus.HISTORY) for f in self.files)


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    pages: int = 0
    rows: int = 0
    warnings: tuple[str, ...] = ()
