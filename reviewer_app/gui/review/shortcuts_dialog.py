"""Every keyboard shortcut of the round view on one page (F1 or ?).

The form's keys are listed from :data:`FORM_KEYS` (the keys ``ItemEditor`` and the list
handle); the window's keys are read from the actions themselves (the round view's and the
application window's), so the page cannot drift from what the keys actually do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ...i18n import tr

ITEM, TEXT, LIST = "gui.review.keys.where_item", "gui.review.keys.where_text", "gui.review.keys.where_list"

#: (where, keys, catalog key of what they do): the keys ``ItemEditor`` and the list handle.
FORM_KEYS: tuple[tuple[str, str, str], ...] = (
    (ITEM, "a b c d", "gui.review.keys.grade_abcd"),
    (ITEM, "5 4 3 2 1", "gui.review.keys.grade_level"),
    (ITEM, "Delete", "gui.review.keys.clear"),
    (ITEM, "↓ / J", "gui.review.keys.next_item"),
    (ITEM, "↑ / K", "gui.review.keys.prev_item"),
    (ITEM, "Enter", "gui.review.keys.comment"),
    (ITEM, "U", "gui.review.keys.unjudgeable"),
    (ITEM, "R", "gui.review.keys.reason"),
    (ITEM, "F", "gui.review.keys.figure"),
    (ITEM, "Space", "gui.review.keys.details"),
    (ITEM, "?", "gui.review.keys.help"),
    (TEXT, "Esc", "gui.review.keys.back_to_item"),
    (TEXT, "Ctrl+Enter", "gui.review.keys.comment_next"),
    (TEXT, "Tab", "gui.review.keys.tab"),
    (LIST, "↑ / ↓", "gui.review.keys.list_move"),
    (LIST, "Enter", "gui.review.keys.list_enter"),
)


def _window_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in actions:
        seqs = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()]
        what = action.text().replace("&", "")
        if seqs and what and what not in seen:
            seen.add(what)
            rows.append((" / ".join(dict.fromkeys(seqs)), what))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("gui.review.keys.title"))
        self.resize(560, 620)
        rows = [(tr(where), keys, tr(what)) for where, keys, what in FORM_KEYS]
        rows += [(tr("gui.review.keys.where_window"), keys, what) for keys, what in _window_rows(actions)]
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([tr("gui.review.keys.col_where"), tr("gui.review.keys.col_keys"),
                                         tr("gui.review.keys.col_action")])
        for r, (where, keys, what) in enumerate(rows):
            for c, text in enumerate((where, keys, what)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        table.setAccessibleName(tr("gui.review.keys.title"))
        self.table = table
        intro = QLabel(tr("gui.review.keys.intro"))
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(table, 1)
        lay.addWidget(buttons)
