"""Exports from the window: the Excel workbook reads back with numbers as numbers; PDFs are offered to open;
an existing file is replaced only when the clerk says so, a folder never."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from reviewer_app.core.errors import OutputPathError
from reviewer_app.core.secretariat.view_names import VIEWS
from reviewer_app.gui import errors as gui_errors
from reviewer_app.i18n import describe_error, tr
from tests.gui.secretariat.test_aggregation_panel import returned_round
from tests.services.secretariat.round_fixtures import ROUND


@pytest.fixture
def exports(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    sec.record_decision(ROUND, "P-001", "table1", "○", note="panel agreed")
    home.refresh(select=ROUND)
    return home.show_tab("secretariatExports")


@pytest.fixture
def refused(monkeypatch) -> list[BaseException]:
    """Errors the panel showed (the modal box replaced)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(gui_errors, "show_error", lambda _parent, exc: shown.append(exc))
    return shown


def test_excel_export_from_the_window_reads_back_with_the_services_figures(qtbot, exports, sec, tmp_path, opened):
    out = tmp_path / "out" / "集計.xlsx"
    out.parent.mkdir()
    suggested = []
    exports.choose_path = lambda kind, path: suggested.append(path.name) or out
    qtbot.mouseClick(exports.buttons["xlsx"], Qt.MouseButton.LeftButton)
    assert suggested == [f"{ROUND}_集計.xlsx"]
    assert str(out) in exports.status.text()

    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == [tr(f"secretariat.export.sheet.{v}") for v in VIEWS]
    rows = list(wb[tr("secretariat.export.sheet.proposals")].iter_rows(values_only=True))
    assert list(rows[0]) == list(sec.view(ROUND, "proposals").headers)
    header = list(rows[0])
    pid, mean, returned = (header.index(tr(f"secretariat.export.col.{c}")) for c in ("proposal", "mean", "returned"))
    table1 = header.index("表1")
    agg = sec.aggregate(ROUND)
    assert [r[pid] for r in rows[1:]] == [s.proposal_id for s in agg.proposals]
    for row, s in zip(rows[1:], agg.proposals, strict=True):
        assert isinstance(row[returned], int) and row[returned] == s.returned
        if s.total.mean is None:
            assert row[mean] is None
        else:
            assert isinstance(row[mean], (int, float))
            assert Decimal(str(row[mean])) == s.total.mean.quantize(Decimal("0.0001"))
    assert [r[table1] for r in rows[1:] if r[pid] == "P-001"] == ["○"]
    decisions = list(wb[tr("secretariat.export.sheet.decisions")].iter_rows(values_only=True))
    assert any("panel agreed" in [str(c) for c in r] for r in decisions[1:])
    assert opened == []  # offered, not forced
    qtbot.mouseClick(exports.open_button, Qt.MouseButton.LeftButton)
    assert opened == [out]


def test_csv_exports_write_the_chosen_view(qtbot, exports, sec, tmp_path):
    for key, view in (("csv_proposals", "proposals"), ("csv_reviewers", "reviewers"), ("csv_decisions", "decisions")):
        out = tmp_path / f"{key}.csv"
        exports.choose_path = lambda kind, path, out=out: out
        qtbot.mouseClick(exports.buttons[key], Qt.MouseButton.LeftButton)
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it in Japanese
        first = data[3:].decode("utf-8").splitlines()[0]
        assert first == ",".join(sec.view(ROUND, view).headers)


@pytest.mark.parametrize("key", ["panel_pdf", "tables_pdf"])
def test_pdf_export_is_offered_to_open(qtbot, exports, tmp_path, opened, key):
    out = tmp_path / f"{key}.pdf"
    exports.choose_path = lambda kind, path: out
    qtbot.mouseClick(exports.buttons[key], Qt.MouseButton.LeftButton)
    assert out.read_bytes().startswith(b"%PDF")
    assert tr("gui.secretariat.exports.written_pages", path=str(out), pages=exports.last.pages) \
        in exports.status.text()
    assert exports.last.pages >= 1
    qtbot.mouseClick(exports.open_button, Qt.MouseButton.LeftButton)
    assert opened == [out]


def test_an_existing_file_is_replaced_only_after_asking(qtbot, exports, tmp_path, refused):
    out = tmp_path / "old.csv"
    out.write_bytes(b"keep me")
    exports.choose_path = lambda kind, path: out
    asked: list[str] = []
    exports.confirm = lambda text: asked.append(text) or False
    qtbot.mouseClick(exports.buttons["csv_proposals"], Qt.MouseButton.LeftButton)
    assert asked == [tr("gui.secretariat.exports.replace_question", path=str(out))]
    assert out.read_bytes() == b"keep me" and exports.last is None and refused == []

    exports.confirm = lambda text: True
    qtbot.mouseClick(exports.buttons["csv_proposals"], Qt.MouseButton.LeftButton)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and exports.last is not None


def test_a_folder_is_never_replaced(qtbot, exports, tmp_path, refused):
    folder = tmp_path / "a folder.xlsx"
    folder.mkdir()
    exports.choose_path = lambda kind, path: folder
    exports.confirm = lambda text: pytest.fail("a folder is refused, not offered for replacing")
    qtbot.mouseClick(exports.buttons["xlsx"], Qt.MouseButton.LeftButton)
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert len(refused) == 1 and isinstance(refused[0], OutputPathError)
    message = describe_error(refused[0])
    assert str(folder) in message and "OutputPathError" not in message
    assert all(b.isEnabled() for b in exports.buttons.values())  # the clerk can choose again


def test_cancelling_the_file_dialog_writes_nothing(qtbot, exports, tmp_path):
    exports.choose_path = lambda kind, path: None
    qtbot.mouseClick(exports.buttons["tables_pdf"], Qt.MouseButton.LeftButton)
    assert exports.last is None and list(tmp_path.glob("*.pdf")) == []


def test_every_file_written_stays_listed_and_opens(qtbot, exports, tmp_path, opened):
    out = tmp_path / "out"
    out.mkdir()
    assert exports.written_list.count() == 1 and not exports.open_button.isEnabled()  # a hint, not a file
    exports.choose_path = lambda kind, path: out / path.name
    qtbot.mouseClick(exports.buttons["xlsx"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(exports.buttons["tables_pdf"], Qt.MouseButton.LeftButton)
    names = [exports.written_list.item(n).text() for n in range(exports.written_list.count())]
    assert len(names) == 2 and names[0].startswith(f"{ROUND}_集計.xlsx") and names[1].startswith(f"{ROUND}_決定表.pdf")
    assert "ページ" in names[1]
    exports.written_list.setCurrentRow(0)  # the Excel book written before the PDF is still one step away
    qtbot.mouseClick(exports.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(exports.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [out / f"{ROUND}_集計.xlsx", out]
    exports.confirm = lambda text: True
    qtbot.mouseClick(exports.buttons["xlsx"], Qt.MouseButton.LeftButton)  # written again (replaced): listed once
    assert exports.written_list.count() == 2
