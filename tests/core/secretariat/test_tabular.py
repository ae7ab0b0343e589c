"""CSV that Excel opens in Japanese, Excel sheets with numbers as numbers, and no formula smuggled in."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from reviewer_app.core.secretariat.tabular import MAX_XLSX_TEXT, Sheet, write_csv, write_xlsx

ROWS = [["P-001", "北都大学", Decimal("187.50"), 3, None, "=HYPERLINK(\"http://x\")"],
        ["P-002", "@SUM(A1)", Decimal("-1.5"), 0, 0.123456789, "-2+3"]]
SHEET = Sheet("申請別", ("申請番号", "大学名", "平均点", "件数", "標準化", "コメント"), ROWS)


def test_csv_has_a_bom_crlf_and_neutralised_formulas():
    buf = io.BytesIO()
    assert write_csv(buf, Sheet(SHEET.name, SHEET.headers, iter(ROWS))) == 2
    data = buf.getvalue()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(SHEET.headers)
    assert rows[1] == ["P-001", "北都大学", "187.5", "3", "", "'=HYPERLINK(\"http://x\")"]
    assert rows[2] == ["P-002", "'@SUM(A1)", "-1.5", "0", "0.1235", "'-2+3"]


def test_xlsx_sheet_per_view_numbers_as_numbers_text_as_text():
    buf = io.BytesIO()
    long_text = "長" * (MAX_XLSX_TEXT + 10)
    counts = write_xlsx(buf, [Sheet(SHEET.name, SHEET.headers, iter(ROWS)),
                              Sheet("長文", ("本文",), iter([[long_text]]))])
    assert counts == {"申請別": 2, "長文": 1}
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["申請別"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws["C2"].value == 187.5 and ws["D2"].value == 3 and ws["E2"].value is None
    assert ws["C3"].value == -1.5 and ws["E3"].value == 0.1235
    assert ws["F2"].data_type == "s" and ws["F2"].value.startswith("=HYPERLINK")
    assert ws.column_dimensions["B"].width >= 8
    cut = wb["長文"]["A2"].value
    assert len(cut) == MAX_XLSX_TEXT and cut.endswith("…")
