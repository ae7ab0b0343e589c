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


#: Refusals whose own message speaks to a reviewer holding a bundle (「ファイルをもう一度入手して
#: ください」, 「事務局に連絡してください」, shared with the reviewer's application). The person
#: reading an import report is the secretariat: for these it says to ask the reviewer to send
#: the result again (``secretariat.import_reason.<code with _>``).
FOR_THE_CLERK = frozenset({
    "bundle.invalid",
    "bundle.format.not_a_bundle", "bundle.format.truncated", "bundle.format.unknown_version",
    "bundle.format.malformed", "bundle.format.layout", "bundle.format.duplicate_member",
    "bundle.limit.header", "bundle.limit.manifest", "bundle.limit.member",
    "bundle.integrity", "bundle.integrity.manifest", "bundle.integrity.member", "bundle.integrity.key_wrap",
    "bundle.integrity.changed",
    "bundle.signature", "bundle.signature.invalid", "bundle.signature.signer_mismatch",
    "bundle.wrong_secret", "bundle.wrong_secret.not_recipient",
})


def clerk_reason_key(code: str) -> str:
    """The catalog key of the secretariat's sentence for a refusal in ``FOR_THE_CLERK``."""
    return "secretariat.import_reason." + code.replace(".", "_")


def describe_file_report(report: FileReport) -> str:
    """Why a file was refused (or what happened to it), as a sentence for the secretariat."""
    if report.code in FOR_THE_CLERK:
        return tr(clerk_reason_key(report.code), **report.params)
    if report.code:
        return describe_error(ReviewerAppError(report.code, **report.params))
    return tr(f"secretariat.import_status.{report.status.value}_detail", reviewer=report.reviewer_id,
              revision=report.revision if report.revision is not None else "—",
              current=report.params.get("current", report.revision or "—"))
