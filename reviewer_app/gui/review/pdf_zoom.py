"""The PDF pane's zoom: fit width, whole page, fixed steps, and whatever Ctrl+wheel reached.

One small widget owns the rule, so the buttons, the list and the wheel always agree with
the view: the list shows the view's real state (a factor reached with Ctrl+wheel appears
as an extra entry), and stepping moves to the next fixed step from wherever the view is.
"""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolButton, QWidget

from ...i18n import tr

ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0
_WIDTH, _PAGE, _CUSTOM = "width", "page", "custom"


def step_in(z: float) -> float:
    return next((s for s in ZOOM_STEPS if s > z + 1e-3), min(ZOOM_MAX, z * 1.25))


def step_out(z: float) -> float:
    return next((s for s in reversed(ZOOM_STEPS) if s < z - 1e-3), max(ZOOM_MIN, z / 1.25))


class ZoomBox(QComboBox):
    """The list of zoom choices for one ``QPdfView``; follows the view, sets the view."""

    def __init__(self, view: QPdfView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfZoom")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._view = view
        self.activated.connect(self._chosen)
        view.zoomFactorChanged.connect(lambda _z: self.sync())
        view.zoomModeChanged.connect(lambda _m: self.sync())
        self.retranslate()

    def set_zoom(self, factor: float) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.Custom)
        self._view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def fit_width(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def zoom_in(self) -> None:
        self.set_zoom(step_in(self._view.zoomFactor()))

    def zoom_out(self) -> None:
        self.set_zoom(step_out(self._view.zoomFactor()))

    def _chosen(self, index: int) -> None:
        choice = self.itemData(index)
        if choice == _WIDTH:
            self.fit_width()
        elif choice == _PAGE:
            self.fit_page()
        elif isinstance(choice, float):
            self.set_zoom(choice)

    def sync(self) -> None:
        """Show the view's current zoom (adding an entry for a factor that is not a step)."""
        mode = self._view.zoomMode()
        if mode == QPdfView.ZoomMode.FitToWidth:
            idx = self.findData(_WIDTH)
        elif mode == QPdfView.ZoomMode.FitInView:
            idx = self.findData(_PAGE)
        else:
            z = self._view.zoomFactor()
            idx = next((i for i in range(self.count())
                        if isinstance(self.itemData(i), float) and abs(self.itemData(i) - z) < 1e-3), -1)
            if idx < 0:
                text = tr("gui.pdf.zoom_percent", percent=round(z * 100))
                last = self.count() - 1
                if self.itemData(last) == _CUSTOM:
                    self.setItemText(last, text)
                else:
                    self.addItem(text, _CUSTOM)
                idx = self.count() - 1
        last = self.count() - 1
        if idx != last and self.itemData(last) == _CUSTOM:
            self.removeItem(last)
        self.setCurrentIndex(idx)

    def retranslate(self) -> None:
        self.setAccessibleName(tr("gui.pdf.zoom_name"))
        self.setToolTip(tr("gui.pdf.zoom_name"))
        self.blockSignals(True)
        self.clear()
        self.addItem(tr("gui.pdf.fit_width"), _WIDTH)
        self.addItem(tr("gui.pdf.fit_page"), _PAGE)
        for z in ZOOM_STEPS:
            self.addItem(tr("gui.pdf.zoom_percent", percent=round(z * 100)), z)
        self.blockSignals(False)
        self.sync()


class ZoomControls(QWidget):
    """「−」, the list, 「+」: the zoom row of the PDF pane's toolbar."""

    def __init__(self, view: QPdfView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = ZoomBox(view, self)
        self.out_button = QToolButton(self)
        self.out_button.setText("−")
        self.out_button.clicked.connect(self.box.zoom_out)
        self.in_button = QToolButton(self)
        self.in_button.setText("+")
        self.in_button.clicked.connect(self.box.zoom_in)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for w in (self.out_button, self.box, self.in_button):
            layout.addWidget(w)
        for b in (self.out_button, self.in_button):
            b.setAutoRaise(True)
            font = b.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.3)
            b.setFont(font)
        self.retranslate()

    def retranslate(self) -> None:
        self.in_button.setToolTip(tr("gui.pdf.zoom_in"))
        self.in_button.setAccessibleName(tr("gui.pdf.zoom_in"))
        self.out_button.setToolTip(tr("gui.pdf.zoom_out"))
        self.out_button.setAccessibleName(tr("gui.pdf.zoom_out"))
        self.box.retranslate()
