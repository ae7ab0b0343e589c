"""A read-only view of a rubric: the tree of 視点, groups and 審査項目, and each item's text.

Reachable from the application's Help menu (the open round's rubric, or the shipped one) and
from ``reviewer-app gui --rubric FILE`` for checking a rubric file before a round is built.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QWidget

from ..core.rubric import Group, Item, Rubric, Viewpoint, format_points, iter_item_tree
from ..i18n import tr

ITEM_ROLE = Qt.ItemDataRole.UserRole


class RubricView(QSplitter):
    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.rubric = rubric
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(tr("gui.rubric.tree_name"))
        self.tree.setHeaderLabels([tr("gui.rubric.col_item"), tr("gui.rubric.col_points"), tr("gui.rubric.col_scale")])
        self.tree.setColumnWidth(0, 420)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(tr("gui.rubric.detail_name"))
        self.detail.setOpenExternalLinks(False)
        self.addWidget(self.tree)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self._fill()
        self.tree.currentItemChanged.connect(self._show)
        first_item = self.find_item(rubric.items[0].id)
        if first_item is not None:
            self.tree.setCurrentItem(first_item)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([tr("gui.rubric.col_item"), tr("gui.rubric.col_points"), tr("gui.rubric.col_scale")])
        self.tree.setAccessibleName(tr("gui.rubric.tree_name"))
        self.detail.setAccessibleName(tr("gui.rubric.detail_name"))
        self._show(self.tree.currentItem())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill(self) -> None:
        parents: list[QTreeWidgetItem] = []
        for depth, node in iter_item_tree(self.rubric):
            del parents[depth:]
            if isinstance(node, Item):
                text = f"{node.label} {node.title}"
                scale = self.rubric.scale_of(node).title
            else:
                assert isinstance(node, (Viewpoint, Group))
                text = f"{node.label} {node.title}"
                scale = ""
            row = QTreeWidgetItem([text, format_points(node.points), scale])
            row.setData(0, ITEM_ROLE, node.id if isinstance(node, Item) else None)
            row.setToolTip(0, text)
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if parents:
                parents[-1].addChild(row)
            else:
                self.tree.addTopLevelItem(row)
            parents.append(row)
        self.tree.expandAll()

    def find_item(self, item_id: str) -> QTreeWidgetItem | None:
        it = self.tree.invisibleRootItem()
        stack = [it.child(i) for i in range(it.childCount())]
        while stack:
            node = stack.pop(0)
            if node.data(0, ITEM_ROLE) == item_id:
                return node
            stack.extend(node.child(i) for i in range(node.childCount()))
        return None

    def _show(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        item_id = current.data(0, ITEM_ROLE) if current is not None else None
        if not item_id:
            self.detail.setHtml(self._overview_html())
            return
        self.detail.setHtml(self.item_html(self.rubric.item(item_id)))

    def _overview_html(self) -> str:
        r = self.rubric
        parts = [f"<h2>{escape(r.title)}</h2><p>{escape(r.issued)} {escape(r.issuer)}</p>"]
        parts.append(f"<h3>{escape(tr('gui.rubric.guidance'))}</h3><ul>")
        parts += [f"<li>{escape(g)}</li>" for g in r.guidance]
        parts.append(f"</ul><h3>{escape(tr('gui.rubric.assumptions'))}</h3><ul>")
        parts += [f"<li>{escape(a)}</li>" for a in r.assumptions]
        parts.append("</ul>")
        return "".join(parts)

    def item_html(self, item: Item) -> str:
        r = self.rubric
        scale = r.scale_of(item)
        parts = [
            f"<h2>{escape(r.display_label(item))} {escape(item.title)}（{format_points(item.points)}点）</h2>",
            f"<p>{escape(item.description)}</p>",
        ]
        if item.basis is not None:
            parts.append(
                f"<p><b>{escape(tr('gui.rubric.basis'))}</b>: {format_points(item.basis.count)}{escape(item.basis.unit)}"
                f"（{escape(item.basis.counts)}）</p>"
            )
        if item.perspectives:
            parts.append("<dl>")
            parts += [f"<dt><b>{escape(p.label)}</b></dt><dd>{escape(p.text)}</dd>" for p in item.perspectives]
            parts.append("</dl>")
        parts += [f"<p>{escape(n)}</p>" for n in item.notes]
        marks = "".join(
            f"<tr><td><b>{escape(m.code)}</b></td><td>{escape(m.label if m.label != m.code else '')}</td>"
            f"<td align='right'>{format_points(item.points * m.fraction)}点</td></tr>"
            for m in scale.marks
        )
        parts.append(f"<h3>{escape(scale.title)}</h3><table cellpadding='3'>{marks}</table>")
        if item.document_refs:
            parts.append(f"<p>{escape(tr('gui.rubric.document_refs'))}: {escape('、'.join(item.document_refs))}</p>")
        return "".join(parts)


class RubricWindow(QMainWindow):
    """The rubric viewer in a window of its own, beside the scoring window."""

    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.rubric_view = RubricView(rubric)
        self.setCentralWidget(self.rubric_view)
        self.resize(1100, 760)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.rubric.window_title", title=self.rubric.title))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
