"""The secretariat's workspace: the use cases ``reviewer-app round …`` and the secretariat's windows call.

``Secretariat()`` opens (creating or upgrading) the secretariat database in the user's data
folder. Refusals are typed errors (``SecretariatError``, ``RoundSetupError`` with every
problem, ``OutputPathError`` …); results are frozen values (``services/secretariat/model.py``);
long operations report progress and honour a cancel flag; nothing here prints.

Typical order: ``setup_round(folder)`` → ``issue_bundles(round, out_dir, keys)`` →
``import_results(round, [folder], keys)`` → ``aggregate(round)`` → ``record_decision(…)`` →
``export_xlsx`` / ``export_csv`` / ``panel_pdf`` / ``decision_tables_pdf``.
"""

from __future__ import annotations

from .exports import ExportsMixin
from .importing import ImportingMixin
from .issuing import IssuingMixin
from .model import (
    FileReport,
    ImportReport,
    ImportStatus,
    IssueItem,
    IssueReport,
    IssueState,
    ReviewerState,
    ReviewerStatus,
    RoundOverview,
    RoundSummary,
    SetupCheck,
    SetupOutcome,
    WrittenFile,
)
from .views import VIEWS


class Secretariat(ExportsMixin, IssuingMixin, ImportingMixin):
    """One open secretariat database (any number of rounds side by side)."""


__all__ = [
    "VIEWS",
    "FileReport",
    "ImportReport",
    "ImportStatus",
    "IssueItem",
    "IssueReport",
    "IssueState",
    "ReviewerState",
    "ReviewerStatus",
    "RoundOverview",
    "RoundSummary",
    "Secretariat",
    "SetupCheck",
    "SetupOutcome",
    "WrittenFile",
]
