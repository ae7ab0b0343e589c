"""How a ``review`` command gets a bundle's passphrase: a file, standard input, or a prompt.

The same two options on every command that may need it (``--passphrase-file FILE``,
``--passphrase-stdin``), and with neither given and no terminal to prompt on, a message that
names them instead of a dead end.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import tr

#: A passphrase file holds one line; anything bigger is not one.
MAX_PASSPHRASE_FILE_BYTES = 64 * 1024


def passphrase_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--passphrase-file", type=Path, help=tr("cli.review.passphrase_file_help"))
    p.add_argument("--passphrase-stdin", action="store_true", help=tr("cli.review.passphrase_stdin_help"))


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from ``--passphrase-file`` or ``--passphrase-stdin``; None when neither was given."""
    path = getattr(args, "passphrase_file", None)
    if path is not None:
        return _first_line(_read_file(path), str(path))
    if getattr(args, "passphrase_stdin", False):
        return _first_line(_read_stdin_line(), "-")
    return None


def ask_passphrase(bundle_id: str) -> str:
    """Prompt at a terminal; without one, a typed error that names the two options."""
    from ..core.errors import WorkspaceError

    if not sys.stdin.isatty():
        raise WorkspaceError("workspace.passphrase_no_terminal", bundle=bundle_id)
    import getpass

    return getpass.getpass(tr("cli.review.passphrase_prompt", bundle=bundle_id))


def _read_file(path: Path) -> bytes:
    from ..core.bundle.files import read_regular  # a regular file within its limit, or a typed error
    from ..core.errors import InputFileError

    def too_large(p: str, size: int, limit: int) -> InputFileError:
        return InputFileError("file.passphrase.too_large", path=p, size=size, limit=limit)

    return read_regular(path, MAX_PASSPHRASE_FILE_BYTES, too_large)


def _read_stdin_line() -> bytes | str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (tests, embedding)
        return sys.stdin.readline()
    return buffer.readline(MAX_PASSPHRASE_FILE_BYTES)


def _first_line(data: bytes | str, source: str) -> str:
    from ..core.errors import InputFileError

    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputFileError("file.passphrase.not_utf8", path=source) from None
    lines = data.splitlines()
    return lines[0].rstrip("\r\n") if lines else ""
