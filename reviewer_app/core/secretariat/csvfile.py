"""Reading the setup folder's CSV files the way Excel writes them, reporting every problem with its place.

Excel saves "CSV UTF-8" with a byte-order mark and plain "CSV" in the system code page, which
on a Japanese Windows is Shift_JIS (precisely CP932, Microsoft's superset of it). We accept
UTF-8 with or without BOM and CP932; anything else (UTF-16, EUC-JP, binary) is reported
with the line where decoding failed. Nothing here raises for bad content: each problem is
appended to the caller's list so a clerk sees all of them at once.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .setup_model import WARNING, SetupProblem

UTF8_BOM = b"\xef\xbb\xbf"
#: Setup files are lists of ids and names; anything larger is not one (and is not read).
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_FIELD_CHARS = 2000


@dataclass(frozen=True)
class Column:
    """A column a file may have: its key, the header names accepted for it, and whether it must exist."""

    key: str
    names: tuple[str, ...]
    required: bool = True
    #: The cell may not be empty (only checked when the column exists).
    nonempty: bool = True


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: Mapping[str, str]
    #: 1-based column number of each key, for problem locations.
    columns: Mapping[str, int]

    def col(self, key: str) -> int | None:
        return self.columns.get(key)


@dataclass(frozen=True)
class CsvTable:
    name: str
    encoding: str
    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    #: Extra columns accepted by the caller's rule (e.g. figure columns named by item id): key → column number.
    extra_columns: Mapping[str, int]


class Problems:
    """Collects problems for one file (a small helper so callers read like the checks they make)."""

    def __init__(self, sink: list[SetupProblem], file: str) -> None:
        self.sink = sink
        self.file = file

    def add(self, code: str, line: int | None = None, column: int | None = None, *, warning: bool = False,
            **params: object) -> None:
        self.sink.append(SetupProblem(self.file, line, column, code, params, WARNING if warning else "error"))


def read_file_bytes(path: Path, problems: Problems, limit: int = MAX_CSV_BYTES) -> bytes | None:
    """The file's bytes, after checking it is a regular file within ``limit``; None (and a problem) otherwise.

    Opened non-blocking so a FIFO cannot hang us, and the type is checked on the open file
    itself, so what is checked is what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        problems.add("missing_file")
        return None
    except OSError as exc:
        problems.add("unreadable", reason=exc.strerror or "")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.add("not_a_file")
            return None
        if st.st_size > limit:
            problems.add("too_large", size=st.st_size, limit=limit)
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            problems.add("too_large", size=len(data), limit=limit)
            return None
        return data
    except OSError as exc:
        problems.add("unreadable", reason=exc.strerror or "")
        return None
    finally:
        os.close(fd)


def decode(data: bytes, problems: Problems) -> tuple[str, str] | None:
    """(text, encoding name) for UTF-8 (BOM optional) or CP932; None and a located problem otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add("utf16")
        return None
    if b"\x00" in data:
        problems.add("binary", line=data[: data.index(b"\x00")].count(b"\n") + 1)
        return None
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            problems.add("bad_encoding", line=data[: exc.start + len(UTF8_BOM)].count(b"\n") + 1)
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError:
            problems.add("bad_encoding", line=data[: utf8_error.start].count(b"\n") + 1)
            return None


def _clean(value: str) -> str:
    # NFC so the same name typed on two machines compares equal; Excel pads nothing, people do.
    return unicodedata.normalize("NFC", value.strip().strip("\u3000").strip())


def has_control(value: str) -> bool:
    """Control and bidirectional-override characters have no place in ids, names or titles."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t" for ch in value)


def read_table(
    path: Path,
    name: str,
    columns: Iterable[Column],
    problems_sink: list[SetupProblem],
    *,
    extra_column: object = None,
) -> CsvTable | None:
    """Read a CSV file with a header row; report missing/unknown/duplicate columns, ragged rows, empty cells.

    ``extra_column`` is an optional callable ``(header_name) -> key | None`` accepting further
    columns (figures named by rubric item id). Blank lines are skipped. Returns None when the
    file cannot be used at all (missing, undecodable, no header).
    """
    problems = Problems(problems_sink, name)
    data = read_file_bytes(path, problems)
    if data is None:
        return None
    decoded = decode(data, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    cols = tuple(columns)
    by_name: dict[str, Column] = {}
    for c in cols:
        for n in c.names:
            by_name[n.casefold()] = c
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header_raw = next(reader, None)
    except csv.Error:
        problems.add("bad_csv", line=1)
        return None
    while header_raw is not None and not any(h.strip() for h in header_raw):
        header_raw = next(reader, None)
    if header_raw is None:
        problems.add("no_header")
        return None
    header_line = reader.line_num
    header = tuple(_clean(h) for h in header_raw)
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    for n, h in enumerate(header, 1):
        col = by_name.get(h.casefold())
        key = col.key if col else (extra_column(h) if callable(extra_column) else None)
        if key is None:
            problems.add("unknown_column", header_line, n, column_name=h or "—")
            continue
        if key in positions or key in extra:
            problems.add("duplicate_column", header_line, n, column_name=h)
            continue
        if col is not None:
            positions[key] = n
        else:
            extra[key] = n
    for c in cols:
        if c.required and c.key not in positions:
            problems.add("missing_column", header_line, None, column_name=c.names[0])
    rows: list[CsvRow] = []
    line = header_line
    while True:
        start = line + 1
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add("bad_csv", start, None, detail=str(exc))
            return None
        line = reader.line_num
        if not any(v.strip() for v in raw):
            continue
        if len(raw) != len(header):
            problems.add("field_count", start, None, found=len(raw), expected=len(header))
            continue
        values: dict[str, str] = {}
        where: dict[str, int] = {}
        ok = True
        for key, n in [*positions.items(), *extra.items()]:
            v = _clean(raw[n - 1])
            if len(v) > MAX_FIELD_CHARS:
                problems.add("field_too_long", start, n, limit=MAX_FIELD_CHARS)
                ok = False
            elif has_control(v):
                problems.add("control_char", start, n)
                ok = False
            values[key] = v
            where[key] = n
        for c in cols:
            if c.nonempty and c.key in positions and not values.get(c.key):
                problems.add("empty_field", start, positions[c.key], column_name=header[positions[c.key] - 1])
                ok = False
        if ok:
            rows.append(CsvRow(start, values, where))
    return CsvTable(name, encoding, header, tuple(rows), extra)


def is_warning(problem: SetupProblem) -> bool:
    return problem.severity == WARNING
