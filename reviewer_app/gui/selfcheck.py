"""The Qt half of ``reviewer-app selfcheck``: QtPdf renders a page, void Qt calls are survived.

Runs offscreen when there is no display, so the check also works over SSH and in CI.
"""

from __future__ import annotations

import os

from ..services.selfcheck import CheckResult, _guard, probe_pdf

#: How many Qt calls that return nothing the check makes (PySide6 6.12.0 on CPython 3.11
#: aborted after about 5,000 before the workaround in :mod:`.qtcompat`).
VOID_CALLS = 20_000


def _app() -> object:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name == "posix":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def check_pdf_render() -> str:
    """Load a PDF from memory (as the app does: never from a file) and paint its first page."""
    from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QSize, QTimer
    from PySide6.QtGui import QColor
    from PySide6.QtPdf import QPdfDocument

    _app()
    doc = QPdfDocument()
    buf = QBuffer(doc)
    buf.setData(QByteArray(probe_pdf()))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    loop = QEventLoop()
    doc.statusChanged.connect(lambda _s: loop.quit())
    QTimer.singleShot(10_000, loop.quit)
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready:
        loop.exec()
    if doc.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QPdfDocument status {doc.status().name}")
    image = doc.render(0, QSize(300, 400))
    dark = sum(
        1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    doc.close()
    buf.close()
    if dark == 0:
        raise RuntimeError("the rendered page is blank")
    return f"{doc.pageCount() or 1} page, {image.width()}x{image.height()}"


def check_void_calls() -> str:
    """Qt calls that return nothing and signal emits (which return True), as a long session makes."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    class _Emitter(QObject):
        changed = Signal(str)

    _app()
    label = QLabel()
    emitter = _Emitter()
    emitter.changed.connect(label.setText)
    for i in range(VOID_CALLS):
        label.setText(str(i % 10))
        emitter.changed.emit("x")
        if i % 100 == 0:
            QApplication.processEvents()
    label.deleteLater()
    return str(VOID_CALLS)


def run_qt_checks() -> list[CheckResult]:
    from . import qtcompat

    qtcompat.protect_none()
    return [_guard("pdf", check_pdf_render), _guard("qt_calls", check_void_calls)]
