"""The text boxes of the form (comment, reason, private note): grow with their text, commit on leaving.

A box reports leaving (``left``) so what it holds is committed at once rather than after the
pause; Esc hands the focus back to the item card and Ctrl+Enter moves on to the next item,
so a keyboard user never has to reach for the mouse to get out of a text box.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class TextBox(QPlainTextEdit):
    """A comment box that grows with its text (3–12 lines) and hands focus back on Esc."""

    left = Signal()  # focus left the box: commit now
    escape = Signal()
    advance = Signal()  # Ctrl+Enter

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._lines = 0
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_args: object) -> None:
        lines = max(3, min(12, int(self.document().size().height()) + 1))
        if lines == self._lines:
            return
        self._lines = lines
        margins = self.contentsMargins()
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
                            + 2 * int(self.document().documentMargin()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._lines = 0
            self._fit()

    def set_text_quietly(self, text: str) -> None:
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
            self._fit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods & Qt.KeyboardModifier.ControlModifier:
            self.advance.emit()
            return
        super().keyPressEvent(event)
