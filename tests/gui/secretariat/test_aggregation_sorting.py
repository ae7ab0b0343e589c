"""The aggregation table's own sort: numbers as numbers, blanks last both ways, ties in the service's order."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.gui.secretariat.sorted_rows import make_sorted_table

ROWS = [["P-1", Decimal("9.5"), 2, "関東"], ["P-2", None, None, ""], ["P-3", Decimal("10"), 2, "九州"],
        ["P-4", Decimal("100.25"), 0, "近畿"], ["P-5", Decimal("9.5"), 5, "北海道"]]


def table(qtbot):
    """(window, view, model, proxy); the caller keeps the window (qtbot holds only a weak reference)."""
    host = QWidget()
    qtbot.addWidget(host)
    view, model, proxy = make_sorted_table(host, "sorted")
    model.set_rows(["id", "mean", "count", "region"], ROWS)
    host.resize(600, 300)
    view.resize(600, 300)
    host.show()
    return host, view, model, proxy


def click_header(qtbot, view, column: int) -> None:
    header = view.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(column) + 4, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_a_header_click_sorts_numbers_as_numbers_with_blanks_last_both_ways(qtbot):
    _host, view, _model, _proxy = table(qtbot)
    assert column_texts(view, 0) == ["P-1", "P-2", "P-3", "P-4", "P-5"]  # the service's order until a click
    click_header(qtbot, view, 1)
    assert column_texts(view, 0) == ["P-1", "P-5", "P-3", "P-4", "P-2"]  # 9.5 < 10 < 100.25; ties keep their order
    click_header(qtbot, view, 1)
    assert column_texts(view, 0) == ["P-4", "P-3", "P-1", "P-5", "P-2"]  # highest first, the blank still last
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert column_texts(view, 2) == ["5", "2", "2", "0", ""]


def test_text_sorts_after_numbers_and_no_column_restores_the_services_order(qtbot):
    _host, view, model, _proxy = table(qtbot)
    model.set_rows(["id", "mixed"], [["a", "x"], ["b", 3], ["c", None], ["d", "b"], ["e", 12]])
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert column_texts(view, 0) == ["b", "e", "d", "a", "c"]
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert column_texts(view, 0) == ["a", "b", "c", "d", "e"]


def test_the_selected_row_follows_the_sort_and_the_sort_survives_a_refresh(qtbot):
    _host, view, model, _proxy = table(qtbot)
    view.selectRow(2)  # P-3
    view.setCurrentIndex(view.model().index(2, 0))
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert view.currentIndex().data() == "P-3" and view.currentIndex().row() == 1
    model.set_rows(["id", "mean", "count", "region"], [*ROWS, ["P-6", Decimal("500"), 1, "東北"]])  # refreshed
    assert column_texts(view, 0) == ["P-6", "P-4", "P-3", "P-1", "P-5", "P-2"]


def test_the_filter_still_narrows_a_sorted_table(qtbot):
    _host, view, _model, proxy = table(qtbot)
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    proxy.setFilterFixedString("九州")
    assert column_texts(view, 0) == ["P-3"]
    proxy.setFilterFixedString("")
    assert column_texts(view, 0) == ["P-4", "P-3", "P-1", "P-5", "P-2"]
    assert view.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)  # every role still answered through the proxy
