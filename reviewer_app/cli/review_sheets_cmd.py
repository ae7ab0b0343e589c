"""``reviewer-app review sheets`` / ``review summary-sheet``: printing from the workspace.

Kept beside ``review_cmd`` (which registers them, so they sit with the other ``review``
commands) to keep that module small. The PDF is written atomically by the sheet service;
a draft is still written, and stderr says why it proves nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from ..i18n import tr
from ..services import sheets as sheet_service
from ..services.workspace import Workspace
from ..services.workspace.printing import WorkspaceSheet, workspace_sheets, workspace_summary
from ._common import EXIT_OK, add_command
from .review_cmd import _notices, _open, _with_secret


def register_into(g: Any) -> None:
    p = add_command(g, "sheets", "cli.review.sheets_help", cmd_sheets)
    p.add_argument("bundle", help=tr("cli.review.bundle_arg"))
    p.add_argument("--proposal", action="append", default=[], help=tr("cli.review.sheet_proposal_help"))
    _common(p)
    p = add_command(g, "summary-sheet", "cli.review.summary_sheet_help", cmd_summary_sheet)
    p.add_argument("bundle", help=tr("cli.review.bundle_arg"))
    _common(p)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, help=tr("cli.review.sheet_output_help"))
    p.add_argument("--passphrase-stdin", action="store_true", help=tr("cli.review.passphrase_stdin_help"))


def _print(args: argparse.Namespace, make: Callable[[Workspace, str, str | None, bool], WorkspaceSheet]) -> int:
    ws, bundle = _open(args)
    with ws:
        # At a terminal, ask for the passphrase rather than silently leaving titles out.
        ask = not args.passphrase_stdin and sys.stdin.isatty()
        sheet = _with_secret(args, bundle, lambda s: make(ws, bundle, s, ask))
    path = sheet_service.write_pdf(sheet.pdf, args.output)
    for message in sheet_service.warning_messages(sheet.pdf):
        print(tr("cli.sheets.warning", message=message), file=sys.stderr)
    _notices(sheet.notices)
    print(tr("cli.sheets.written", path=str(path), pages=sheet.pdf.pages))
    if sheet.draft:
        print(tr("cli.review.sheet_draft"), file=sys.stderr)
    else:
        print(tr("cli.review.sheet_matches", revision=sheet.revision, digest=sheet.digest,
                 fingerprint=sheet.key_fingerprint or "—"))
    return EXIT_OK


def cmd_sheets(args: argparse.Namespace) -> int:
    return _print(args, lambda ws, b, s, ask: workspace_sheets(ws, b, args.proposal, s, ask_for_details=ask))


def cmd_summary_sheet(args: argparse.Namespace) -> int:
    return _print(args, lambda ws, b, s, ask: workspace_summary(ws, b, s, ask_for_details=ask))
