"""Getting a rubric file's bytes and TOML tables safely, and typed access to those tables.

A rubric may come from anyone (a secretariat editing a copy, a bundle, a mistyped path), so
reading it is treated as hostile input: only a regular file is opened (a FIFO, ``/dev/zero``
or a folder is refused before anything is read), at most the size limit plus one byte is
read, nesting deep enough to exhaust the parser's recursion ends in a typed error, and every
text is checked for control characters that could disguise what a reviewer is shown.
"""

from __future__ import annotations

import codecs
import os
import stat
import tomllib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import RubricError
from .text import first_unsafe

#: Rubric files are small; anything larger is not a rubric and is refused before parsing.
MAX_RUBRIC_BYTES = 2 * 1024 * 1024
#: How the top level of a file is named in error messages.
TOP_LEVEL = "top level"
_CHUNK = 64 * 1024


def read_rubric_file(path: str | Path) -> bytes:
    """The bytes of a regular file, refusing anything else before reading a byte of it."""
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)  # non-blocking: opening a FIFO must not wait for a writer
    except FileNotFoundError:
        raise RubricError("rubric.not_found", file=str(p), where=TOP_LEVEL) from None
    except OSError as exc:
        raise RubricError("rubric.unreadable", file=str(p), where=TOP_LEVEL, reason=exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RubricError("rubric.not_regular", file=str(p), where=TOP_LEVEL)
        if st.st_size > MAX_RUBRIC_BYTES:
            raise RubricError("rubric.too_large", file=p.name, where=TOP_LEVEL, limit=MAX_RUBRIC_BYTES)
        chunks: list[bytes] = []
        got = 0
        while got <= MAX_RUBRIC_BYTES:  # the size may lie (a growing file): read limit + 1 at most
            chunk = os.read(fd, min(_CHUNK, MAX_RUBRIC_BYTES + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise RubricError("rubric.unreadable", file=str(p), where=TOP_LEVEL, reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if got > MAX_RUBRIC_BYTES:
        raise RubricError("rubric.too_large", file=p.name, where=TOP_LEVEL, limit=MAX_RUBRIC_BYTES)
    return b"".join(chunks)


def parse_rubric_toml(data: bytes, source_name: str) -> dict[str, Any]:
    """TOML tables from rubric bytes; a UTF-8 BOM (as some Windows editors write) is accepted."""
    if len(data) > MAX_RUBRIC_BYTES:
        raise RubricError("rubric.too_large", file=source_name, where=TOP_LEVEL, limit=MAX_RUBRIC_BYTES)
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RubricError("rubric.encoding", file=source_name, where=TOP_LEVEL, position=exc.start) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError("rubric.syntax", file=source_name, where=TOP_LEVEL, detail=str(exc)) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively; a file nested deeply
        # enough to exhaust the stack is not a rubric.
        raise RubricError("rubric.too_deep", file=source_name, where=TOP_LEVEL) from None
    except ValueError:
        # tomllib lets int() refuse an integer of more than 4,300 digits (CPython's limit on
        # int/str conversion) as a bare ValueError.
        raise RubricError("rubric.number_too_long", file=source_name, where=TOP_LEVEL) from None


def bad_character(text: str, multiline: bool) -> str | None:
    """The first control character in ``text`` (as ``U+XXXX``), or None.

    The rule of :func:`reviewer_app.core.text.is_unsafe` (C0/C1 controls, bidirectional
    overrides that could make a 観点 read differently from what it holds, line separators).
    A rubric's texts are shown verbatim, so they are refused, not cleaned. A line break is
    allowed in paragraphs (``multiline``), never in ids, labels or codes.
    """
    ch = first_unsafe(text.replace("\r\n", "\n") if multiline else text, allow_newline=multiline)
    return None if ch is None else f"U+{ord(ch):04X}"


class Section:
    """Typed access to one TOML table, raising RubricError instead of KeyError/TypeError."""

    def __init__(self, data: Any, file: str, where: str) -> None:
        if not isinstance(data, dict):
            raise RubricError("rubric.wrong_type", file=file, where=where, field="-", expected="table")
        self.data: dict[str, Any] = data
        self.file = file
        self.where = where

    def fail(self, problem: str, **params: Any) -> RubricError:
        return RubricError(f"rubric.{problem}", file=self.file, where=self.where, **params)

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail("unknown_field", field=unknown[0])

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.fail("missing_field", field=key)
            return None
        return self.data[key]

    def _clean(self, key: str, v: str, multiline: bool) -> str:
        bad = bad_character(v, multiline)
        if bad is not None:
            raise self.fail("control_character", field=key, character=bad)
        return v

    def text(self, key: str, required: bool = True, default: str = "", multiline: bool = False) -> str:
        v = self._get(key, required)
        if v is None:
            return default
        if not isinstance(v, str):
            raise self.fail("wrong_type", field=key, expected="string")
        if required and not v.strip():
            raise self.fail("empty_field", field=key)
        return self._clean(key, v, multiline)

    def number(self, key: str, required: bool = True) -> Decimal | None:
        v = self._get(key, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail("wrong_type", field=key, expected="number")
        try:
            d = Decimal(str(v))
        except InvalidOperation:  # pragma: no cover - tomllib yields finite numbers or inf/nan
            raise self.fail("wrong_type", field=key, expected="number") from None
        if not d.is_finite():
            raise self.fail("wrong_type", field=key, expected="number")
        return d

    def positive(self, key: str) -> Decimal:
        """A required number above zero (points, counts)."""
        v = self.number(key)
        assert v is not None
        if v <= 0:
            raise self.fail("not_positive", field=key, value=str(v))
        return v

    def flag(self, key: str, default: bool = False) -> bool:
        v = self._get(key, False)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise self.fail("wrong_type", field=key, expected="boolean")
        return v

    def texts(self, key: str, multiline: bool = False) -> tuple[str, ...]:
        v = self._get(key, False)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise self.fail("wrong_type", field=key, expected="list of strings")
        return tuple(self._clean(key, s, multiline) for s in v)

    def tables(self, key: str, required: bool = True) -> list[Any]:
        v = self._get(key, required)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.fail("wrong_type", field=key, expected="array of tables")
        if required and not v:
            raise self.fail("empty_field", field=key)
        return v

    def table(self, key: str, required: bool = True) -> Any:
        v = self._get(key, required)
        if v is None:
            return None
        if not isinstance(v, dict):
            raise self.fail("wrong_type", field=key, expected="table")
        return v


def require_unique_ids(file: str, ids: Sequence[str], kind: str) -> None:
    """Refuse the first id that appears twice among ``ids`` (viewpoints, items, marks …)."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise RubricError("rubric.duplicate_id", file=file, where=i, kind=kind)
        seen.add(i)


def require_unique_labels(file: str, where: str, labels: Sequence[str], kind: str) -> None:
    """Refuse the first label shown twice in one place (two 観点② in an item read alike)."""
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise RubricError("rubric.duplicate_label", file=file, where=where, kind=kind, label=label)
        seen.add(label)
