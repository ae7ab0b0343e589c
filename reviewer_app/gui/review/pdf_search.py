"""Text search in the proposal PDF: a search field, the hit count, previous/next hit.

``QPdfSearchModel`` searches page by page in the background and reports its results in
steps (``countChanged``), so the bar never waits for the whole document: the count grows
while the reviewer watches, and the first hit is shown as soon as it exists. Typing is
debounced so a long proposal is not searched again for every keystroke.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QToolButton, QWidget

from ...i18n import tr

#: Milliseconds after the last keystroke before a search starts.
SEARCH_DELAY_MS = 250


class PdfSearchBar(QWidget):
    """The search row above the PDF; tells the pane which hit to show."""

    #: (hit index, page, location in points) — the pane scrolls there and highlights it.
    hit_selected = Signal(int, int, QPointF)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QPdfSearchModel(self)
        self._current = -1
        #: The reviewer asked for a hit (Enter / next) before any existed: show the first one on arrival.
        self._want_first = False

        self.field = QLineEdit(self)
        self.field.setObjectName("pdfSearchField")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.prev_button = QToolButton(self)
        self.prev_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.next_button = QToolButton(self)
        self.next_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self.status = QLabel(self)
        self.status.setObjectName("pdfSearchStatus")
        self.status.setMinimumWidth(self.status.fontMetrics().horizontalAdvance("000 / 000 件") + 4)
        self.field.setMinimumWidth(140)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._start_search)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self.next_hit)
        self.prev_button.clicked.connect(self.previous_hit)
        self.next_button.clicked.connect(self.next_hit)
        self.model.countChanged.connect(self._count_changed)
        self.model.statusChanged.connect(self._update_status)
        self.retranslate()
        self._update_status()

    # --- public ---------------------------------------------------------------------

    def set_document(self, doc: QPdfDocument | None) -> None:
        self.model.setDocument(doc)  # type: ignore[arg-type]

    def reset(self) -> None:
        """Forget the hits of the previous proposal (the text stays, to search the next one)."""
        self._current = -1
        self._want_first = False
        self.model.setSearchString("")
        self._update_status()

    def research(self) -> None:
        """Search the newly loaded document for what the field holds."""
        self._start_search()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    @property
    def current(self) -> int:
        return self._current

    def count(self) -> int:
        return self.model.count()

    def next_hit(self) -> None:
        self._step(+1)

    def previous_hit(self) -> None:
        self._step(-1)

    def retranslate(self) -> None:
        self.field.setPlaceholderText(tr("gui.pdf.search_placeholder"))
        self.field.setAccessibleName(tr("gui.pdf.search_name"))
        self.prev_button.setToolTip(tr("gui.pdf.search_prev"))
        self.prev_button.setAccessibleName(tr("gui.pdf.search_prev"))
        self.next_button.setToolTip(tr("gui.pdf.search_next"))
        self.next_button.setAccessibleName(tr("gui.pdf.search_next"))
        self._update_status()

    # --- internals ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previous_hit()
                return True
            if key == Qt.Key.Key_F3:
                self._step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else +1)
                return True
            if key == Qt.Key.Key_Escape and self.field.text():
                self.field.clear()
                return True
        return super().eventFilter(watched, event)

    def _start_search(self) -> None:
        self._timer.stop()
        text = self.field.text().strip()
        self._current = -1
        # Whoever typed a word wants to see where it is: show the first hit once it arrives.
        self._want_first = bool(text)
        if self.model.searchString() == text:
            # Same text on a new document: QPdfSearchModel only searches on a change.
            self.model.setSearchString("")
        self.model.setSearchString(text)
        self._count_changed()

    def _step(self, delta: int) -> None:
        if self._timer.isActive() or self.field.text().strip() != self.model.searchString():
            self._start_search()
            return
        n = self.model.count()
        if n == 0:
            self._want_first = True
            return
        self._select((self._current + delta) % n if self._current >= 0 else (0 if delta > 0 else n - 1))

    def _select(self, index: int) -> None:
        self._current = index
        self._want_first = False
        link = self.model.resultAtIndex(index)
        self._update_status()
        self.hit_selected.emit(index, link.page(), link.location())

    def _count_changed(self) -> None:
        if self._want_first and self.model.count() > 0 and self._current < 0:
            self._select(0)
            return
        self._update_status()

    def _update_status(self) -> None:
        text = self.model.searchString()
        n = self.model.count()
        if not text:
            self.status.setText("")
        elif n == 0 and self.model.status() == QPdfSearchModel.Status.Searching:
            self.status.setText(tr("gui.pdf.search_running"))
        elif n == 0:
            self.status.setText(tr("gui.pdf.search_none"))
        elif self._current >= 0:
            self.status.setText(tr("gui.pdf.search_position", current=self._current + 1, count=n))
        else:
            self.status.setText(tr("gui.pdf.search_count", count=n))
        has_hits = n > 0
        self.prev_button.setEnabled(has_hits)
        self.next_button.setEnabled(has_hits)
