"""Every keyboard shortcut of the round view on one page (F1 or ?).

The form's item keys are listed from :data:`ITEM_KEYS` (the keys ``ItemEditor`` handles);
the window's keys are read from the actions themselves, so the page cannot drift from
what the keys actually do.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ...i18n import tr

#: (keys, catalog key of what they do) for a focused item card and its text boxes.
ITEM_KEYS: tuple[tuple[str, str], ...] = (
    ("a b c d", "gui.review.keys.grade_abcd"),
    ("5 4 3 2 1", "gui.review.keys.grade_level"),
    ("Delete", "gui.review.keys.clear"),
    ("↓ / J", "gui.review.keys.next_item"),
    ("↑ / K", "gui.review.keys.prev_item"),
    ("Enter", "gui.review.keys.comment"),
    ("U", "gui.review.keys.unjudgeable"),
    ("R", "gui.review.keys.reason"),
    ("F", "gui.review.keys.figure"),
    ("Space", "gui.review.keys.details"),
    ("Esc", "gui.review.keys.back_to_item"),
    ("Ctrl+Enter", "gui.review.keys.comment_next"),
    ("Enter", "gui.review.keys.list_enter"),
    ("?", "gui.review.keys.help"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("gui.review.keys.title"))
        self.resize(560, 620)
        rows: list[tuple[str, str, str]] = []
        for keys, what in ITEM_KEYS:
            rows.append((tr("gui.review.keys.where_item"), keys, tr(what)))
        for action in actions:
            seqs = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()]
            if seqs:
                rows.append((tr("gui.review.keys.where_window"), " / ".join(seqs), action.text().replace("&", "")))
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels([tr("gui.review.keys.col_where"), tr("gui.review.keys.col_keys"),
                                         tr("gui.review.keys.col_action")])
        for r, (where, keys, what) in enumerate(rows):
            for c, text in enumerate((where, keys, what)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.verticalHeader().hide()
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
