"""The round's proposals: id, institution, status, items graded and the total so far.

Rows come from ``Workspace.proposals`` (status, counts and totals computed by the service)
and are updated one at a time as the reviewer works, so a long list is never rebuilt for
a keystroke. ↑/↓ move through the list, Enter goes to the scoring form.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...i18n import tr
from ...services.workspace import ProposalRow, ProposalStatus
from .status_icons import status_icon

ID_COL, INST_COL, PROGRESS_COL, TOTAL_COL = range(4)
ROLE = Qt.ItemDataRole.UserRole


class _Tree(QTreeWidget):
    enter = Signal()
    help = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.enter.emit()
            return
        if event.text() == "?":
            self.help.emit()
            return
        super().keyPressEvent(event)


class ProposalList(QWidget):
    #: The reviewer chose another proposal (click or arrow keys).
    chosen = Signal(str)
    #: Enter on the list: go to the form.
    enter_pressed = Signal()
    #: "?" on the list: show the keyboard shortcuts.
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, ProposalRow] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._quiet = False
        self._heading = QLabel()
        self._progress = QProgressBar()
        self._progress.setTextVisible(False)
        self._progress.setMaximumHeight(8)
        self._summary = QLabel()
        self._summary.setObjectName("muted")
        self._summary.setWordWrap(True)
        self.tree = _Tree()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnCount(4)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ID_COL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(INST_COL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PROGRESS_COL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TOTAL_COL, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.enter.connect(self.enter_pressed)
        self.tree.help.connect(self.help_requested)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addWidget(self._heading)
        lay.addWidget(self._progress)
        lay.addWidget(self._summary)
        lay.addWidget(self.tree, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([tr("gui.review.list.col_id"), tr("gui.review.list.col_institution"),
                                   tr("gui.review.list.col_progress"), tr("gui.review.list.col_total")])
        self.tree.setAccessibleName(tr("gui.review.list.a11y"))
        self._heading.setText(f"<b>{tr('gui.review.list.title')}</b>")
        for pid, row in self._rows.items():
            self._fill_item(self._items[pid], row)
        self._update_summary()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- rows -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ProposalRow]) -> None:
        self._quiet = True
        self.tree.clear()
        self._rows = {r.proposal_id: r for r in rows}
        self._items = {}
        items = []
        for r in rows:
            item = QTreeWidgetItem()
            item.setData(ID_COL, ROLE, r.proposal_id)
            item.setTextAlignment(PROGRESS_COL, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(TOTAL_COL, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._fill_item(item, r)
            self._items[r.proposal_id] = item
            items.append(item)
        self.tree.addTopLevelItems(items)
        self._quiet = False
        self._update_summary()

    def update_row(self, row: ProposalRow) -> None:
        old = self._rows.get(row.proposal_id)
        if old == row:
            return
        self._rows[row.proposal_id] = row
        self._fill_item(self._items[row.proposal_id], row)
        if old is None or old.status != row.status:
            self._update_summary()

    def row(self, proposal_id: str) -> ProposalRow:
        return self._rows[proposal_id]

    def ids(self) -> list[str]:
        return list(self._rows)

    def _fill_item(self, item: QTreeWidgetItem, r: ProposalRow) -> None:
        status = tr("workspace.status." + r.status.value)
        item.setText(ID_COL, r.proposal_id)
        item.setIcon(ID_COL, status_icon(r.status))
        item.setText(INST_COL, r.institution or "")
        item.setText(PROGRESS_COL, "—" if r.status is ProposalStatus.CONFLICT else f"{r.graded}/{r.items}")
        item.setText(TOTAL_COL, r.total if r.total is not None else "—")
        tip = tr("gui.review.list.tooltip", proposal=r.proposal_id, title=r.title or "", institution=r.institution or "",
                 status=status, graded=r.graded, items=r.items, blocking=r.blocking)
        for col in range(4):
            item.setToolTip(col, tip)
        item.setData(INST_COL, Qt.ItemDataRole.AccessibleTextRole, f"{r.institution or ''} {status}")
        item.setData(ID_COL, Qt.ItemDataRole.AccessibleTextRole, f"{r.proposal_id} {status}")

    def _update_summary(self) -> None:
        rows = list(self._rows.values())
        done = sum(1 for r in rows if r.status is ProposalStatus.COMPLETE)
        conflicts = sum(1 for r in rows if r.status is ProposalStatus.CONFLICT)
        fix = sum(1 for r in rows if r.status is ProposalStatus.BLOCKING)
        self._progress.setMaximum(max(1, len(rows)))
        self._progress.setValue(done + conflicts)
        text = tr("gui.review.list.summary", done=done, total=len(rows) - conflicts)
        if conflicts:
            text += tr("gui.review.list.summary_conflicts", count=conflicts)
        if fix:
            text += tr("gui.review.list.summary_fix", count=fix)
        self._summary.setText(text)
        self._progress.setAccessibleName(text)

    # --- selection --------------------------------------------------------------------

    def current(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(ID_COL, ROLE)

    def select(self, proposal_id: str) -> None:
        """Show ``proposal_id`` as current without announcing it (the caller already acts on it)."""
        item = self._items.get(proposal_id)
        if item is None or self.tree.currentItem() is item:
            return
        self._quiet = True
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        self._quiet = False

    def neighbour(self, proposal_id: str | None, delta: int) -> str | None:
        ids = self.ids()
        if not ids:
            return None
        if proposal_id not in ids:
            return ids[0]
        i = ids.index(proposal_id) + delta
        return ids[i] if 0 <= i < len(ids) else None

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is not None and not self._quiet:
            self.chosen.emit(current.data(ID_COL, ROLE))
