"""The PDF pane's side panel: page thumbnails, and the document's bookmarks when it has any.

Thumbnails are rendered on demand, only for pages the list actually shows, by a
multi-threaded ``QPdfPageRenderer`` (the same machinery ``QPdfView`` uses), so opening a
100-page proposal costs nothing until the reviewer looks at the thumbnails and never
blocks the window. They are dropped with the document when the proposal changes.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument, QPdfPageRenderer
from PySide6.QtWidgets import QAbstractItemView, QListView, QTabWidget, QTreeView, QWidget

from ...i18n import tr

THUMB_WIDTH = 110
#: A thumbnail asked for this long ago without an answer is asked for again.
RETRY_AFTER_S = 3.0

_Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row per page; the picture is requested the first time a view asks for it."""

    def __init__(self, doc: QPdfDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._pages = 0
        self._images: dict[int, QImage] = {}
        self._requests: dict[int, int] = {}  # request id -> page
        self._asked: dict[int, float] = {}  # page -> when it was requested (monotonic seconds)
        self._wanted: set[int] = set()
        self._dpr = 1.0
        # Requests leave from the event loop, never from inside a view's data() call: a view may
        # ask while the document is still announcing Ready, and the renderer drops requests made
        # before it has seen that announcement itself.
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._request_wanted)
        self._renderer: QPdfPageRenderer | None = None

    def set_device_pixel_ratio(self, dpr: float) -> None:
        self._dpr = max(1.0, dpr)

    def reload(self) -> None:
        """Follow the document: its page count now, no pictures yet (and none of the old one)."""
        self.beginResetModel()
        self._images.clear()
        self._requests.clear()
        self._asked.clear()
        self._wanted.clear()
        ready = self._doc.status() == QPdfDocument.Status.Ready
        self._pages = self._doc.pageCount() if ready else 0
        # A fresh renderer per document: one kept across documents loses requests now and then.
        if self._renderer is not None:
            self._renderer.pageRendered.disconnect(self._rendered)
            self._renderer.deleteLater()
            self._renderer = None
        if ready:
            self._renderer = QPdfPageRenderer(self)
            self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
            self._renderer.setDocument(self._doc)
            self._renderer.pageRendered.connect(self._rendered)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else self._pages

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._pages:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.AccessibleTextRole or role == Qt.ItemDataRole.ToolTipRole:
            return tr("gui.pdf.thumbnail_name", page=page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            image = self._images.get(page)
            if image is not None:
                return QPixmap.fromImage(image)
            asked = self._asked.get(page)
            if asked is None or time.monotonic() - asked > RETRY_AFTER_S:  # never asked, or the answer got lost
                self._wanted.add(page)
                self._flush.start()
            placeholder = QPixmap(self._thumb_size(page))
            placeholder.fill(QColor("white"))
            return placeholder
        return None

    def _request_wanted(self) -> None:
        if self._doc.status() != QPdfDocument.Status.Ready or self._renderer is None:
            self._wanted.clear()
            return
        now = time.monotonic()
        for page in sorted(self._wanted):
            if page < self._pages and page not in self._images:
                size = self._thumb_size(page)
                scaled = QSize(round(size.width() * self._dpr), round(size.height() * self._dpr))
                self._requests[self._renderer.requestPage(page, scaled)] = page
                self._asked[page] = now
        self._wanted.clear()

    def _thumb_size(self, page: int) -> QSize:
        pts = self._doc.pagePointSize(page)
        if pts.width() <= 0 or pts.height() <= 0:
            return QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.414))
        return QSize(THUMB_WIDTH, max(1, round(THUMB_WIDTH * pts.height() / pts.width())))

    def _rendered(self, page: int, _size: QSize, image: QImage, _options: object, request_id: int) -> None:
        if self._requests.pop(request_id, None) != page or page >= self._pages:
            return  # a picture of the previous proposal, or of a page no longer there
        self._images[page] = _on_paper(image, self._dpr)
        idx = self.index(page)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


