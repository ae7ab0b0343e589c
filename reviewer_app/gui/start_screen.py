"""The first thing a reviewer sees: their review rounds, and how to add or remove one.

Each stored bundle is one row: the round's title, the reviewer, the deadline (overdue in red,
with the word, never colour alone), progress as "n of m complete" and the last export's
revision and time. A bundle is added with the file dialog or by dropping the file on the
screen; adding it opens it at once, which is what the reviewer came to do. Removing asks first
and says exactly what is deleted (and what is not), so a damaged copy can be replaced by a good
one without fear.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import ReviewerAppError
from ..i18n import tr
from ..services.workspace import AddOutcome, BundleSummary, Workspace
from .errors import show_error
from .settings import app_settings
from .tasks import Op

BUNDLE_SUFFIX = ".rvb"
OVERDUE = "#b71c1c"
COLUMNS = ("round", "reviewer", "deadline", "progress", "export")


def local_time(iso: str | None) -> str:
    """An ISO timestamp in the computer's local time, as ``YYYY-MM-DD HH:MM``."""
    if not iso:
        return ""
    dt = QDateTime.fromString(iso, Qt.DateFormat.ISODateWithMs)
    if not dt.isValid():
        dt = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    return dt.toLocalTime().toString("yyyy-MM-dd HH:mm") if dt.isValid() else iso


