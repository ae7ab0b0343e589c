"""The ``reviewer-app`` command: thin argument parsing over the services.

Each area registers its sub-commands from its own module (``COMMAND_MODULES``), so the
reviewer, bundle, secretariat and sheet commands can grow without touching each other.
Typed errors become translated messages and exit codes; no traceback reaches a user.

Every invocation builds the whole parser, so the command modules import only argparse and
the translation catalog at their top; a handler imports the services it calls. A scripted
``review grade`` therefore never loads reportlab, the bundle cryptography or Qt (a test
checks it, and ``python -m tests.benchmarks cli`` measures the start-up).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..i18n import LANGUAGES, set_language, tr
from ._common import EXIT_INTERNAL, EXIT_USAGE, run_guarded, set_focus, setup_logging

COMMAND_MODULES = (
    "gui_cmd",
    "rubric_cmd",
    "secretariat_cmd",
    "bundle_cmd",
    "review_cmd",
    "sheets_cmd",
    "selfcheck_cmd",
    "round_cmd",
)


def _pre_scan_language(argv: Sequence[str]) -> None:
    """Honour ``--lang`` (before or after the sub-command) before building the parser, so its help is translated too."""
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
        elif a.startswith("--lang=") and a.split("=", 1)[1] in LANGUAGES:
            set_language(a.split("=", 1)[1])


#: The bundles' file suffix (services.bundles.BUNDLE_SUFFIX, not imported: the CLI starts light).
BUNDLE_SUFFIX = ".rvb"


def _command_token(argv: Sequence[str]) -> str | None:
    """The top-level command named in ``argv`` (the first word that is not an option), if any."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a == "--lang":
            skip = True
        elif a == "--":
            return None
        elif not a.startswith("-"):
            return a
    return None


def build_parser(focus: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``focus``, only that command's group is built in full (see ``set_focus``)."""
    parser = argparse.ArgumentParser(prog="reviewer-app", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"reviewer-app {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("cli.lang_help"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    set_focus(focus)
    try:
        for name in COMMAND_MODULES:
            importlib.import_module(f"{__name__}.{name}").register(sub)
    finally:
        set_focus(None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    token = _command_token(args_list)
    if token is not None and token.lower().endswith(BUNDLE_SUFFIX):
        # A bundle file where the command goes: what a file association passes. Open it.
        args_list.insert(args_list.index(token), "gui")
    _pre_scan_language(args_list)
    parser = build_parser(_command_token(args_list))
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    if args.command is None:
        # No sub-command: start the application, as a double-click would.
        args = parser.parse_args([*args_list, "gui"])
    setup_logging()
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return run_guarded(handler, args)
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return EXIT_INTERNAL
