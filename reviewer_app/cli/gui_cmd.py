"""``reviewer-app gui`` and ``reviewer-app demo``: start the desktop application.

``gui`` opens the reviewer's window on the real data folder (``--rubric FILE`` opens only the
rubric viewer on that file; bundle files given as arguments are added and opened, which is
what a double-click on an ``.rvb`` file does). ``demo`` opens the same window on the demo's own data folder,
with a complete demo round built the first time and reused afterwards.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import tr
from ._common import add_command


def register(sub: Any) -> None:
    p = add_command(sub, "gui", "cli.gui.help", cmd_gui)
    p.add_argument("--rubric", help=tr("cli.gui.rubric_help"))
    p.add_argument("files", nargs="*", metavar="BUNDLE", help=tr("cli.gui.files_help"))
    p.set_defaults(demo=False)
    p = add_command(sub, "demo", "cli.gui.demo_help", cmd_gui)
    p.set_defaults(rubric=None, demo=True, files=[])


def cmd_gui(args: argparse.Namespace) -> int:
    # Imported here so that scripted commands never load Qt.
    from ..gui.app import run

    return run(rubric=args.rubric, demo=args.demo, lang=getattr(args, "lang", None), files=args.files)
