"""Opening a file a person named, safely: a regular file within its size limit, or a typed error at once.

Every reader of the bundle area (bundles, result bundles, key files, description files, the
PDFs a bundle is built from) opens its input here, so nothing is read or hashed before the
two facts that make reading safe are known. A FIFO would block ``open()`` itself and
``/dev/zero`` never ends, so the file is opened non-blocking and checked with ``fstat`` on
the open descriptor (no window between the check and the read); a sparse 20 GB file is
refused by its size before a byte of it is hashed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import InputFileError, ReviewerAppError

#: Builds the error for a file above its limit: (path, size, limit) → the typed error.
TooLarge = Callable[[str, int, int], ReviewerAppError]


def open_regular(path: str | Path, limit: int, too_large: TooLarge) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file of at most ``limit`` bytes.

    Raises ``InputFileError`` (``file.unreadable`` when it cannot be opened,
    ``bundle.input.not_regular`` for a folder, FIFO, device or socket) or the error
    ``too_large`` builds. Symbolic links are followed: a link to a regular file is fine.
    """
    p = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except IsADirectoryError:
        raise InputFileError("bundle.input.not_regular", path=p) from None
    except (OSError, ValueError):
        raise InputFileError("file.unreadable", path=p) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError("bundle.input.not_regular", path=p)
        if st.st_size > limit:
            raise too_large(p, st.st_size, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        # ``open`` with this opener wraps the checked descriptor and keeps ``name`` = the path.
        return open(p, "rb", opener=lambda _path, _flags: fd)
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, too_large: TooLarge) -> bytes:
    """The whole content of a small regular file (key files, descriptions), checked as above."""
    with open_regular(path, limit, too_large) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError:
            raise InputFileError("file.unreadable", path=str(path)) from None
    if len(data) > limit:  # it grew after the check
        raise too_large(str(path), len(data), limit)
    return data


def file_size(fh: BinaryIO) -> int:
    return os.fstat(fh.fileno()).st_size
