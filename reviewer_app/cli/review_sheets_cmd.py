"""``reviewer-app review sheets`` / ``review summary-sheet``: printing from the workspace.

Kept beside ``review_cmd`` (which registers them, so they sit with the other ``review``
commands) to keep that module small. The output path is checked before anything is
rendered or asked for, and the PDF is written atomically; a draft is still written, and
stderr says why it proves nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..i18n import tr
from ._common import EXIT_OK, add_command, add_output, say
from ._passphrase import passphrase_options
from .review_cmd import _notices, _open, _with_secret

if TYPE_CHECKING:
    from ..services.workspace import Workspace
    from ..services.workspace.printing import WorkspaceSheet


def register_into(g: Any) -> None:
    p = add_command(g, "sheets", "cli.review.sheets_help", cmd_sheets)
    p.add_argument("bundle", help=tr("cli.review.bundle_arg"))
    p.add_argument("--proposal", action="append", default=[], help=tr("cli.review.sheet_proposal_help"))
    _options(p)
    p = add_command(g, "summary-sheet", "cli.review.summary_sheet_help", cmd_summary_sheet)
    p.add_argument("bundle", help=tr("cli.review.bundle_arg"))
    _options(p)


def _options(p: argparse.ArgumentParser) -> None:
    add_output(p, "cli.review.sheet_output_help", required=True)
    passphrase_options(p)


def _print(args: argparse.Namespace, make: Callable[[Workspace, str, str | None, bool], WorkspaceSheet]) -> int:
    from ..core.output import prepare_output
    from ..services import sheets as sheet_service

    target = prepare_output(args.output, overwrite=args.force)  # before any work or prompt
    ws, bundle = _open(args)
    with ws:
        # At a terminal, ask for the passphrase rather than silently leaving titles out.
        ask = not args.passphrase_stdin and args.passphrase_file is None and sys.stdin.isatty()
        sheet = _with_secret(args, bundle, lambda s: make(ws, bundle, s, ask))
    path = sheet_service.write_pdf(sheet.pdf, target, overwrite=args.force)
    for message in sheet_service.warning_messages(sheet.pdf):
        say("cli.sheets.warning", err=True, message=message)
    _notices(sheet.notices)
    say("cli.sheets.written", path=path, pages=sheet.pdf.pages)
    if sheet.draft:
        say("cli.review.sheet_draft", err=True)
    else:
        say("cli.review.sheet_matches", revision=sheet.revision, digest=sheet.digest,
            fingerprint=sheet.key_fingerprint or "—")
    return EXIT_OK


def cmd_sheets(args: argparse.Namespace) -> int:
    from ..services.workspace.printing import workspace_sheets

    return _print(args, lambda ws, b, s, ask: workspace_sheets(ws, b, args.proposal, s, ask_for_details=ask))


def cmd_summary_sheet(args: argparse.Namespace) -> int:
    from ..services.workspace.printing import workspace_summary

    return _print(args, lambda ws, b, s, ask: workspace_summary(ws, b, s, ask_for_details=ask))
