"""The proposal PDFs a bundle is built from: what counts as a PDF, and what a reviewer could not read.

The builder accepts what PDF viewers accept: ``%PDF-`` anywhere in the first 1,024 bytes
(files from some scanners and mail gateways carry a few bytes before it). A PDF that needs
a password to open, or that no parser can make sense of, is still built into the bundle
(the secretariat decides), but the build names it in a warning: the reviewer could not
read it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from ..errors import BundleFormatError, BundleLimitError, InputFileError
from . import limits
from .files import open_regular

#: Where a PDF's ``%PDF-`` header may start (PDF viewers accept leading bytes up to here).
PDF_HEADER_WINDOW = 1024
#: A PDF ends with ``%%EOF``; viewers tolerate some trailing bytes after it.
PDF_TAIL_WINDOW = 2048


def pdf_header_ok(head: bytes) -> bool:
    """True when ``%PDF-`` starts within the first 1,024 bytes."""
    return b"%PDF-" in head[: PDF_HEADER_WINDOW + 5]


def open_pdf(path: str | Path) -> BinaryIO:
    """A proposal PDF opened for streaming: a regular file within the member limit, with a PDF header."""
    fh = open_regular(path, limits.MAX_MEMBER_BYTES, _pdf_too_large)
    try:
        if not pdf_header_ok(fh.read(PDF_HEADER_WINDOW + 5)):
            raise BundleFormatError("bundle.format.not_a_pdf", path=str(path))
        fh.seek(0)
    except OSError:
        fh.close()
        raise InputFileError("file.unreadable", path=str(path)) from None
    except BaseException:
        fh.close()
        raise
    return fh


def _pdf_too_large(path: str, size: int, limit: int) -> BundleLimitError:
    return BundleLimitError("bundle.limit.pdf", path=path, size=size, limit=limit)


def pdf_problem(path: str | Path) -> str | None:
    """``"protected"`` (needs a password to open), ``"unreadable"`` (cannot be parsed), or None.

    pypdf reads the cross-reference table and the page tree only (not the page contents), from
    the open file. A file with no ``%%EOF`` near its end is reported without parsing: pypdf would
    otherwise scan the whole file to rebuild a table that is not there.
    """
    with open_pdf(path) as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - PDF_TAIL_WINDOW))
        if b"%%EOF" not in fh.read():
            return "unreadable"
        fh.seek(0)
        return _parse(fh)


def _parse(fh: BinaryIO) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its repair notes are not the secretariat's concern
    try:
        reader = PdfReader(fh)
        if reader.is_encrypted and not reader.decrypt(""):
            return "protected"
        if len(reader.pages) == 0:
            return "unreadable"
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        return "unreadable"
    finally:
        log.setLevel(level)
    return None
