"""The overview grid: every assigned proposal × every 審査項目, for calibration before export.

A reviewer grading forty proposals drifts; the grid shows their own marks side by side so
they can compare like with like (who else got an "a" on 2-②?) and jump straight to a
cell to change it. It is read from the workspace each time it is shown, sorted by any
column through a ``QSortFilterProxyModel`` on a typed sort key (marks by their value on
the scale, points as numbers, bands in rank order), never by display text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import Item, Rubric, format_points
from ...core.scoring import FindingCode, Severity
from ...i18n import tr
from ...services.rubrics import finding_params

#: Role of the typed key the proxy sorts on.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role holding (proposal id, item id) — what activating the cell opens.
TARGET_ROLE = Qt.ItemDataRole.UserRole + 2

BLOCKING_BG = QColor("#f9d6d5")
UNJUDGEABLE_BG = QColor("#fff0bf")
CONFLICT_BG = QColor("#e4e4e4")
TEXT = QColor("#1a1a1a")

_Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Row:
    proposal_id: str
    institution: str
    title: str
    status: str
    conflict: bool
    marks: dict[str, str] = field(default_factory=dict)
    unjudgeable: set[str] = field(default_factory=set)
    comments: dict[str, str] = field(default_factory=dict)
    #: item id → messages of its blocking findings
    blocking: dict[str, list[str]] = field(default_factory=dict)
    viewpoint_totals: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    band_id: str | None = None


@dataclass(frozen=True)
class _Column:
    kind: str  # id | institution | status | item | viewpoint | total | band
    key: str = ""  # item id or viewpoint id


class OverviewModel(QAbstractTableModel):
    """Rows: proposals in the secretariat's order; columns: ids, items, totals, band."""

    def __init__(self, workspace: Any, bundle_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.bundle_id = bundle_id
        self.rubric: Rubric = workspace.round_info(bundle_id).rubric
        self._columns = self._make_columns()
        self._rows: list[_Row] = []
        self.refresh()

    def _make_columns(self) -> list[_Column]:
        cols = [_Column("id"), _Column("institution"), _Column("status")]
        cols += [_Column("item", i.id) for i in self.rubric.items]
        cols += [_Column("viewpoint", v.id) for v in self.rubric.viewpoints]
        cols.append(_Column("total"))
        if self.rubric.bands is not None:
            cols.append(_Column("band"))
        return cols

    # --- data from the workspace ----------------------------------------------------

    def refresh(self) -> None:
        """Read every proposal again (grades may have changed in the form meanwhile)."""
        self.beginResetModel()
        self._rows = [self._read(p) for p in self.workspace.proposals(self.bundle_id)]
        self.endResetModel()

    def _read(self, p: Any) -> _Row:
        conflict = p.status.value == "conflict"
        row = _Row(p.proposal_id, p.institution or "", p.title or "", p.status.value, conflict)
        if conflict:
            return row
        for item_id, e in self.workspace.entries(self.bundle_id, p.proposal_id).items():
            if e.mark:
                row.marks[item_id] = e.mark
            if e.unjudgeable:
                row.unjudgeable.add(item_id)
            if e.comment.strip():
                row.comments[item_id] = e.comment.strip()
        result = self.workspace.proposal_result(self.bundle_id, p.proposal_id)
        for f in result.findings:
            # A grade not given yet shows as an empty cell; colour only what must be corrected.
            if f.severity is Severity.BLOCKING and f.code is not FindingCode.MISSING_GRADE:
                row.blocking.setdefault(f.item_id, []).append(
                    tr("finding." + f.code.value, **finding_params(self.rubric, f)))
        row.viewpoint_totals = dict(result.viewpoint_totals)
        row.total = result.total
        row.band_id = result.band_id
        return row

    # --- Qt model -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self._columns)

    def column_of_item(self, item_id: str) -> int:
        return next(i for i, c in enumerate(self._columns) if c.kind == "item" and c.key == item_id)

    def column_kind(self, column: int) -> str:
        return self._columns[column].kind

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.kind == "item":
                item = self.rubric.item(col.key)
                return tr("gui.overview.item_tip", item=self.rubric.display_label(item), title=item.title,
                          points=format_points(item.points))
            if col.kind == "viewpoint":
                vp = self.rubric.viewpoint(col.key)
                return f"{vp.label} {vp.title}"
            return self._header_text(col).replace("\n", " ")
        return None

    def _header_text(self, col: _Column) -> str:
        if col.kind == "item":
            item = self.rubric.item(col.key)
            return f"{self.rubric.viewpoint(item.viewpoint_id).label}\n{item.label}"
        if col.kind == "viewpoint":
            return tr("gui.overview.viewpoint_total", viewpoint=self.rubric.viewpoint(col.key).label)
        return tr(f"gui.overview.col_{col.kind}")

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self._columns)):
            return None
        row, col = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == TARGET_ROLE:
            return (row.proposal_id, self._target_item(row, col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            bg = self._background(row, col)
            return QBrush(bg) if bg is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(TEXT) if self._background(row, col) is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.kind in ("id", "institution", "status"):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._tooltip(row, col) or self._text(row, col)
        return None

    def _text(self, row: _Row, col: _Column) -> str:
        if col.kind == "id":
            return row.proposal_id
        if col.kind == "institution":
            return row.institution
        if col.kind == "status":
            return tr(f"gui.overview.status_{row.status}")
        if row.conflict:
            return "—"
        if col.kind == "item":
            mark = row.marks.get(col.key, "")
            return f"{mark}*" if col.key in row.unjudgeable else mark
        if col.kind == "viewpoint":
            return format_points(row.viewpoint_totals.get(col.key, Decimal(0)))
        if col.kind == "total":
            return format_points(row.total) if row.total is not None else ""
        if col.kind == "band":
            return self._band_label(row.band_id)
        return ""

    def _band_label(self, band_id: str | None) -> str:
        if band_id is None or self.rubric.bands is None:
            return ""
        return next((b.label for b in self.rubric.bands.bands if b.id == band_id), band_id)

    def _sort_key(self, row: _Row, col: _Column) -> Any:
        """One type per column, so the proxy compares like with like (missing sorts lowest)."""
        if col.kind in ("id", "institution"):
            return self._text(row, col)
        if col.kind == "status":
            order = ("conflict", "not_started", "in_progress", "blocking", "complete")
            return float(order.index(row.status)) if row.status in order else -1.0
        if row.conflict:
            return -2.0
        if col.kind == "item":
            mark = row.marks.get(col.key)
            if mark is None:
                return -1.0
            scale = self.rubric.scale_of(self.rubric.item(col.key))
            m = scale.mark(mark)
            return float(m.fraction) if m is not None else -1.0
        if col.kind == "viewpoint":
            return float(row.viewpoint_totals.get(col.key, 0))
        if col.kind == "total":
            return float(row.total) if row.total is not None else -1.0
        if col.kind == "band":
            if row.band_id is None or self.rubric.bands is None:
                return -1.0
            ids = [b.id for b in self.rubric.bands.bands]  # highest first
            return float(len(ids) - ids.index(row.band_id)) if row.band_id in ids else -1.0
        return 0.0

    def _target_item(self, row: _Row, col: _Column) -> str:
        """The item a cell opens: its own, else the first needing a fix, else the first of its viewpoint."""
        if col.kind == "item":
            return col.key
        items: tuple[Item, ...] = self.rubric.items
        if col.kind == "viewpoint":
            items = self.rubric.items_of(col.key) or items
        for item in items:
            if item.id in row.blocking:
                return item.id
        for item in items:  # else the first still to grade
            if item.id not in row.marks:
                return item.id
        return items[0].id

    def _tooltip(self, row: _Row, col: _Column) -> str:
        if col.kind == "institution":
            return row.title
        if row.conflict:
            return tr("gui.overview.conflict_tip") if col.kind != "id" else ""
        if col.kind != "item":
            return ""
        lines = []
        item = self.rubric.item(col.key)
        lines.append(f"{self.rubric.display_label(item)} {item.title}")
        mark = row.marks.get(col.key)
        if mark:
            scale = self.rubric.scale_of(item)
            m = scale.mark(mark)
            lines.append(tr("gui.overview.mark_tip", mark=mark, label=m.label if m else ""))
        if col.key in row.unjudgeable:
            lines.append(tr("gui.overview.unjudgeable_tip"))
        lines.extend(row.blocking.get(col.key, []))
        comment = row.comments.get(col.key)
        if comment:
            short = comment if len(comment) <= 200 else comment[:200] + "…"
            lines.append(tr("gui.overview.comment_tip", comment=short))
        return "\n".join(lines)

    def _background(self, row: _Row, col: _Column) -> QColor | None:
        if row.conflict:
            return CONFLICT_BG if col.kind != "id" else None
        if col.kind == "item":
            if col.key in row.blocking:
                return BLOCKING_BG
            if col.key in row.unjudgeable:
                return UNJUDGEABLE_BG
        if col.kind == "status" and row.status == "blocking":
            return BLOCKING_BG
        return None


class OverviewDialog(QDialog):
    """The grid in a window of its own; activating a cell asks the round view to open it."""

    #: (proposal id, item id)
    cell_activated = Signal(str, str)

    def __init__(self, workspace: Any, bundle_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewDialog")
        self.model = OverviewModel(workspace, bundle_id, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.table = QTableView(self)
        self.table.setObjectName("overviewTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # secretariat's order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        self.table.activated.connect(self._activated)

        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.summary = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._fit_to_table()

    def _fit_to_table(self) -> None:
        """As wide as the grid needs, within the screen: calibration means seeing every column."""
        self.table.resizeColumnsToContents()
        # Mark columns hold a letter or a digit: as narrow as their two-line heading allows.
        fm = self.table.horizontalHeader().fontMetrics()
        narrow = max(fm.horizontalAdvance(v.label) for v in self.model.rubric.viewpoints) + 18
        for c in range(self.model.columnCount()):
            if self.model.column_kind(c) == "item":
                self.table.setColumnWidth(c, narrow)
        width = self.table.horizontalHeader().length() + self.table.frameWidth() * 2 + 40
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        limit = int(screen.width() * 0.95) if screen is not None else 1400
        rows = self.table.verticalHeader().length() + self.table.horizontalHeader().height() + 200
        self.resize(max(800, min(width, limit)), max(420, min(rows, 760)))

    def refresh(self) -> None:
        """Read the grades again, keeping the reviewer's place (same proposal, same column)."""
        current = self.table.currentIndex()
        keep = (self.proxy.mapToSource(current).data(TARGET_ROLE), current.column()) if current.isValid() else None
        self.model.refresh()
        self._update_summary()
        if keep is not None:
            (proposal_id, _item), column = keep
            for r in range(self.proxy.rowCount()):
                idx = self.proxy.index(r, column)
                if self.proxy.mapToSource(idx).data(TARGET_ROLE)[0] == proposal_id:
                    self.table.setCurrentIndex(idx)
                    break

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.overview.title"))
        self.table.setAccessibleName(tr("gui.overview.table_name"))
        self.legend.setText(tr("gui.overview.legend"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1))
        self._update_summary()

    def _update_summary(self) -> None:
        rows = self.model._rows
        done = sum(1 for r in rows if r.status == "complete")
        conflicts = sum(1 for r in rows if r.conflict)
        self.summary.setText(tr("gui.overview.summary", count=len(rows), complete=done, conflicts=conflicts))

    def _activated(self, index: QModelIndex) -> None:
        target = self.proxy.mapToSource(index).data(TARGET_ROLE)
        if target:
            self.cell_activated.emit(*target)

    def showEvent(self, event: Any) -> None:
        self.refresh()  # grades may have changed while the window was closed
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isVisible() and self.isActiveWindow():
            self.refresh()  # back from the form: show what was changed there
        super().changeEvent(event)