class StartScreen(QWidget):
    """The reviewer's rounds. Emits ``open_requested(bundle_id)``; the window opens it."""

    open_requested = Signal(str)
    #: After a bundle was added or removed (the window may refresh other views).
    bundles_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summaries: list[BundleSummary] = []
        self.setAcceptDrops(True)

        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)

        # The list of rounds, or a friendly empty state when there is none yet.
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("roundsList")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnCount(len(COLUMNS))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # Roomy rows in a slightly larger font: this list is read by people who review for a living,
        # often on a small laptop screen, and should be as easy to scan as a table on paper.
        list_font = self.tree.font()
        list_font.setPointSizeF(list_font.pointSizeF() * 1.1)
        self.tree.setFont(list_font)
        self.tree.setStyleSheet("QTreeView#roundsList::item { padding: 7px 4px; }")
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)

        self.empty = QFrame(self)
        self.empty.setObjectName("emptyState")
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_title = QLabel(self.empty)
        ef = self.empty_title.font()
        ef.setPointSizeF(ef.pointSizeF() * 1.25)
        ef.setBold(True)
        self.empty_title.setFont(ef)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel(self.empty)
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_add = QPushButton(self.empty)
        self.empty_add.clicked.connect(self.choose_and_add)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addSpacing(12)
        empty_layout.addWidget(self.empty_add, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.tree)
        self.pages.addWidget(self.empty)

        self.open_button = QPushButton(self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.choose_and_add)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.forget_button = QPushButton(self)
        self.forget_button.clicked.connect(self.forget_selected)
        self.drop_hint = QLabel(self)
        self.drop_hint.setObjectName("muted")
        self.drop_hint.setWordWrap(True)  # a narrow window wraps the hint rather than refusing to shrink
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.forget_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.drop_hint, 1)  # takes the rest of the row, wraps only when it must

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

        self.retranslate()
        self.refresh()

    # --- text ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(tr("gui.start.heading"))
        self.intro.setText(tr("gui.start.intro"))
        self.tree.setHeaderLabels([tr(f"gui.start.col_{c}") for c in COLUMNS])
        self.tree.setAccessibleName(tr("gui.start.list_name"))
        self.empty_title.setText(tr("gui.start.empty_title"))
        self.empty_text.setText(tr("gui.start.empty_text"))
        self.empty_add.setText(tr("gui.start.add"))
        self.open_button.setText(tr("gui.start.open"))
        self.add_button.setText(tr("gui.start.add"))
        self.remove_button.setText(tr("gui.start.remove"))
        self.forget_button.setText(tr("gui.start.forget"))
        self.forget_button.setToolTip(tr("gui.start.forget_tip"))
        self.drop_hint.setText(tr("gui.start.drop_hint"))
        for button in (self.open_button, self.add_button, self.remove_button, self.forget_button, self.empty_add):
            button.setAccessibleName(button.text())
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- the list -----------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Re-read every bundle's summary from the workspace (cheap: the database only)."""
        current = select or self.selected_bundle()
        self.summaries = self.workspace.bundle_summaries()
        self._fill(current)

    def _fill(self, select: str | None = None) -> None:
        if not hasattr(self, "summaries"):
            return
        select = select or self.selected_bundle()
        self.tree.clear()
        for s in self.summaries:
            item = QTreeWidgetItem(self.tree, self._cells(s))
            item.setData(0, Qt.ItemDataRole.UserRole, s.bundle_id)
            item.setToolTip(0, tr("gui.start.tooltip", bundle=s.bundle_id, file=str(s.stored_file)))
            if not s.unlocked:
                f = QFont(item.font(0))
                f.setItalic(True)
                item.setFont(0, f)
            else:
                f = QFont(item.font(0))
                f.setBold(True)
                item.setFont(0, f)
            if s.overdue:
                item.setForeground(2, QBrush(QColor(OVERDUE)))
            if select == s.bundle_id:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.pages.setCurrentWidget(self.tree if self.summaries else self.empty)
        self.drop_hint.setVisible(bool(self.summaries))
        self._update_buttons()

    def _cells(self, s: BundleSummary) -> list[str]:
        if not s.unlocked:
            return [tr("gui.start.not_opened", bundle=s.bundle_id[:8]), "—", "—", tr("gui.start.progress_unknown"), "—"]
        title = s.title or s.round_id or s.bundle_id
        if s.round_id and s.title:
            title = tr("gui.start.round_title", title=s.title, round=s.round_id)
        if not s.deadline:
            deadline = tr("gui.start.no_deadline")
        elif s.overdue:
            deadline = tr("gui.start.overdue", deadline=s.deadline)
        else:
            deadline = s.deadline
        progress = tr("gui.start.progress", complete=s.complete, total=s.proposals - s.conflicts)
        if s.conflicts:
            progress += tr("gui.start.progress_conflicts", count=s.conflicts)
        if s.last_export_revision is None:
            export = tr("gui.start.never_exported")
        else:
            export = tr("gui.start.exported", revision=s.last_export_revision, at=local_time(s.last_exported_at))
            if s.changed_since_export:
                export += tr("gui.start.changed_since")
        return [title, s.reviewer_name or "—", deadline, progress, export]

    def selected_bundle(self) -> str | None:
        if not hasattr(self, "tree"):
            return None
        item = self.tree.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def select_bundle(self, bundle_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == bundle_id:
                self.tree.setCurrentItem(item)
                return

    def summary(self, bundle_id: str) -> BundleSummary | None:
        return next((s for s in self.summaries if s.bundle_id == bundle_id), None)

    def _update_buttons(self) -> None:
        has = self.selected_bundle() is not None
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.forget_button.setEnabled(has)

    # --- actions ------------------------------------------------------------------

    def open_selected(self) -> None:
        bundle = self.selected_bundle()
        if bundle is not None:
            self.open_requested.emit(bundle)

    def choose_and_add(self) -> None:
        settings = app_settings()
        start = settings.value("last_open_folder") or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, tr("gui.start.add_title"), start, tr("gui.start.add_filter", suffix=BUNDLE_SUFFIX)
        )
        if path:
            settings.set("last_open_folder", str(Path(path).parent))
            self.add_files([Path(path)])

    def add_files(self, paths: list[Path], *, open_existing: bool = False) -> None:
        """Add each file (off the GUI thread: a large bundle is copied); open the last one added.

        ``open_existing``: the files were handed to the application to open (a double-click,
        ``reviewer-app gui FILE``), so one that is already here is simply opened.
        """
        for path in paths:
            Op(self, lambda p=path: self.workspace.add_bundle(p), busy=tr("gui.start.adding")).success(
                lambda outcome: self._added(outcome, open_existing=open_existing)).run()

    def _added(self, outcome: AddOutcome, *, open_existing: bool = False) -> None:
        self.refresh(select=outcome.bundle_id)
        self.bundles_changed.emit()
        if not outcome.added and open_existing:
            self.open_requested.emit(outcome.bundle_id)
            return
        if not outcome.added:
            QMessageBox.information(
                self, tr("app.name"), "\n".join(tr("warning." + n.code, **n.params) for n in outcome.notices)
            )
            return
        self.open_requested.emit(outcome.bundle_id)

    def remove_selected(self) -> None:
        bundle = self.selected_bundle()
        if bundle is not None:
            self.remove(bundle)

    def forget_selected(self) -> None:
        """Forget the round's key kept in the OS keyring (a shared or handed-over computer)."""
        bundle = self.selected_bundle()
        if bundle is None:
            return

        def done(forgotten: bool) -> None:
            key = "gui.start.forgotten" if forgotten else "gui.start.nothing_remembered"
            box = QMessageBox(QMessageBox.Icon.Information, tr("gui.start.forget_title"), tr(key), parent=self)
            box.setObjectName("forgetResult")
            box.exec()

        Op(self, lambda: self.workspace.forget_passphrase(bundle), busy=tr("gui.start.forgetting")).success(done).run()

    def confirm_removal_text(self, bundle_id: str) -> tuple[str, str]:
        """The question, and a plain statement of what is deleted (with counts) and what is kept."""
        s = self.summary(bundle_id)
        name = (s.title if s and s.title else None) or tr("gui.start.not_opened", bundle=bundle_id[:8])
        r = self.workspace.removal_summary(bundle_id)
        lines = [tr("gui.start.remove_deleted"), tr("gui.start.remove_copy")]
        if r.proposals:
            lines.append(tr("gui.start.remove_entries", proposals=r.proposals, entries=r.entries, comments=r.comments))
        if r.notes or r.conflicts:
            lines.append(tr("gui.start.remove_notes", notes=r.notes, conflicts=r.conflicts))
        if r.justification:
            lines.append(tr("gui.start.remove_justification"))
        if r.exports:
            lines.append(tr("gui.start.remove_exports", exports=r.exports))
        details = "\n".join(lines) + "\n\n" + tr("gui.start.remove_kept") + "\n" + tr("gui.start.remove_replace_hint")
        if r.unexported_changes and (r.entries or r.comments or r.notes or r.conflicts):
            details = tr("gui.start.remove_unexported") + "\n\n" + details
        return tr("gui.start.remove_question", title=name), details

    def remove(self, bundle_id: str) -> bool:
        """Ask, then delete the stored bundle and everything recorded for it. True if removed."""
        question, details = self.confirm_removal_text(bundle_id)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("gui.start.remove_title"), question, parent=self)
        box.setObjectName("confirmRemoval")
        box.setInformativeText(details)
        remove = box.addButton(tr("gui.start.remove_confirm"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not remove:
            return False
        try:
            self.workspace.remove_bundle(bundle_id, confirmed=True)
        except ReviewerAppError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        self.bundles_changed.emit()
        return True

    # --- drag and drop ----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event)
        if files:
            event.acceptProposedAction()
            self.add_files(files)


def _local_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
