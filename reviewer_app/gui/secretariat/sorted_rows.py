"""A rows table for large sortable views (the aggregation table): the model sorts itself, the proxy only filters.

Why not let ``QSortFilterProxyModel`` sort: it compares two cells at a time through
``lessThan``, a Python call that reads both cells back through ``data()`` (two more Python
calls) — about 2,000 comparisons for 300 rows on every header click. Here the source model
sorts its own rows with one keyed ``sorted()`` and the proxy follows the new order; the proxy
still filters. Painting asks a cell for seven roles; ``multiData`` answers them in one call
instead of seven trips through the proxy, from a per-cell cache (rows are read-only once set).

The header may show short labels (``set_rows(..., labels=…)``) while ``headers`` keeps the
full texts, which are the header's tooltip and what code finds a column by.

Order: numbers (as numbers) before text, blanks last in *both* directions (sorting by mean,
highest first, shows the best proposals, not the ones nobody scored); ties keep the
service's order. Sorting by no column (-1) restores the service's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QModelRoleDataSpan, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from .common import RowsModel, SortProxy, cell_text, make_table

Index = QModelIndex | QPersistentModelIndex
#: Rows read when a column is sized to its contents (Qt's default is 1,000: every row of a round).
WIDTH_SAMPLE_ROWS = 60


def sort_value(value: Any) -> tuple[int, Any] | None:
    """(group, key): numbers first, then text; None for a blank (always last)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float, Decimal)):
        return (0, value)
    text = cell_text(value)
    return None if text == "" else (1, text)


class SortedRowsModel(RowsModel):
    """``RowsModel`` that sorts itself and answers every role of a cell at once."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._original: list[list[Any]] = []
        #: (row, column) → role → what ``data()`` answered: painting asks the same again and again.
        self._cells: dict[tuple[int, int], dict[int, Any]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        #: What the header shows per column (empty: the full headers).
        self.labels: list[str] = []

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], labels: Sequence[str] | None = None) -> None:
        self.labels = list(labels) if labels is not None else []  # before the reset: the view reads them then
        super().set_rows(headers, rows)
        self._original = list(self.rows)
        self._cells = {}
        column, order = self._sort
        if 0 <= column < len(self.headers):
            self.sort(column, order)  # the clerk's sort survives a refresh

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            if role == Qt.ItemDataRole.DisplayRole and section < len(self.labels):
                return self.labels[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.headers[section]
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        if column < 0 or column >= len(self.headers):
            ordered = list(self._original)
        else:
            keyed = [(sort_value(row[column]), row) for row in self._original]
            descending = order == Qt.SortOrder.DescendingOrder
            filled = [k for k in keyed if k[0] is not None]
            numbers = sorted((k for k in filled if k[0][0] == 0), key=lambda k: k[0][1], reverse=descending)
            texts = sorted((k for k in filled if k[0][0] == 1), key=lambda k: k[0][1], reverse=descending)
            ordered = [row for _, row in numbers] + [row for _, row in texts] + [row for k, row in keyed if k is None]
        if all(a is b for a, b in zip(ordered, self.rows, strict=True)):
            return
        self.layoutAboutToBeChanged.emit()
        where = {id(row): n for n, row in enumerate(ordered)}
        old_rows = self.rows
        persistent = self.persistentIndexList()
        moved = [self.index(where[id(old_rows[p.row()])], p.column()) for p in persistent]
        self.rows = ordered
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def multiData(self, index: Index, span: QModelRoleDataSpan) -> None:
        key = (id(self.rows[index.row()]), index.column())
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = {}
        for role_data in span:
            role = role_data.role()
            if role not in cell:
                cell[role] = self.data(index, role)
            role_data.setData(cell[role])


class FilterProxy(SortProxy):
    """Filters like ``SortProxy``; sorting is handed to the source model (see the module docstring)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def multiData(self, index: Index, span: QModelRoleDataSpan) -> None:
        self.sourceModel().multiData(self.mapToSource(index), span)


class CompactHeader(QHeaderView):
    """A horizontal header that keeps room for the sort arrow the style draws, not twice that.

    Qt widens every section by the header's whole height (plus a margin) while sort
    indicators are shown; the style draws the arrow in half that height. With two-line labels
    that was some 20 px of blank per column, about 400 px across the proposals table.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        size = super().sectionSizeFromContents(logical)
        if self.isSortIndicatorShown():
            size.setWidth(size.width() - size.height() // 2)
        return size


def make_sorted_table(parent: QWidget, name: str) -> tuple[QTableView, SortedRowsModel, FilterProxy]:
    """``common.make_table(sortable=True)`` with the self-sorting model and the filtering proxy."""
    view, plain_model, plain_proxy = make_table(parent, name, sortable=False)
    header = CompactHeader(view)  # make_table's header is deleted by the view
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    view.setHorizontalHeader(header)
    plain_selection = view.selectionModel()
    model = SortedRowsModel(view)
    proxy = FilterProxy(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    for unused in (plain_selection, plain_proxy, plain_model):
        unused.deleteLater()
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a click
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicatorShown(True)
    # Column widths from the rows on screen plus a sample, not all 300 × 30 cells (0.7 s on the GUI thread).
    view.horizontalHeader().setResizeContentsPrecision(WIDTH_SAMPLE_ROWS)
    return view, model, proxy

