"""The reviewer's workspace: the use cases the GUI and ``reviewer-app review`` call.

``Workspace()`` opens (creating or upgrading) the database in the user's data folder.
Every recording call commits durably before it returns; refusals are typed errors
(``WorkspaceError``, ``EntryError``, ``ExportBlockedError`` …) and non-fatal warnings are
``Notice`` values on the outcome, shown with ``tr("warning." + notice.code, **notice.params)``.
"""

from __future__ import annotations

from .assignments import AssignmentsMixin
from .exporting import ExportMixin
from .model import (
    AddOutcome,
    BundleRow,
    ExportOutcome,
    ExportRecord,
    Notice,
    ProposalFinding,
    ProposalRow,
    ProposalStatus,
    UnlockOutcome,
)
from .recording import RecordingMixin
from .review import ReviewMixin
from .summaries import BundleSummary, StoredHeader, SummariesMixin


class Workspace(AssignmentsMixin, RecordingMixin, ReviewMixin, ExportMixin, SummariesMixin):
    """One open workspace (one database, any number of bundles side by side)."""


__all__ = [
    "AddOutcome",
    "BundleRow",
    "BundleSummary",
    "ExportOutcome",
    "ExportRecord",
    "Notice",
    "ProposalFinding",
    "ProposalRow",
    "ProposalStatus",
    "StoredHeader",
    "UnlockOutcome",
    "Workspace",
]
