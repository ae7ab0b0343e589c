"""Small pieces the secretariat's screens share: a table model over rows, progress relay, file opener.

Why a model of plain rows: the services hand out frozen values and ``Sheet`` rows (numbers stay
numbers), so one read-only model that sorts numbers as numbers serves every table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMessageBox, QTableView, QWidget

from ...i18n import tr

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    """What a cell shows: whole numbers as they are, fractions to two decimals (a mean of
    474.6875 reads as 474.69; a leniency of 93.571428… no longer fills the line). The exact
    value stays in the tooltip and in the sort order."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value.is_finite() and value != value.to_integral_value():
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def exact_text(value: Any) -> str:
    """The full value, for a tooltip: what ``cell_text`` rounded."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    return cell_text(value)


def local_time(iso: str | None) -> str:
    """A stored UTC timestamp as the clerk's local date and time (``2009-06-30 17:05``)."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if at.tzinfo is not None:
        at = at.astimezone()
    return at.strftime("%Y-%m-%d %H:%M")


class Coloured(str):
    """A cell text that carries its colour (``RowsModel`` paints it)."""

    colour: str

    def __new__(cls, text: str, colour: str) -> Coloured:
        obj = super().__new__(cls, text)
        obj.colour = colour
        return obj


class RowsModel(QAbstractTableModel):
    """Read-only rows; numbers sort as numbers and blanks sort last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self.headers = list(headers)
        if self.headers:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return exact_text(value)
        if role == SORT_ROLE:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, (int, float, Decimal)):
                return float(value)
            return cell_text(value)
        if role == Qt.ItemDataRole.ForegroundRole and getattr(value, "colour", None):
            return QColor(value.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float, Decimal)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and section < len(self.headers):
            return self.headers[section]
        return None


class SortProxy(QSortFilterProxyModel):
    """Numbers before text, blanks last; the filter matches any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a == "" or a is None:
            return False
        if b == "" or b is None:
            return True
        if isinstance(a, float) and isinstance(b, float):
            return a < b
        if isinstance(a, float) != isinstance(b, float):
            return isinstance(a, float)
        return str(a) < str(b)


def make_table(parent: QWidget, name: str, *, sortable: bool = False) -> tuple[QTableView, RowsModel, SortProxy]:
    view = QTableView(parent)
    view.setObjectName(name)
    model = RowsModel(view)
    proxy = SortProxy(view)
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order until a click
    view.setSortingEnabled(sortable)
    view.horizontalHeader().setSortIndicatorShown(sortable)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view, model, proxy


def fit_rows(view: QTableView) -> None:
    """Make a short table exactly as tall as its rows (no scroll bar for eight regions)."""
    view.resizeRowsToContents()
    height = view.horizontalHeader().sizeHint().height() + view.verticalHeader().length() + 2 * view.frameWidth()
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)


def column_texts(view: QTableView, column: int) -> list[str]:
    """What a column shows, top to bottom (for tests and for reading the current order)."""
    m = view.model()
    return [str(m.index(r, column).data() or "") for r in range(m.rowCount())]


class ProgressRelay(QObject):
    """Carries (done, total) from the worker thread to the GUI thread (a queued signal)."""

    progress = Signal(int, int)

    def __call__(self, done: int, total: int) -> None:
        self.progress.emit(done, total)


def _show_box(parent: QWidget, text: str) -> None:
    QMessageBox.warning(parent, tr("gui.secretariat.notice_title"), text)


#: How a sentence for the clerk is shown (a refusal the window words itself); tests replace it.
message_box: list[Callable[[QWidget, str], None]] = [_show_box]


def show_message(parent: QWidget, text: str) -> None:
    message_box[0](parent, text)


def _open_with_desktop(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


#: How a written file is opened; tests replace it to record the call instead.
opener: list[Callable[[Path], None]] = [_open_with_desktop]


def open_file(path: Path) -> None:
    opener[0](path)
