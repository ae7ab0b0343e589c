"""Writing a file a person named: checked before any work, and failures as typed errors.

``core.atomic.check_output_path`` decides what may be replaced; this module adds what only
trying can tell (may a file be created in that folder at all? ``/proc``, a read-only
medium, a folder without write permission) and turns the operating system's refusal into
an ``OutputPathError`` whose message says what to do. An operation that must not start
unless its output can be written (an export reserves a revision number) calls
:func:`probe_writable` first.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from .atomic import check_output_path, temp_path, write_atomically
from .errors import OutputPathError

log = logging.getLogger(__name__)

_CODES = {
    errno.EACCES: "file.output.permission",
    errno.EPERM: "file.output.permission",
    errno.EROFS: "file.output.read_only",
    errno.ENOSPC: "file.output.no_space",
    errno.EDQUOT: "file.output.no_space",
    errno.EISDIR: "file.output.not_regular",
}


def output_error(path: str | Path, exc: OSError) -> OutputPathError:
    """The typed error for an ``OSError`` met while creating or writing ``path``."""
    out = Path(path)
    log.info("cannot write %s: %s", out, exc)
    code = _CODES.get(exc.errno or 0)
    if code is None and exc.errno in (errno.ENOENT, errno.ENOTDIR) and not out.parent.is_dir():
        code = "file.output.no_folder"
    return OutputPathError(code or "file.output.unwritable", path=str(out), folder=str(out.parent))


def probe_writable(path: str | Path) -> None:
    """Create and remove the temp file a write of ``path`` will use; ``OutputPathError`` if that fails."""
    tmp = temp_path(Path(path))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise output_error(path, exc) from None
    os.close(fd)
    tmp.unlink(missing_ok=True)


def prepare_output(path: str | Path, *, overwrite: bool) -> Path:
    """``check_output_path`` then :func:`probe_writable`: everything knowable before the work starts."""
    out = check_output_path(path, overwrite=overwrite)
    probe_writable(out)
    return out


def write_output(path: str | Path, data: bytes) -> None:
    """``core.atomic.write_atomically`` whose ``OSError`` (disk full, medium removed) becomes an ``OutputPathError``."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise output_error(path, exc) from None
