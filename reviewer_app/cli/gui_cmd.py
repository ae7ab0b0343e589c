"""``reviewer-app gui``: start the desktop application."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import tr
from ._common import add_command


def register(sub: Any) -> None:
    p = add_command(sub, "gui", "cli.gui.help", cmd_gui)
    p.add_argument("--rubric", help=tr("cli.rubric.rubric_arg"))
    p = add_command(sub, "demo", "cli.gui.demo_help", cmd_gui)
    p.set_defaults(rubric=None)


def cmd_gui(args: argparse.Namespace) -> int:
    # Imported here so that scripted commands never load Qt.
    from ..gui.app import run

    return run(rubric=args.rubric)