def _on_paper(image: QImage, dpr: float) -> QImage:
    """PDFium leaves the page transparent: put it on white paper with a thin edge."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.setPen(QColor("#9a9a9a"))
    painter.drawRect(0, 0, paper.width() - 1, paper.height() - 1)
    painter.end()
    paper.setDevicePixelRatio(dpr)
    return paper


class PdfSidebar(QTabWidget):
    """Thumbnails (always) and bookmarks (only when the PDF has an outline)."""

    #: (page, location in points, zoom or 0) to show.
    page_requested = Signal(int, QPointF, float)

    def __init__(self, doc: QPdfDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfSidebar")
        self.setDocumentMode(True)
        self._doc = doc

        self.thumbnails = ThumbnailModel(doc, self)
        self.thumbnail_list = QListView(self)
        self.thumbnail_list.setObjectName("pdfThumbnails")
        self.thumbnail_list.setModel(self.thumbnails)
        self.thumbnail_list.setViewMode(QListView.ViewMode.IconMode)
        self.thumbnail_list.setFlow(QListView.Flow.TopToBottom)
        self.thumbnail_list.setWrapping(False)
        self.thumbnail_list.setMovement(QListView.Movement.Static)
        self.thumbnail_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.thumbnail_list.setUniformItemSizes(True)  # only visible pages are asked for (and rendered)
        self.thumbnail_list.setIconSize(QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.414)))
        self.thumbnail_list.setSpacing(4)
        self.thumbnail_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.thumbnail_list.activated.connect(self._thumbnail_activated)
        self.thumbnail_list.clicked.connect(self._thumbnail_activated)

        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(doc)
        self.bookmark_tree = QTreeView(self)
        self.bookmark_tree.setObjectName("pdfBookmarks")
        self.bookmark_tree.setModel(self.bookmarks)
        self.bookmark_tree.setHeaderHidden(True)
        self.bookmark_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bookmark_tree.activated.connect(self._bookmark_activated)
        self.bookmark_tree.clicked.connect(self._bookmark_activated)
        # The bookmark model rebuilds itself on the document's own status signal, which may
        # come after the pane's: follow the model, not the document.
        self.bookmarks.modelReset.connect(self._bookmarks_changed)
        self.bookmarks.rowsInserted.connect(self._bookmarks_changed)

        self.addTab(self.thumbnail_list, "")
        self.addTab(self.bookmark_tree, "")
        #: The tab the reviewer picked (kept across proposals); None: bookmarks when there are any.
        self._preferred: int | None = None
        self._switching = False
        self.currentChanged.connect(self._tab_chosen)
        self.setMinimumWidth(THUMB_WIDTH + 40)
        self.retranslate()
        self.reload()

    def has_bookmarks(self) -> bool:
        return self.bookmarks.rowCount() > 0

    def reload(self) -> None:
        """Called when the document changed (loaded, failed or closed)."""
        self.thumbnails.set_device_pixel_ratio(self.devicePixelRatioF())
        self.thumbnails.reload()
        self._bookmarks_changed()

    def _bookmarks_changed(self) -> None:
        has = self.has_bookmarks()
        self._switching = True
        try:
            self.setTabVisible(1, has)
            if has:
                self.bookmark_tree.expandToDepth(0)
            wanted = 1 if self._preferred is None else self._preferred
            self.setCurrentIndex(wanted if has else 0)
        finally:
            self._switching = False

    def _tab_chosen(self, index: int) -> None:
        if not self._switching:
            self._preferred = index

    def set_current_page(self, page: int) -> None:
        if 0 <= page < self.thumbnails.rowCount():
            idx = self.thumbnails.index(page)
            self.thumbnail_list.setCurrentIndex(idx)
            self.thumbnail_list.scrollTo(idx)

    def retranslate(self) -> None:
        self.setTabText(0, tr("gui.pdf.tab_pages"))
        self.setTabText(1, tr("gui.pdf.tab_bookmarks"))
        self.thumbnail_list.setAccessibleName(tr("gui.pdf.thumbnails_name"))
        self.bookmark_tree.setAccessibleName(tr("gui.pdf.bookmarks_name"))

    def _thumbnail_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.page_requested.emit(index.row(), QPointF(), 0.0)

    def _bookmark_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        page = index.data(int(QPdfBookmarkModel.Role.Page))
        location = index.data(int(QPdfBookmarkModel.Role.Location))
        if isinstance(page, int) and page >= 0:
            self.page_requested.emit(page, location if isinstance(location, QPointF) else QPointF(), 0.0)
