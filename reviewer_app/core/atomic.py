"""Writing files so that a crash never leaves a partial file in place of a good one.

Every file the app hands to a person or keeps for later (bundles, result bundles, key files,
printed sheets) goes through here: write a temp file beside the target, fsync it, rename it
over the target, fsync the folder. A kill -9 or power loss at any moment leaves either the
old file or the new one. Temp files are owner-only, because everything we write is
confidential, and are named so that a later write can clear what a killed one left behind.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputPathError

#: ``.<name>.tmp-<pid>``: hidden, beside the target, unique per process.
TEMP_INFIX = ".tmp-"


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_INFIX}{os.getpid()}")


def stale_temps(target: Path) -> list[Path]:
    """Temp files an interrupted write of ``target`` left behind (by any process)."""
    pattern = f".{glob.escape(target.name)}{TEMP_INFIX}*"
    return sorted(target.parent.glob(pattern))


def remove_stale_temps(target: Path) -> None:
    for p in stale_temps(target):
        p.unlink(missing_ok=True)


@contextmanager
def atomic_output(target: str | Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``target`` only if the block completes."""
    out = Path(target)
    tmp = temp_path(out)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(out.parent)


def write_atomically(target: str | Path, data: bytes) -> None:
    with atomic_output(target) as fh:
        fh.write(data)


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open folders and needs no more."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_output_path(target: str | Path, *, overwrite: bool = False) -> Path:
    """The rule for every file a user names as output (bundles, letters, exports, PDFs).

    Never replace anything that is not a regular file (a folder, device, FIFO or symlink is
    refused whatever ``overwrite`` says); replace an existing regular file only when the user
    asked for it (``--force``, or a confirmed dialog); never create folders the user did not
    name. Returns the path to hand to :func:`atomic_output`. Call it before any slow work, so
    a refusal costs nothing, and again right before writing if time passes in between.
    """
    out = Path(target)
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise OutputPathError("file.output.not_regular", path=str(out))
    if out.exists() and not overwrite:
        raise OutputPathError("file.output.exists", path=str(out))
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError("file.output.no_folder", path=str(out), folder=str(parent))
    return out
