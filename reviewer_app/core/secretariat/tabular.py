"""Tables out: CSV that Excel opens in Japanese, and ``.xlsx`` with one sheet per view.

A view is a :class:`Sheet` (a name, column headers, rows of plain cells). CSV is UTF-8 with
a byte-order mark: without it Excel on Japanese Windows reads UTF-8 as Shift_JIS and shows
garbage. Excel files are streamed through openpyxl's write-only mode (memory stays flat for
100,000 rows): the header row frozen and bold, column widths set, numbers written as numbers
(decimals become Excel's doubles, rounded to 4 places where they are means), text as text.
The caller hands a binary file object from ``core.atomic.atomic_output``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

Cell = str | int | float | Decimal | None
#: Excel's own limits: a longer text is cut (with a marker) rather than making the file unreadable.
MAX_XLSX_TEXT = 32767
MAX_XLSX_ROWS = 1_048_576


@dataclass(frozen=True)
class Sheet:
    """One view. ``rows`` may be a generator (exports stream it once); ``list(sheet.rows)`` to show it."""

    name: str
    headers: tuple[str, ...]
    rows: Iterable[Sequence[Cell]]
    #: Width per column in Excel's character units; missing ones get a width from the header.
    widths: tuple[float, ...] = field(default=())


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(round(value, 4))
    return str(value)


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by Excel (CSV injection): prefix a quote,
    # except for plain numbers such as -1.5.
    if text and text[0] in "=+-@\t\r":
        try:
            Decimal(text)
        except ArithmeticError:
            return "'" + text
    return text


def write_csv(out: BinaryIO, sheet: Sheet) -> int:
    """Write one view as CSV (UTF-8 with BOM, CRLF as Excel writes); returns the number of data rows."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheet.headers)
    out.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    count = 0
    for row in sheet.rows:
        buf.seek(0)
        buf.truncate()
        w.writerow([_csv_safe(_text(c)) for c in row])
        out.write(buf.getvalue().encode("utf-8"))
        count += 1
    return count


def _xlsx_value(ws: object, value: Cell) -> object:
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 2**53:
            return int(value)
        return round(float(value), 4)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str):
        text = value if len(value) <= MAX_XLSX_TEXT else value[: MAX_XLSX_TEXT - 1] + "…"
        if text.startswith("="):
            # openpyxl would store it as a formula; a comment starting with = stays text.
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            return cell
        return text
    return value


def _width(header: str) -> float:
    # East Asian characters take two columns of Excel's width unit.
    return max(8.0, min(60.0, sum(2 if ord(ch) > 0x2E7F else 1 for ch in header) + 2.0))


def write_xlsx(out: BinaryIO, sheets: Sequence[Sheet]) -> dict[str, int]:
    """Write every view as a sheet; returns rows written per sheet name."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        ws.freeze_panes = "A2"
        for n, header in enumerate(sheet.headers, 1):
            width = sheet.widths[n - 1] if n - 1 < len(sheet.widths) else _width(header)
            ws.column_dimensions[get_column_letter(n)].width = width
        head = []
        for h in sheet.headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            head.append(cell)
        ws.append(head)
        count = 0
        for row in sheet.rows:
            if count + 1 >= MAX_XLSX_ROWS:
                break
            ws.append([_xlsx_value(ws, c) for c in row])
            count += 1
        counts[sheet.name] = count
    if not sheets:
        wb.create_sheet("-")
    data = io.BytesIO()
    wb.save(data)
    out.write(data.getvalue())
    return counts
