"""``reviewer-app sheets …``: score sheets, the blank sheet, the reviewer summary, panel material.

The sheet services (and reportlab behind them) are imported by the handlers only, and the
output path is checked before anything is read or rendered.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..i18n import tr
from ._common import EXIT_OK, add_command, add_group, add_output, print_json, say

if TYPE_CHECKING:
    from ..services import sheets as svc


def register(sub: Any) -> None:
    """Add this area's sub-commands to the top-level parser."""
    g = add_group(sub, "sheets", "cli.sheets.help")
    p = add_command(g, "score", "cli.sheets.score_help", cmd_score)
    _input(p)
    p.add_argument("--reviewer", help=tr("cli.sheets.reviewer_arg"))
    p.add_argument("--proposal", action="append", default=[], help=tr("cli.sheets.proposal_arg"))
    p = add_command(g, "blank", "cli.sheets.blank_help", cmd_blank)
    p.add_argument("input", nargs="?", help=tr("cli.sheets.input_arg"))
    add_output(p, "cli.sheets.output_arg", required=True)
    p.add_argument("--rubric", help=tr("cli.sheets.rubric_arg"))
    p.add_argument("--reviewer", help=tr("cli.sheets.reviewer_arg"))
    p.add_argument("--proposal", help=tr("cli.sheets.proposal_arg"))
    p = add_command(g, "summary", "cli.sheets.summary_help", cmd_summary)
    _input(p)
    p.add_argument("--reviewer", help=tr("cli.sheets.reviewer_arg"))
    p = add_command(g, "panel", "cli.sheets.panel_help", cmd_panel)
    _input(p)
    p = add_command(g, "fonts", "cli.sheets.fonts_help", cmd_fonts)
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))


def _input(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help=tr("cli.sheets.input_arg"))
    add_output(p, "cli.sheets.output_arg", required=True)
    p.add_argument("--rubric", help=tr("cli.sheets.rubric_arg"))


def _checked_output(args: argparse.Namespace) -> None:
    from ..core.output import prepare_output

    prepare_output(args.output, overwrite=args.force)


def _load(args: argparse.Namespace) -> svc.SheetInput:
    from ..services import sheets as svc
    from ..services.rubrics import load_rubric_arg

    _checked_output(args)
    rubric = load_rubric_arg(args.rubric) if args.rubric else None
    return svc.load_sheet_input(args.input, rubric)


def _done(pdf: svc.SheetPdf, args: argparse.Namespace) -> int:
    from ..services import sheets as svc

    path = svc.write_pdf(pdf, args.output, overwrite=args.force)
    for message in svc.warning_messages(pdf):
        say("cli.sheets.warning", err=True, message=message)
    say("cli.sheets.written", path=path, pages=pdf.pages)
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from ..services import sheets as svc

    inp = _load(args)
    return _done(svc.score_sheets(inp, args.reviewer, args.proposal), args)


def cmd_blank(args: argparse.Namespace) -> int:
    from ..services import sheets as svc
    from ..services.rubrics import load_rubric_arg

    _checked_output(args)
    inp = _load(args) if args.input else None
    rubric = inp.ctx.rubric if inp else load_rubric_arg(args.rubric)
    return _done(svc.blank_sheet(rubric, inp, args.reviewer, args.proposal), args)


def cmd_summary(args: argparse.Namespace) -> int:
    from ..services import sheets as svc

    inp = _load(args)
    return _done(svc.reviewer_summary(inp, args.reviewer), args)


def cmd_panel(args: argparse.Namespace) -> int:
    from ..services import sheets as svc

    inp = _load(args)
    return _done(svc.panel_material(inp), args)


def cmd_fonts(args: argparse.Namespace) -> int:
    from ..services import sheets as svc

    font = svc.font_status()
    warnings = svc.warning_messages(font)
    if args.json:
        print_json({"font": font.name, "path": str(font.path) if font.path else None, "subfont_index": font.subfont_index,
                    "embedded": font.embedded, "warnings": warnings})
        return EXIT_OK
    if font.embedded:
        say("cli.sheets.font_embedded", name=font.name, path=str(font.path))
    else:
        say("cli.sheets.font_fallback", name=font.name)
    for message in warnings:
        say("cli.sheets.warning", message=message)
    return EXIT_OK
