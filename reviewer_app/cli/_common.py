"""What every sub-command shares: exit codes, error reporting, output helpers, common options.

Kept light on purpose: every ``reviewer-app`` invocation imports this module and all the
command modules to build the parser, so nothing here (or at the top of a command module)
may import a service, reportlab, cryptography or Qt. Handlers import what they use.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from ..core.errors import ReviewerAppError
from ..core.text import for_terminal
from ..i18n import LANGUAGES, describe_error, tr

EXIT_OK = 0
#: The command ran, and its answer is "no": findings block, verification failed …
EXIT_NEGATIVE = 1
EXIT_USAGE = 2
#: Bad input: a typed error explained to the user.
EXIT_INPUT = 3
#: A bug: explained without a traceback; details go to the log.
EXIT_INTERNAL = 4

LOG_NAME = "reviewer-app.log"

log = logging.getLogger("reviewer_app")

Handler = Callable[[argparse.Namespace], int]


def run_guarded(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except ReviewerAppError as exc:
        print(error_message(exc), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        _silence_stdout()
        return EXIT_OK
    except Exception:
        # The class name and traceback help a developer, not a clerk: they go to the log,
        # and the message says where the log is.
        log.exception("unexpected error in %s", getattr(handler, "__name__", handler))
        print(tr("cli.unexpected", log=for_terminal(log_path() or "—")), file=sys.stderr)
        return EXIT_INTERNAL


def error_message(exc: ReviewerAppError) -> str:
    """``describe_error`` with every file name, title or id made safe to print (``core.text.for_terminal``)."""
    safe = type(exc).__new__(type(exc))
    ReviewerAppError.__init__(safe, exc.code, **{k: _safe_param(v) for k, v in exc.params.items()})
    return describe_error(safe)


def _safe_param(value: Any) -> Any:
    if isinstance(value, (str, Path)):
        return for_terminal(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, Path)) for v in value):
        return [for_terminal(v) for v in value]
    return value


def say(key: str, /, *, err: bool = False, **params: Any) -> None:
    """Print a translated message; file names, titles and ids in it are escaped for the terminal."""
    print(tr(key, **{k: _safe_param(v) for k, v in params.items()}), file=sys.stderr if err else sys.stdout)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _OwnerOnlyLog(RotatingFileHandler):
    """A rotating log whose files are created owner-only (they name bundles, paths and errors)."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging() -> None:
    """Details of unexpected errors go to a log file in the user's data folder, never the console.

    The folder and its files are owner-only, whatever the umask: a log names bundles and paths.
    """
    from ..paths import user_data_dir

    root = logging.getLogger("reviewer_app")
    if root.handlers:
        return
    root.propagate = False
    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        for f in folder.glob(LOG_NAME + "*"):
            os.chmod(f, 0o600)
        handler: logging.Handler = _OwnerOnlyLog(
            folder / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def log_path() -> str | None:
    for h in logging.getLogger("reviewer_app").handlers:
        if isinstance(h, RotatingFileHandler):
            return h.baseFilename
    return None


# --- building the parser --------------------------------------------------------------


def _lang_option(p: argparse.ArgumentParser) -> None:
    # Accepted after the sub-command too (``review list --lang en``); SUPPRESS keeps a value
    # given before the sub-command. The language itself is set by the pre-scan in __init__.
    p.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=tr("cli.lang_help"))


def add_command(sub: Any, name: str, help_key: str, handler: Handler) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=tr(help_key), description=tr(help_key))
    p.set_defaults(handler=handler)
    _lang_option(p)
    return p


#: The top-level command being run (set by ``build_parser``); None builds every group in full.
_focus: str | None = None


def set_focus(command: str | None) -> None:
    """Build only ``command``'s sub-commands; other groups keep their name and help line."""
    global _focus
    _focus = command


class _Sink:
    """Stands in for the sub-commands of a group that is not being run: accepts every call, builds nothing.

    Building some 80 sub-parsers costs a start-up that a ``rubric suggest`` should not pay.
    """

    def __getattr__(self, _name: str) -> Any:
        return self._swallow

    def _swallow(self, *_args: Any, **_kwargs: Any) -> _Sink:
        return self


def add_group(sub: Any, name: str, help_key: str) -> Any:
    """A command with sub-commands of its own (``reviewer-app bundle build`` …)."""
    p = sub.add_parser(name, help=tr(help_key), description=tr(help_key))
    p.set_defaults(handler=lambda _args, _p=p: (_p.print_help(sys.stderr), EXIT_USAGE)[1])
    _lang_option(p)
    if _focus is not None and _focus != name:
        return _Sink()
    return p.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def hidden_alias(p: argparse.ArgumentParser, flag: str, dest: str, **kwargs: Any) -> None:
    """An old spelling of an option, still accepted but no longer shown in the help."""
    p.add_argument(flag, dest=dest, help=argparse.SUPPRESS, **kwargs)


def add_output(p: argparse.ArgumentParser, help_key: str, *, required: bool = False) -> None:
    """``-o/--output FILE`` and ``--force``: the one spelling of an output file everywhere."""
    p.add_argument("-o", "--output", required=required, help=tr(help_key))
    p.add_argument("--force", action="store_true", help=tr("cli.force_help"))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
