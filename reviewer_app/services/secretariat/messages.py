"""Sentences for the secretariat's values, in the current language, for the CLI and the windows alike."""

from __future__ import annotations

from ...core.errors import ReviewerAppError
from ...core.secretariat.setup_model import SetupProblem
from ...i18n import describe_error, tr
from .model import FileReport


def describe_problem(problem: SetupProblem) -> str:
    """``proposals.csv:12:3: 申請番号「P-001」が重複しています（最初は 4 行目）。…``"""
    params = dict(problem.params)
    cause = params.pop("cause", None)
    if isinstance(cause, ReviewerAppError):
        params["detail"] = describe_error(cause)
    text = tr(f"secretariat.setup.problem.{problem.code}", **params)
    level = tr("secretariat.setup.error" if problem.is_error else "secretariat.setup.warning")
    return f"{problem.where()}: {level} {text}"


def describe_file_report(report: FileReport) -> str:
    """Why a file was refused (or what happened to it), as a sentence."""
    if report.code:
        return describe_error(ReviewerAppError(report.code, **report.params))
    return tr(f"secretariat.import_status.{report.status.value}_detail", reviewer=report.reviewer_id,
              revision=report.revision if report.revision is not None else "—",
              current=report.params.get("current", report.revision or "—"))
