"""Export and print: CSV / Excel of the round's views, the panel documents and the decision tables as PDFs.

Each output is written where the clerk chooses, by the service (which audits it), off the GUI
thread. The output rule is the application's one (``core.atomic.check_output_path``): a
folder, device or link is never replaced; an existing regular file only after the clerk says
so here (the file dialog's own question is switched off so the rule is asked once, in our
words); the service checks again right before writing. A written file is offered to open;
every file written for the round in this session stays listed below the buttons (the Excel
book written before the PDF is still one double-click away).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.atomic import check_output_path
from ...core.errors import OutputPathError
from ...i18n import tr
from ...services.secretariat import Secretariat
from ...services.secretariat.model import WrittenFile
from ..tasks import Op
from .common import open_file
from .keys import KeyProvider


@dataclass(frozen=True)
class ExportKind:
    """One button: what it writes, the suggested file name and how the service writes it."""

    key: str
    suffix: str
    write: Callable[[Secretariat, str, Path, bool], WrittenFile]


def _csv(view: str) -> Callable[[Secretariat, str, Path, bool], WrittenFile]:
    return lambda sec, rid, path, overwrite: sec.export_csv(rid, view, path, overwrite=overwrite)


#: In the order the buttons show them.
KINDS: tuple[ExportKind, ...] = (
    ExportKind("xlsx", ".xlsx", lambda sec, rid, path, overwrite: sec.export_xlsx(rid, path, overwrite=overwrite)),
    ExportKind("csv_proposals", ".csv", _csv("proposals")),
    ExportKind("csv_reviewers", ".csv", _csv("reviewers")),
    ExportKind("csv_decisions", ".csv", _csv("decisions")),
    ExportKind("panel_pdf", ".pdf", lambda sec, rid, path, overwrite: sec.panel_pdf(rid, path, overwrite=overwrite)),
    ExportKind("tables_pdf", ".pdf",
               lambda sec, rid, path, overwrite: sec.decision_tables_pdf(rid, path, overwrite=overwrite)),
)
KIND_BY_KEY = {k.key: k for k in KINDS}


class ExportsPanel(QWidget):
    written = Signal(object)  # WrittenFile, once a file is on disk

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatExports")
        self.sec = sec
        self.round_id: str | None = None
        self.folder: Path | None = None
        self.last: WrittenFile | None = None
        #: Every file written for the current round in this session, oldest first.
        self.history: list[WrittenFile] = []
        self.running = False
        #: Replaceable in tests: where to write (None = the clerk cancelled) and the yes/no question.
        self.choose_path: Callable[[ExportKind, Path], Path | None] = self._ask_path
        self.confirm: Callable[[str], bool] = lambda text: QMessageBox.question(
            self, tr("gui.secretariat.exports.replace_title"), text) == QMessageBox.StandardButton.Yes

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.tables_box = QGroupBox(self)
        self.docs_box = QGroupBox(self)
        self.buttons: dict[str, QPushButton] = {}
        grids = {"tables": QGridLayout(self.tables_box), "docs": QGridLayout(self.docs_box)}
        self.hints: dict[str, QLabel] = {}
        for n, kind in enumerate(KINDS):
            grid = grids["docs" if kind.suffix == ".pdf" else "tables"]
            button = QPushButton(self)
            button.setObjectName(f"export_{kind.key}")
            button.clicked.connect(lambda _c=False, k=kind.key: self.export(k))
            hint = QLabel(self)
            hint.setWordWrap(True)
            grid.addWidget(button, n, 0)
            grid.addWidget(hint, n, 1)
            grid.setColumnStretch(1, 1)
            self.buttons[kind.key] = button
            self.hints[kind.key] = hint
        self.status = QLabel(self)
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("exportOpen")
        self.open_button.clicked.connect(self.open_last)
        self.open_button.setEnabled(False)
        self.folder_button = QPushButton(self)
        self.folder_button.setObjectName("exportOpenFolder")
        self.folder_button.clicked.connect(self.open_folder)
        self.folder_button.setEnabled(False)
        self.written_title = QLabel(self)
        self.written_list = QListWidget(self)
        self.written_list.setObjectName("exportWritten")
        self.written_list.itemActivated.connect(lambda item: self._open_item(item))
        self.written_list.currentRowChanged.connect(lambda _r: self._enable_open())
        self.written_title.setBuddy(self.written_list)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.folder_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.tables_box)
        lay.addWidget(self.docs_box)
        lay.addLayout(bottom)
        lay.addWidget(self.written_title)
        lay.addWidget(self.written_list, 1)
        self.retranslate()
        self.set_round(None)

    def retranslate(self) -> None:
        self.intro.setText(tr("gui.secretariat.exports.intro"))
        self.tables_box.setTitle(tr("gui.secretariat.exports.tables"))
        self.docs_box.setTitle(tr("gui.secretariat.exports.documents"))
        for key, button in self.buttons.items():
            button.setText(tr(f"gui.secretariat.exports.{key}"))
            self.hints[key].setText(tr(f"gui.secretariat.exports.hint.{key}"))
        self.open_button.setText(tr("gui.secretariat.exports.open"))
        self.folder_button.setText(tr("gui.secretariat.exports.open_folder"))
        self.written_title.setText(tr("gui.secretariat.exports.written_title"))
        self._show_last()
        self._show_history()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        if round_id != self.round_id:
            self.last = None
            self.history = []
            self._show_last()
            self._show_history()
        self.round_id = round_id
        self._enable()

    def _enable(self) -> None:
        for button in self.buttons.values():
            button.setEnabled(self.round_id is not None and not self.running)

    # --- choosing where -----------------------------------------------------------

    def suggested_name(self, kind: ExportKind) -> str:
        return tr(f"gui.secretariat.exports.file.{kind.key}", round=self.round_id or "") + kind.suffix

    def _ask_path(self, kind: ExportKind, suggested: Path) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr(f"gui.secretariat.exports.{kind.key}"), str(suggested),
            tr(f"gui.secretariat.exports.filter{kind.suffix.replace('.', '_')}"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == kind.suffix else path.with_name(path.name + kind.suffix)

    def _overwrite_allowed(self, path: Path) -> bool | None:
        """False: a new file; True: the clerk agreed to replace it; None: stop (refused or declined)."""
        if path.is_file() and not path.is_symlink():
            if not self.confirm(tr("gui.secretariat.exports.replace_question", path=str(path))):
                return None
            overwrite = True
        else:
            overwrite = False
        try:
            check_output_path(path, overwrite=overwrite)  # a folder, link or missing folder: said in words
        except OutputPathError as exc:
            self._failed(exc)
            return None
        return overwrite

    # --- writing ------------------------------------------------------------------

    def export(self, key: str) -> None:
        kind = KIND_BY_KEY[key]
        rid = self.round_id
        if rid is None or self.running:
            return
        folder = self.folder or Path.home()
        path = self.choose_path(kind, folder / self.suggested_name(kind))
        if path is None:
            return
        self.folder = path.parent
        overwrite = self._overwrite_allowed(path)
        if overwrite is None:
            return
        self.running = True
        self._enable()
        self.status.setText(tr("gui.secretariat.exports.writing", path=str(path)))
        sec = self.sec
        Op(self, lambda: kind.write(sec, rid, path, overwrite),
           busy=tr("gui.secretariat.exports.writing", path=path.name)).success(self._done).failure(self._failed).run()

    def _done(self, written: WrittenFile) -> None:
        self.running = False
        self._enable()
        self.last = written
        self.history = [w for w in self.history if w.path != written.path] + [written]
        self._show_last()
        self._show_history()
        self.written.emit(written)

    def _failed(self, exc: BaseException) -> None:
        from ..errors import show_error

        self.running = False
        self._enable()
        self._show_last()
        show_error(self, exc)

    def _show_last(self) -> None:
        w = self.last
        if w is None:
            self.status.setText("")
            return
        text = self._describe(w, full=True)
        for warning in w.warnings:
            text += "\n" + warning
        self.status.setText(text)

    def _describe(self, w: WrittenFile, *, full: bool) -> str:
        path = str(w.path) if full else w.path.name
        if w.pages:
            return tr("gui.secretariat.exports.written_pages", path=path, pages=w.pages)
        return tr("gui.secretariat.exports.written_rows", path=path, rows=w.rows)

    def _show_history(self) -> None:
        self.written_list.clear()
        if not self.history:
            self.written_list.addItem(tr("gui.secretariat.exports.written_none"))
            self.written_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        for w in self.history:
            item = QListWidgetItem(self._describe(w, full=False), self.written_list)
            item.setData(Qt.ItemDataRole.UserRole, str(w.path))
            item.setToolTip(str(w.path))
        if self.history:
            self.written_list.setCurrentRow(len(self.history) - 1)
        self._enable_open()

    def _selected(self) -> WrittenFile | None:
        item = self.written_list.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((w for w in self.history if str(w.path) == path), None)

    def _enable_open(self) -> None:
        self.open_button.setEnabled(self._selected() is not None)
        self.folder_button.setEnabled(self._selected() is not None)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            open_file(Path(path))

    def open_last(self) -> None:
        """The file selected in the list (the last one written, unless the clerk chose another)."""
        w = self._selected() or self.last
        if w is not None:
            open_file(w.path)

    def open_folder(self) -> None:
        w = self._selected() or self.last
        if w is not None:
            open_file(w.path.parent)

