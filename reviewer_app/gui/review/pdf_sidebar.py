"""The PDF pane's side panel: page thumbnails, and the document's bookmarks when it has any.

Thumbnails are rendered on demand, only for pages the list actually shows, by a
multi-threaded ``QPdfPageRenderer`` (the same machinery ``QPdfView`` uses), so opening a
100-page proposal costs nothing until the reviewer looks at the thumbnails and never
blocks the window. They are dropped with the document when the proposal changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument, QPdfPageRenderer
from PySide6.QtWidgets import QAbstractItemView, QListView, QTabWidget, QTreeView, QWidget

from ...i18n import tr

THUMB_WIDTH = 110

_Index = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row per page; the picture is requested the first time a view asks for it."""

    def __init__(self, doc: QPdfDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._pages = 0
        self._images: dict[int, QImage] = {}
        self._requests: dict[int, int] = {}  # request id -> page
        self._dpr = 1.0
        self._renderer = QPdfPageRenderer(self)
        self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self._renderer.setDocument(doc)
        self._renderer.pageRendered.connect(self._rendered)

    def set_device_pixel_ratio(self, dpr: float) -> None:
        self._dpr = max(1.0, dpr)

    def reload(self) -> None:
        """Follow the document: its page count now, no pictures yet (and none of the old one)."""
        self.beginResetModel()
        self._images.clear()
        self._requests.clear()
        ready = self._doc.status() == QPdfDocument.Status.Ready
        self._pages = self._doc.pageCount() if ready else 0
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
            if page not in self._requests.values():
                size = self._thumb_size(page)
                scaled = QSize(round(size.width() * self._dpr), round(size.height() * self._dpr))
                self._requests[self._renderer.requestPage(page, scaled)] = page
            placeholder = QPixmap(self._thumb_size(page))
            placeholder.fill(QColor("white"))
            return placeholder
        return None

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
        self.setTabVisible(1, has)
        if has:
            self.bookmark_tree.expandToDepth(0)
        self.setCurrentIndex(1 if has else 0)

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
