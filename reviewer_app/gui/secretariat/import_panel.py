"""Importing returned results: drop files or a folder on the tab (or choose them), a report per file.

The import service verifies and stores each file all-or-nothing and never stops on a bad one;
here it runs off the GUI thread with a progress bar and Cancel (the service stops between
files and keeps only complete ones). Each file gets a row: 取込 / 取込済み / 履歴として保存 /
拒否 with the reason in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...i18n import tr
from ...services.secretariat import ImportReport, ImportStatus, Secretariat
from ...services.secretariat.messages import describe_file_report
from .common import make_table
from .keys import KeyProvider
from .progress_run import ProgressRun

COLOURS = {ImportStatus.IMPORTED: "#1e6b2e", ImportStatus.REJECTED: "#b3261e", ImportStatus.SKIPPED: "#7a5a00"}


class ImportPanel(QWidget):
    round_data_changed = Signal()

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatImport")
        self.setAcceptDrops(True)
        self.sec = sec
        self.keys = keys
        self.round_id: str | None = None
        self.report: ImportReport | None = None
        self.drop_label = QLabel(self)
        self.drop_label.setObjectName("importDropZone")
        self.drop_label.setWordWrap(True)
        self.drop_label.setMinimumHeight(70)
        self.drop_label.setStyleSheet("QLabel#importDropZone { border: 2px dashed #888; padding: 12px; }")
        self.files_button = QPushButton(self)
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton(self)
        self.folder_button.clicked.connect(self.choose_folder)
        self.run = ProgressRun(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.report_view, self.report_model, _ = make_table(self, "importReport", sortable=True)
        self.report_view.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.files_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.drop_label)
        lay.addLayout(buttons)
        lay.addWidget(self.run)
        lay.addWidget(self.summary)
        lay.addWidget(self.report_view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.drop_label.setText(tr("gui.secretariat.import.drop"))
        self.files_button.setText(tr("gui.secretariat.import.choose_files"))
        self.folder_button.setText(tr("gui.secretariat.import.choose_folder"))
        self._show_report()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        if round_id != self.round_id:
            self.report = None
            self._show_report()
        self.round_id = round_id
        enabled = round_id is not None
        self.files_button.setEnabled(enabled)
        self.folder_button.setEnabled(enabled)

    # --- choosing and dropping ----------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, tr("gui.secretariat.import.choose_files"), "",
                                                tr("gui.secretariat.import.filter"))
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("gui.secretariat.import.choose_folder"))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.round_id is not None and not self.run.running and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # --- importing ----------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        rid = self.round_id
        if rid is None or self.run.running:
            return

        def go(keys: Any) -> None:
            self.files_button.setEnabled(False)
            self.folder_button.setEnabled(False)
            self.run.start(tr("gui.secretariat.import.running"),
                           lambda progress, cancel: self.sec.import_results(rid, paths, keys, progress=progress,
                                                                            cancel=cancel),
                           self._imported, self._failed)

        self.keys.with_keys(self, go)

    def _failed(self, exc: BaseException) -> None:
        from ..errors import show_error

        self.set_round(self.round_id)
        show_error(self, exc)

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        self.set_round(self.round_id)
        self._show_report()
        if report.changed:
            self.round_data_changed.emit()

    def _show_report(self) -> None:
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        rows = []
        report = self.report
        if report is not None:
            for f in report.files:
                rows.append([f.path.name, tr(f"secretariat.import_status.{f.status.value}"), f.reviewer_id,
                             f.revision if f.revision is not None else "", describe_file_report(f)])
            counts = {s: report.count(s) for s in ImportStatus}
            key = "cancelled" if report.cancelled else "summary"
            self.summary.setText(tr(f"gui.secretariat.import.{key}", files=len(report.files),
                                    imported=counts[ImportStatus.IMPORTED], duplicate=counts[ImportStatus.DUPLICATE],
                                    history=counts[ImportStatus.HISTORY], rejected=counts[ImportStatus.REJECTED],
                                    skipped=counts[ImportStatus.SKIPPED]))
        else:
            self.summary.setText("")
        self.report_model.set_rows([c("file"), c("result"), c("reviewer"), c("revision"), c("reason")], rows)
        if report is not None:
            for n, f in enumerate(report.files):  # colour the status cell: refused files stand out
                colour = COLOURS.get(f.status)
                if colour:
                    self.report_model.rows[n][1] = _Coloured(self.report_model.rows[n][1], colour)
        self.report_view.resizeColumnsToContents()
        self.report_view.resizeRowsToContents()


class _Coloured(str):
    """A status text that carries its colour (the model paints it)."""

    colour: str

    def __new__(cls, text: str, colour: str) -> _Coloured:
        obj = super().__new__(cls, text)
        obj.colour = colour
        return obj
