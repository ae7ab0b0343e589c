"""The overview grid: every proposal × every item, sortable, and a way back to any cell."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer_app.gui.review.overview import SORT_ROLE, OverviewDialog
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment


@pytest.fixture
def graded(tmp_path):
    """P001 all 'b', P002 all 'a' (with comments), P003 a declared conflict, P004 half done."""
    built = make_assignment(tmp_path / "secretariat", n=4)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    grade_everything(ws, built.bundle_id, ["P001"], mark_index=1)
    grade_everything(ws, built.bundle_id, ["P002"], mark_index=0)
    ws.declare_conflict(built.bundle_id, "P003", "共同研究者が所属")
    ws.record_grade(built.bundle_id, "P004", "2-1", "a")  # 'a' without a comment: must be fixed
    ws.set_unjudgeable(built.bundle_id, "P004", "2-2", "記載がない")
    yield ws, built
    ws.close()


@pytest.fixture
def dialog(qtbot, graded):
    ws, built = graded
    d = OverviewDialog(ws, built.bundle_id)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    yield d
    d.close()  # before the workspace closes: a closing window may still refresh on deactivation


def _column(d: OverviewDialog, header: str) -> int:
    m = d.model
    return next(c for c in range(m.columnCount()) if m.headerData(c, Qt.Orientation.Horizontal) == header)


def _ids_in_view(d: OverviewDialog) -> list[str]:
    return [d.proxy.index(r, 0).data() for r in range(d.proxy.rowCount())]


def test_the_model_is_a_well_behaved_table(qtbot, qtmodeltester, graded):
    ws, built = graded
    d = OverviewDialog(ws, built.bundle_id)
    qtbot.addWidget(d)
    qtmodeltester.check(d.model)
    qtmodeltester.check(d.proxy)


def test_every_proposal_and_every_item_with_marks_totals_and_band(dialog, graded):
    ws, built = graded
    m = dialog.model
    rubric = ws.round_info(built.bundle_id).rubric
    assert m.rowCount() == 4
    assert m.columnCount() == 3 + len(rubric.items) + len(rubric.viewpoints) + 2
    assert _ids_in_view(dialog) == ["P001", "P002", "P003", "P004"]
    c21 = m.column_of_item("2-1")
    assert [m.index(r, c21).data() for r in range(4)] == ["b", "a", "—", "a"]
    assert m.index(3, m.column_of_item("2-2")).data() == "d*"  # unjudgeable marked as such
    assert "判断できない" in m.index(3, m.column_of_item("2-2")).data(Qt.ItemDataRole.ToolTipRole)
    assert "コメント" in m.index(3, c21).data(Qt.ItemDataRole.ToolTipRole)  # the blocking finding
    assert m.index(3, c21).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert m.index(0, c21).data(Qt.ItemDataRole.BackgroundRole) is None
    assert m.index(2, 2).data() == "利害関係あり"
    total = _column(dialog, "合計")
    band = _column(dialog, "区分")
    v2 = _column(dialog, "視点2\n計")
    assert m.index(1, total).data() == "500"
    assert m.index(1, v2).data() == "230"
    assert m.index(1, band).data() == "190点以上"
    assert m.index(0, band).data() == "190点未満140点以上"
    assert m.index(3, band).data() == ""  # not complete: no band yet
    assert "大学 P001" == m.index(0, 1).data()
    assert "P001" in dialog.summary.text() or "4" in dialog.summary.text()


def test_sorting_by_a_column_orders_by_value_not_text(qtbot, dialog):
    c21 = dialog.model.column_of_item("2-1")
    header = dialog.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, c21))
    assert header.sortIndicatorSection() == c21
    # By the value on the scale ('a' above 'b'), the conflict (no grade) lowest; ties keep their order.
    ascending = ["P003", "P001", "P002", "P004"]
    expected = ascending if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder else ["P002", "P004", "P001", "P003"]
    assert _ids_in_view(dialog) == expected
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, c21))  # other way round
    assert _ids_in_view(dialog) == (["P002", "P004", "P001", "P003"] if expected == ascending else ascending)
    dialog.table.sortByColumn(_column(dialog, "合計"), Qt.SortOrder.DescendingOrder)
    assert _ids_in_view(dialog) == ["P002", "P001", "P004", "P003"]
    dialog.table.sortByColumn(_column(dialog, "区分"), Qt.SortOrder.DescendingOrder)
    assert _ids_in_view(dialog)[:2] == ["P002", "P001"]
    dialog.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _ids_in_view(dialog) == ["P004", "P003", "P002", "P001"]
    # Every column sorts on one type of key (mixed types would not order at all).
    for c in range(dialog.model.columnCount()):
        kinds = {type(dialog.model.index(r, c).data(SORT_ROLE)) for r in range(4)}
        assert len(kinds) == 1, c


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_activating_a_cell_emits_the_proposal_and_item(qtbot, dialog):
    dialog.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the view order differs from the model's
    c21 = dialog.model.column_of_item("2-1")
    emitted = []
    dialog.cell_activated.connect(lambda p, i: emitted.append((p, i)))
    index = dialog.proxy.index(0, c21)  # P004 after sorting
    dialog.table.setCurrentIndex(index)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert emitted == [("P004", "2-1")]
    target = dialog.proxy.index(3, c21)  # P001
    dialog.table.scrollTo(target)
    rect = dialog.table.visualRect(target)
    assert dialog.table.viewport().rect().contains(rect.center())
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a press first, as a hand does
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert emitted[-1] == ("P001", "2-1")


def test_a_non_item_cell_opens_the_first_item_to_fix(dialog):
    emitted = []
    dialog.cell_activated.connect(lambda p, i: emitted.append((p, i)))
    dialog.table.activated.emit(dialog.proxy.index(3, 2))  # P004's status: its first blocking item
    dialog.table.activated.emit(dialog.proxy.index(1, 0))  # P002 is complete: its first item
    assert emitted == [("P004", "2-1"), ("P002", "1-1")]


def test_the_grid_shows_grades_changed_since_it_opened(qtbot, dialog, graded):
    ws, built = graded
    c11 = dialog.model.column_of_item("1-1")
    assert dialog.model.index(3, c11).data() == ""
    ws.record_grade(built.bundle_id, "P004", "1-1", "3")
    dialog.refresh()
    assert dialog.model.index(3, c11).data() == "3"


def test_english_headers(qtbot, graded, monkeypatch):
    from reviewer_app import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    ws, built = graded
    d = OverviewDialog(ws, built.bundle_id)
    qtbot.addWidget(d)
    assert _column(d, "Total") > 0
    assert d.windowTitle() == "All proposals (compare your grades)"
    assert d.model.index(2, 2).data() == "Conflict declared"
