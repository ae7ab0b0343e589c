"""What every sub-command shares: exit codes, error reporting, output helpers."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from ..core.errors import ReviewerAppError
from ..i18n import describe_error, tr

EXIT_OK = 0
#: The command ran, and its answer is "no": findings block, verification failed …
EXIT_NEGATIVE = 1
EXIT_USAGE = 2
#: Bad input: a typed error explained to the user.
EXIT_INPUT = 3
#: A bug: explained without a traceback; details go to the log.
EXIT_INTERNAL = 4

log = logging.getLogger("reviewer_app")

Handler = Callable[[argparse.Namespace], int]


def run_guarded(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except ReviewerAppError as exc:
        print(describe_error(exc), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        log.exception("unexpected error in %s", getattr(handler, "__name__", handler))
        print(tr("app.unexpected", detail=type(exc).__name__), file=sys.stderr)
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def setup_logging() -> None:
    """Details of unexpected errors go to a log file in the user's data folder, never the console."""
    from logging.handlers import RotatingFileHandler

    from ..paths import user_data_dir

    root = logging.getLogger("reviewer_app")
    if root.handlers:
        return
    root.propagate = False
    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            folder / "reviewer-app.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def add_command(sub: Any, name: str, help_key: str, handler: Handler) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=tr(help_key), description=tr(help_key))
    p.set_defaults(handler=handler)
    return p


def add_group(sub: Any, name: str, help_key: str) -> Any:
    """A command with sub-commands of its own (``reviewer-app bundle build`` …)."""
    p = sub.add_parser(name, help=tr(help_key), description=tr(help_key))
    p.set_defaults(handler=lambda _args, _p=p: (_p.print_help(sys.stderr), EXIT_USAGE)[1])
    return p.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
