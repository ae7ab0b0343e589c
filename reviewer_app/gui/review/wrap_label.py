"""A word-wrapped label that remembers its height for each width.

A wrapped QLabel answers ``heightForWidth`` by laying its text out again at that width, and
a rich-text label (an item's 観点 table) does it through a whole QTextDocument. While a
round opens, the form's layouts ask the same labels about the same few dozen widths more
than a thousand times (minimum size, size hint, the scroll area, the splitter settling), and
those repeated layouts were two thirds of the time before the first paint. The answer for a
width only changes when the text, its format, the font or the style does, so it is kept
per width and forgotten on any of those.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

_MAX_WIDTHS = 64  # a window being resized by hand asks about many widths: keep the memo small


class WrapLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) >= _MAX_WIDTHS:
                self._heights.clear()
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def forget_heights(self) -> None:
        self._heights.clear()

    # Everything that changes how the text lays out forgets the remembered heights.

    def setText(self, text: str) -> None:
        if text != self.text():
            self._heights.clear()
        super().setText(text)

    def clear(self) -> None:
        self._heights.clear()
        super().clear()

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        self._heights.clear()
        super().setTextFormat(fmt)

    def setWordWrap(self, on: bool) -> None:
        self._heights.clear()
        super().setWordWrap(on)

    def setMargin(self, margin: int) -> None:
        self._heights.clear()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:
        self._heights.clear()
        super().setIndent(indent)

    def setContentsMargins(self, *margins: object) -> None:  # type: ignore[override]
        self._heights.clear()
        super().setContentsMargins(*margins)

    def changeEvent(self, event: QEvent) -> None:
        # Font (a style sheet applied at polish, the form zoom), style, palette or language
        # changes all arrive here; no event() override, which would run for every paint.
        self._heights.clear()
        super().changeEvent(event)
