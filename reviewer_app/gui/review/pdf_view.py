"""The proposal PDF inside the app: decrypted into memory, shown, searched, never written.

Confidentiality decides the shape. ``Workspace.read_pdf`` decrypts one proposal into
``bytes`` on the worker thread (``gui.tasks.Op``); the bytes go into a ``QBuffer`` that
``QPdfDocument`` reads from. Nothing reaches a file, and only one proposal is decrypted at a
time: switching proposals closes the document, closes the buffer and empties it, so the
previous plaintext is released before the next one is read.

QtPdf's pitfalls, each of which crashes or blanks the view when ignored: the buffer is a
child of the document (an unparented buffer that Python collects makes ``render``
segfault), it stays open while the document is loaded (a closed one renders blank pages),
and ``load`` may finish later, so everything waits for ``statusChanged`` → Ready. A file
that is not a PDF, is damaged, is password-protected or is too large to show becomes a
message in the pane, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ReviewerAppError
from ...i18n import describe_error, tr
from ..tasks import Op
from .pdf_search import PdfSearchBar
from .pdf_sidebar import PdfSidebar
from .pdf_zoom import ZoomControls

#: Larger proposals are not shown: QtPdf would hold them twice in memory (bytes and parse).
#: A genuine 構想調書 is a few MB; the bundle format allows members up to 512 MiB.
MAX_VIEW_BYTES = 200 * 1024 * 1024
#: Pane width (px) from which the search field fits on the toolbar's row.
WIDE_TOOLBAR = 760

_ERROR_KEYS = {
    QPdfDocument.Error.InvalidFileFormat: "gui.pdf.broken",
    QPdfDocument.Error.IncorrectPassword: "gui.pdf.protected",
    QPdfDocument.Error.UnsupportedSecurityScheme: "gui.pdf.protected",
    QPdfDocument.Error.DataNotYetAvailable: "gui.pdf.broken",
}


@dataclass(frozen=True)
class _TooLarge:
    size: int


def _read(workspace: Any, bundle_id: str, proposal_id: str) -> QByteArray | _TooLarge:
    """Worker side: decrypt, and hand the GUI a QByteArray (so it never copies the bytes)."""
    data = workspace.read_pdf(bundle_id, proposal_id)
    if len(data) > MAX_VIEW_BYTES:
        return _TooLarge(len(data))
    return QByteArray(data)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


class PdfPane(QWidget):
    """Page navigation, zoom and fit-width, text search, thumbnails and bookmarks."""

    #: The proposal's document is shown (proposal id).
    document_ready = Signal(str)
    #: The proposal could not be shown; the pane says why (proposal id).
    load_failed = Signal(str)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPane")
        self.workspace = workspace
        self._current: tuple[str, str] | None = None
        self._state = "empty"  # empty | loading | ready | failed
        self._token = 0
        self._message_key = "gui.pdf.none"
        self._message_params: dict[str, Any] = {}
        self._error: ReviewerAppError | None = None
        #: Page last shown per proposal, to come back where the reviewer was reading.
        self._pages: dict[tuple[str, str], int] = {}

        self.doc = QPdfDocument(self)
        self.buf = QBuffer(self.doc)  # parented to the document: see the module docstring
        self.doc.statusChanged.connect(self._status_changed)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.doc)
        self.view.viewport().installEventFilter(self)
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._page_changed)

        self.search = PdfSearchBar(self)
        self.search.set_document(self.doc)
        self.view.setSearchModel(self.search.model)
        self.search.hit_selected.connect(self._show_hit)

        self.sidebar = PdfSidebar(self.doc, self)
        self.sidebar.page_requested.connect(self._jump)
        self.sidebar.setVisible(False)

        self._build_toolbar()
        self.message = QLabel(self)
        self.message.setObjectName("pdfMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMargin(24)
        self.retry_button = QPushButton(self)
        self.retry_button.clicked.connect(self.reload)
        message_page = QWidget(self)
        mp = QVBoxLayout(message_page)
        mp.addStretch(1)
        mp.addWidget(self.message)
        mp.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignCenter)
        mp.addStretch(2)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(message_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([self.sidebar.minimumWidth() + 20, 10_000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.toolbar)
        layout.addLayout(self.search_row)
        layout.addWidget(self.splitter, 1)
        self.retranslate()
        self._show_message("gui.pdf.none")

    def _build_toolbar(self) -> None:
        style = self.style()

        def tool(icon: QStyle.StandardPixmap, slot: Any) -> QToolButton:
            b = QToolButton(self)
            b.setIcon(style.standardIcon(icon))
            b.setAutoRaise(True)
            b.clicked.connect(slot)
            return b

        self.sidebar_button = QToolButton(self)
        self.sidebar_button.setCheckable(True)
        self.sidebar_button.setAutoRaise(True)
        self.sidebar_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogListView))
        self.sidebar_button.toggled.connect(lambda on: self.sidebar.setVisible(on and self._state == "ready"))
        self.prev_button = tool(QStyle.StandardPixmap.SP_ArrowBack, self.previous_page)
        self.next_button = tool(QStyle.StandardPixmap.SP_ArrowForward, self.next_page)
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pdfPage")
        self.page_box.setRange(1, 1)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda v: self._jump(v - 1, QPointF(), 0.0))
        self.page_count_label = QLabel(self)
        self.page_count_label.setMinimumWidth(self.page_count_label.fontMetrics().horizontalAdvance("/ 0000"))
        self.zoom = ZoomControls(self.view, self)
        self.zoom_box, self.zoom_in_button, self.zoom_out_button = self.zoom.box, self.zoom.in_button, self.zoom.out_button

        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(2, 2, 2, 0)
        self.toolbar.setSpacing(2)
        for w in (self.sidebar_button, self.prev_button, self.page_box, self.page_count_label, self.next_button,
                  self.zoom):
            self.toolbar.addWidget(w)
        self.toolbar.addStretch(1)
        # The search row sits beside the page controls when the pane is wide, below them when
        # it is narrow (a three-pane window on a laptop), so the field never shrinks to nothing.
        self.search_row = QHBoxLayout()
        self.search_row.setContentsMargins(2, 0, 2, 0)
        self._search_wide = False
        self.search_row.addWidget(self.search, 1)

    # --- public API (RoundView) -----------------------------------------------------

    def show_proposal(self, bundle_id: str, proposal_id: str) -> None:
        """Decrypt and show one proposal's PDF; the previous one is released first."""
        key = (bundle_id, proposal_id)
        if key == self._current and self._state in ("loading", "ready"):
            return
        self._unload()
        self._current = key
        self._token += 1
        token = self._token
        self._state = "loading"
        self._show_message("gui.pdf.loading", proposal=proposal_id)
        Op(self, lambda: _read(self.workspace, bundle_id, proposal_id)) \
            .success(lambda result: self._read_done(token, result)) \
            .failure(lambda exc: self._read_failed(token, exc)) \
            .run()

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search field (with its text selected)."""
        self.search.focus()

    def reload(self) -> None:
        """Try the current proposal again (after a read error)."""
        if self._current is not None:
            bundle_id, proposal_id = self._current
            self._unload()
            self._current = None
            self.show_proposal(bundle_id, proposal_id)

    def clear(self) -> None:
        """Show nothing (and hold no decrypted proposal)."""
        self._unload()
        self._current = None
        self._token += 1
        self._show_message("gui.pdf.none")

    @property
    def proposal_id(self) -> str | None:
        return self._current[1] if self._current else None

    @property
    def state(self) -> str:
        return self._state

    def page_count(self) -> int:
        return self.doc.pageCount() if self._state == "ready" else 0

    def current_page(self) -> int:
        """The page shown, counting from 0."""
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        self._jump(page, QPointF(), 0.0)

    def next_page(self) -> None:
        self._jump(self.current_page() + 1, QPointF(), 0.0)

    def previous_page(self) -> None:
        self._jump(self.current_page() - 1, QPointF(), 0.0)

    def zoom_in(self) -> None:
        self.zoom_box.zoom_in()

    def zoom_out(self) -> None:
        self.zoom_box.zoom_out()

    def set_zoom(self, factor: float) -> None:
        self.zoom_box.set_zoom(factor)

    def fit_width(self) -> None:
        self.zoom_box.fit_width()

    def fit_page(self) -> None:
        self.zoom_box.fit_page()

    # --- loading --------------------------------------------------------------------

    def _read_done(self, token: int, result: QByteArray | _TooLarge) -> None:
        if not shiboken6.isValid(self) or token != self._token:
            return  # the reviewer moved on; the bytes are dropped with ``result``
        if isinstance(result, _TooLarge):
            self._fail("gui.pdf.too_large", size=_mb(result.size), limit=_mb(MAX_VIEW_BYTES))
            return
        self.buf.setData(result)
        del result
        self.buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.doc.load(self.buf)  # statusChanged → Ready / Error (possibly before this returns)

    def _read_failed(self, token: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or token != self._token:
            return
        if isinstance(exc, ReviewerAppError):
            self._fail("gui.pdf.read_failed", message=describe_error(exc), retry=True)
            self._error = exc  # kept to say it again in another language
            return
        self._fail("gui.pdf.unexpected", retry=True)
        from ..errors import show_error

        show_error(self, exc)

    def _status_changed(self, status: QPdfDocument.Status) -> None:
        if self._state != "loading":
            return  # closing the previous document also reports Unloading / Null
        if status == QPdfDocument.Status.Ready:
            if self.doc.pageCount() < 1:
                self._fail("gui.pdf.empty")
                return
            self._ready()
        elif status == QPdfDocument.Status.Error:
            self._fail(_ERROR_KEYS.get(self.doc.error(), "gui.pdf.broken"))

    def _ready(self) -> None:
        assert self._current is not None
        self._state = "ready"
        n = self.doc.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, n)
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_count_label.setText(tr("gui.pdf.of_pages", count=n))
        self.sidebar.reload()
        self.sidebar.setVisible(self.sidebar_button.isChecked())
        self.stack.setCurrentIndex(0)
        self._set_controls_enabled(True)
        start = self._pages.get(self._current, 0)
        self.navigator.clear()
        self._jump(start if start < n else 0, QPointF(), 0.0)
        if self.search.field.text().strip():
            self.search.research()
        self.document_ready.emit(self._current[1])

    def _fail(self, key: str, *, retry: bool = False, **params: Any) -> None:
        self._unload()
        self._state = "failed"
        self._show_message(key, **params)
        self.retry_button.setVisible(retry)
        if self._current is not None:
            self.load_failed.emit(self._current[1])

    def _unload(self) -> None:
        """Release the decrypted proposal: close the document, close and empty its buffer."""
        if self._current is not None and self._state == "ready":
            self._pages[self._current] = self.navigator.currentPage()
        self._state = "empty"
        self._error = None
        self.search.reset()
        self.doc.close()
        self.buf.close()
        self.buf.setData(QByteArray())
        self.sidebar.reload()
        self.sidebar.setVisible(False)  # nothing to list; comes back with the next document
        self._set_controls_enabled(False)

    # --- view -----------------------------------------------------------------------

    def _show_message(self, key: str, **params: Any) -> None:
        self._message_key, self._message_params = key, params
        self.message.setText(tr(key, **params))
        self.retry_button.setVisible(False)
        self.stack.setCurrentIndex(1)
        self._set_controls_enabled(False)

    def _set_controls_enabled(self, on: bool) -> None:
        for w in (self.prev_button, self.next_button, self.page_box, self.zoom, self.search):
            w.setEnabled(on)
        if not on:
            self.page_count_label.setText("")

    def _jump(self, page: int, location: QPointF, zoom: float) -> None:
        if self._state != "ready":
            return
        page = max(0, min(page, self.doc.pageCount() - 1))
        self.navigator.jump(page, location, zoom or self.navigator.currentZoom())

    def _show_hit(self, index: int, page: int, location: QPointF) -> None:
        self.view.setCurrentSearchResultIndex(index)
        # Leave a little room above the hit so its line is not glued to the top edge.
        self._jump(page, QPointF(0, max(0.0, location.y() - 60)), 0.0)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        if self.sidebar.isVisible():
            self.sidebar.set_current_page(page)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and watched is self.view.viewport():
            assert isinstance(event, QWheelEvent)
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier and self._state == "ready":
                (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
                return True
        return super().eventFilter(watched, event)

    # --- language -------------------------------------------------------------------

    def retranslate(self) -> None:
        self.view.setAccessibleName(tr("gui.pdf.view_name"))
        self.sidebar_button.setToolTip(tr("gui.pdf.sidebar"))
        self.sidebar_button.setAccessibleName(tr("gui.pdf.sidebar"))
        self.prev_button.setToolTip(tr("gui.pdf.prev_page"))
        self.prev_button.setAccessibleName(tr("gui.pdf.prev_page"))
        self.next_button.setToolTip(tr("gui.pdf.next_page"))
        self.next_button.setAccessibleName(tr("gui.pdf.next_page"))
        self.page_box.setAccessibleName(tr("gui.pdf.page_name"))
        self.page_box.setToolTip(tr("gui.pdf.page_name"))
        self.retry_button.setText(tr("gui.pdf.retry"))
        self.message.setAccessibleName(tr("gui.pdf.message_name"))
        self.zoom.retranslate()
        if self._state == "ready":
            self.page_count_label.setText(tr("gui.pdf.of_pages", count=self.doc.pageCount()))
        elif self._error is not None:
            self.message.setText(tr(self._message_key, **{**self._message_params, "message": describe_error(self._error)}))
        else:
            self.message.setText(tr(self._message_key, **self._message_params))
        self.search.retranslate()
        self.sidebar.retranslate()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        wide = self.width() >= WIDE_TOOLBAR
        if wide != self._search_wide:
            self._search_wide = wide
            (self.search_row if wide else self.toolbar).removeWidget(self.search)
            if wide:
                self.toolbar.insertWidget(self.toolbar.count() - 1, self.search, 8)  # beats the trailing stretch
            else:
                self.search_row.addWidget(self.search, 1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
