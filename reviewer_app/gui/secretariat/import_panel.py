"""Importing returned results: drop files or a folder on the tab (or choose them), a report per file.

The import service verifies and stores each file all-or-nothing and never stops on a bad one;
here it runs off the GUI thread with a progress bar and Cancel (the service stops between
files and keeps only complete ones). Each file gets a row: 取込 / 取込済み / 履歴として保存 /
拒否 with the reason in words (worded for the clerk: ``services/secretariat/messages.py``).
Under the counts, 「次にすること」 says what the batch means: where to look at the new
results, what to do about refused or unprocessed files, who has still not returned, with a
button to the aggregation tab.

A batch can hold thousands of files, so the report table measures only what is on screen:
column widths from a sample of rows, row heights (the reason wraps) for the rows scrolled
into view, never all of them at once (that alone cost half a second per 1,000 files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...i18n import tr
from ...services.secretariat import ImportReport, ImportStatus, ReviewerState, ReviewerStatus, Secretariat
from ...services.secretariat.messages import describe_file_report
from .common import make_table
from .keys import KeyProvider
from .progress_run import ProgressRun

#: Rows sampled when sizing the report's columns (Qt's default reads up to 1,000 rows per column).
WIDTH_SAMPLE_ROWS = 60

COLOURS = {ImportStatus.IMPORTED: "#1e6b2e", ImportStatus.REJECTED: "#b3261e", ImportStatus.SKIPPED: "#7a5a00"}
#: Reviewers named in 「返却待ち」 before 「ほか n 名」.
NAMED_WAITING = 3
NEXT_TARGET = "secretariatAggregation"


def next_step(report: ImportReport, waiting: list[ReviewerStatus]) -> str:
    """What the clerk does after this batch: the new results, the refused and unprocessed files, who is still out."""
    count = report.count
    parts = [tr("gui.secretariat.import.next.imported", count=count(ImportStatus.IMPORTED))
             if count(ImportStatus.IMPORTED) else tr("gui.secretariat.import.next.nothing_new")]
    if count(ImportStatus.REJECTED):
        parts.append(tr("gui.secretariat.import.next.rejected", count=count(ImportStatus.REJECTED)))
    if count(ImportStatus.SKIPPED):
        parts.append(tr("gui.secretariat.import.next.skipped", count=count(ImportStatus.SKIPPED)))
    if waiting:
        names = "、".join(f"{r.reviewer_id} {r.name}".strip() for r in waiting[:NAMED_WAITING])
        if len(waiting) > NAMED_WAITING:
            names = tr("gui.secretariat.next.and_more", names=names, more=len(waiting) - NAMED_WAITING)
        parts.append(tr("gui.secretariat.import.next.waiting", count=len(waiting), names=names))
    else:
        parts.append(tr("gui.secretariat.import.next.all_returned"))
    return tr("gui.secretariat.next.prefix") + "".join(parts)


class ImportPanel(QWidget):
    round_data_changed = Signal()
    #: The per-file report of a finished (or cancelled) import is on screen.
    report_shown = Signal()
    #: The clerk pressed the next-step button: the name of the tab to show.
    next_requested = Signal(str)

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatImport")
        self.setAcceptDrops(True)
        self.sec = sec
        self.keys = keys
        self.round_id: str | None = None
        self.report: ImportReport | None = None
        #: Reviewers still to return a result, counted after the last batch (on the worker thread, with the report).
        self.waiting: list[ReviewerStatus] = []
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
        self.next_box = QWidget(self)
        self.next_box.setObjectName("importNextBox")
        self.next_box.setStyleSheet("QWidget#importNextBox { background: #e8f0fe; border: 1px solid #8ab4f8; }")
        self.next_label = QLabel(self.next_box)
        self.next_label.setObjectName("importNext")
        self.next_label.setWordWrap(True)
        self.next_button = QPushButton(self.next_box)
        self.next_button.setObjectName("importNextButton")
        self.next_button.clicked.connect(lambda: self.next_requested.emit(NEXT_TARGET))
        nl = QHBoxLayout(self.next_box)
        nl.setContentsMargins(8, 6, 8, 6)
        nl.addWidget(self.next_label, 1)
        nl.addWidget(self.next_button)
        self.next_box.hide()  # until a batch is done
        self.report_view, self.report_model, self.report_proxy = make_table(self, "importReport", sortable=True)
        self.report_view.setWordWrap(True)
        self.report_view.horizontalHeader().setResizeContentsPrecision(WIDTH_SAMPLE_ROWS)
        self._fitted: set[int] = set()  # view rows whose height fits their text
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit_visible_rows)
        self.report_view.verticalScrollBar().valueChanged.connect(lambda _v: self._fit_timer.start(0))
        self.report_proxy.layoutChanged.connect(self._refit_later)  # sorted: other texts in the same rows
        self.report_view.horizontalHeader().sectionResized.connect(lambda *_: self._refit_later())  # wraps anew
        buttons = QHBoxLayout()
        buttons.addWidget(self.files_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.drop_label)
        lay.addLayout(buttons)
        lay.addWidget(self.run)
        lay.addWidget(self.summary)
        lay.addWidget(self.next_box)
        lay.addWidget(self.report_view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.drop_label.setText(tr("gui.secretariat.import.drop"))
        self.files_button.setText(tr("gui.secretariat.import.choose_files"))
        self.folder_button.setText(tr("gui.secretariat.import.choose_folder"))
        self.next_button.setText(tr(f"gui.secretariat.next.go.{NEXT_TARGET}"))
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
        enabled = round_id is not None and not self.run.running  # one batch at a time, even across rounds
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

    def accepts_drops_now(self) -> bool:
        """A drop is taken only when it will start an import (a round is open and none is running)."""
        return self.round_id is not None and not self.run.running

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts_drops_now() and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.accepts_drops_now():
            event.acceptProposedAction()
            self.import_paths(paths)
        else:
            event.ignore()  # the file manager keeps its files; nothing here pretends to import them

    # --- importing ----------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        rid = self.round_id
        if rid is None or self.run.running:
            return

        def work(progress: Any, cancel: Any, keys: Any) -> tuple[ImportReport, list[ReviewerStatus]]:
            report = self.sec.import_results(rid, paths, keys, progress=progress, cancel=cancel)
            return report, self._waiting_in(rid)  # for 「次にすること」, counted off the GUI thread too

        def go(keys: Any) -> None:
            self.files_button.setEnabled(False)
            self.folder_button.setEnabled(False)
            self.run.start(tr("gui.secretariat.import.running"),
                           lambda progress, cancel: work(progress, cancel, keys), self._imported, self._failed)

        self.keys.with_keys(self, go)

    def _failed(self, exc: BaseException) -> None:
        from ..errors import show_error

        self.set_round(self.round_id)
        show_error(self, exc)

    def _imported(self, outcome: tuple[ImportReport, list[ReviewerStatus]]) -> None:
        report, self.waiting = outcome
        self.report = report
        self.set_round(self.round_id)
        self._show_report()
        self.report_shown.emit()
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
            self.next_label.setText(next_step(report, self.waiting))
            # Results to look at: new ones, or ones this batch found already there.
            self.next_button.setVisible(any(counts[s] for s in (ImportStatus.IMPORTED, ImportStatus.HISTORY,
                                                                 ImportStatus.DUPLICATE)))
            self.next_box.show()
        else:
            self.summary.setText("")
            self.next_box.hide()
        self.report_model.set_rows([c("file"), c("result"), c("reviewer"), c("revision"), c("reason")], rows)
        if report is not None:
            for n, f in enumerate(report.files):  # colour the status cell: refused files stand out
                colour = COLOURS.get(f.status)
                if colour:
                    self.report_model.rows[n][1] = _Coloured(self.report_model.rows[n][1], colour)
        self.report_view.resizeColumnsToContents()  # sampled: WIDTH_SAMPLE_ROWS
        self._refit()

    def _waiting_in(self, round_id: str) -> list[ReviewerStatus]:
        """Reviewers holding an issued bundle with no result yet, after this batch (as the overview counts them)."""
        return [r for r in self.sec.overview(round_id).reviewers if r.state is ReviewerState.ISSUED]

    # --- row heights, for the rows on screen only ------------------------------------

    def _refit(self) -> None:
        """New texts in the rows: fit the rows on screen now, the others when they are scrolled into view."""
        self._fitted.clear()
        self._fit_visible_rows()

    def _refit_later(self) -> None:
        """Sorted, or a column's width changed: every height may be stale (coalesced: once per burst)."""
        self._fitted.clear()
        self._fit_timer.start(0)

    def _last_visible_row(self) -> int:
        """The visual index of the last row on screen (the last row when the table is shorter than the view)."""
        view = self.report_view
        bottom = view.verticalHeader().visualIndexAt(view.viewport().height())
        return view.model().rowCount() - 1 if bottom < 0 else bottom

    def _fit_visible_rows(self) -> None:
        view = self.report_view
        if not view.model().rowCount():
            return
        header = view.verticalHeader()
        bottom = self._last_visible_row()
        for visual in range(max(0, header.visualIndexAt(0)), bottom + 1):
            row = header.logicalIndex(visual)
            if row not in self._fitted:
                self._fitted.add(row)
                view.resizeRowToContents(row)
        if self._last_visible_row() > bottom:
            self._fit_timer.start(0)  # rows became shorter: more of them are on screen now

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_timer.start(0)


class _Coloured(str):
    """A status text that carries its colour (the model paints it)."""

    colour: str

    def __new__(cls, text: str, colour: str) -> _Coloured:
        obj = super().__new__(cls, text)
        obj.colour = colour
        return obj
