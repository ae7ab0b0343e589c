"""``reviewer-app sheets …``: score sheets, the blank sheet, the reviewer summary, panel material."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..i18n import tr
from ..services import sheets as svc
from ..services.rubrics import load_rubric_arg
from ._common import EXIT_OK, add_command, add_group, print_json


def register(sub: Any) -> None:
    """Add this area's sub-commands to the top-level parser."""
    g = add_group(sub, "sheets", "cli.sheets.help")
    p = add_command(g, "score", "cli.sheets.score_help", cmd_score)
    _input(p)
    p.add_argument("--reviewer", help=tr("cli.sheets.reviewer_arg"))
    p.add_argument("--proposal", action="append", default=[], help=tr("cli.sheets.proposal_arg"))
    p = add_command(g, "blank", "cli.sheets.blank_help", cmd_blank)
    p.add_argument("input", nargs="?", help=tr("cli.sheets.input_arg"))
    p.add_argument("-o", "--output", required=True, help=tr("cli.sheets.output_arg"))
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
    p.add_argument("-o", "--output", required=True, help=tr("cli.sheets.output_arg"))
    p.add_argument("--rubric", help=tr("cli.sheets.rubric_arg"))


def _load(args: argparse.Namespace) -> svc.SheetInput:
    rubric = load_rubric_arg(args.rubric) if args.rubric else None
    return svc.load_sheet_input(args.input, rubric)


def _done(pdf: svc.SheetPdf, output: str) -> int:
    path = svc.write_pdf(pdf, output)
    for message in svc.warning_messages(pdf):
        print(tr("cli.sheets.warning", message=message), file=sys.stderr)
    print(tr("cli.sheets.written", path=str(path), pages=pdf.pages))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    return _done(svc.score_sheets(_load(args), args.reviewer, args.proposal), args.output)


def cmd_blank(args: argparse.Namespace) -> int:
    inp = _load(args) if args.input else None
    rubric = inp.ctx.rubric if inp else load_rubric_arg(args.rubric)
    return _done(svc.blank_sheet(rubric, inp, args.reviewer, args.proposal), args.output)


def cmd_summary(args: argparse.Namespace) -> int:
    return _done(svc.reviewer_summary(_load(args), args.reviewer), args.output)


def cmd_panel(args: argparse.Namespace) -> int:
    return _done(svc.panel_material(_load(args)), args.output)


def cmd_fonts(args: argparse.Namespace) -> int:
    font = svc.font_status()
    warnings = svc.warning_messages(font)
    if args.json:
        print_json({"font": font.name, "path": str(font.path) if font.path else None, "subfont_index": font.subfont_index,
                    "embedded": font.embedded, "warnings": warnings})
        return EXIT_OK
    if font.embedded:
        print(tr("cli.sheets.font_embedded", name=font.name, path=str(font.path)))
    else:
        print(tr("cli.sheets.font_fallback", name=font.name))
    for message in warnings:
        print(tr("cli.sheets.warning", message=message))
    return EXIT_OK
