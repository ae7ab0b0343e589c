"""Issuing: a bundle and a passphrase letter per reviewer, with progress, and a confirmed re-issue.

The plan (who gets a new bundle, who is up to date, whose assignment changed) is shown before
anything is written; re-issuing asks first, because results answering the old bundle will be
refused. The secretariat key's signing fingerprint is shown: reviewers compare it in the app.
「バンドルを作成」 is enabled only while the plan has someone to issue to, so a clerk never
presses it to no effect; 「再配布…」 only once something has been issued.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.bundle.model import DEFAULT_KDF, KdfParams
from ...core.errors import OutputPathError, SecretariatError
from ...core.keys import SecretariatKeys
from ...i18n import tr
from ...services.secretariat import IssueReport, IssueState, Secretariat
from .common import make_table, open_file, show_message
from .keys import KeyProvider
from .progress_run import ProgressRun


class IssuePanel(QWidget):
    round_data_changed = Signal()

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatIssue")
        self.sec = sec
        self.keys = keys
        self.round_id: str | None = None
        self.kdf: KdfParams = DEFAULT_KDF  # tests use the format's cheapest cost
        self.report: IssueReport | None = None
        #: Asks the clerk a yes/no question; tests replace it.
        self.confirm: Any = lambda text: QMessageBox.question(self, tr("gui.secretariat.issue.reissue_title"), text) \
            == QMessageBox.StandardButton.Yes
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.fingerprint = QLabel(self)
        self.fingerprint.setObjectName("issueFingerprint")
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to paste into a mail
        self.plan_view, self.plan_model, _ = make_table(self, "issuePlan")
        self.plan_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.plan_title = QLabel(self)
        self.plan_title.setBuddy(self.plan_view)
        self.folder_label = QLabel(self)
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("issueFolder")
        self.folder_label.setBuddy(self.folder_edit)
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(self.choose_folder)
        self.issue_button = QPushButton(self)
        self.issue_button.setObjectName("issueButton")
        self.issue_button.clicked.connect(lambda: self.issue(reissue=False))
        self.reissue_button = QPushButton(self)
        self.reissue_button.setObjectName("reissueButton")
        self.reissue_button.clicked.connect(self.ask_reissue)
        self.run = ProgressRun(self)
        self.result_title = QLabel(self)
        self.result_view, self.result_model, _ = make_table(self, "issueResult")
        self.result_view.doubleClicked.connect(self._open_row)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_folder)
        self.open_button.setEnabled(False)

        row = QHBoxLayout()
        row.addWidget(self.folder_label)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.reissue_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.fingerprint)
        lay.addWidget(self.plan_title)
        lay.addWidget(self.plan_view, 1)
        lay.addLayout(row)
        lay.addLayout(buttons)
        lay.addWidget(self.run)
        lay.addWidget(self.result_title)
        lay.addWidget(self.result_view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(tr("gui.secretariat.issue.intro"))
        self.plan_title.setText(tr("gui.secretariat.issue.plan_title"))
        self.folder_label.setText(tr("gui.secretariat.issue.folder"))
        self.folder_edit.setPlaceholderText(tr("gui.secretariat.issue.folder_hint"))
        self.choose_button.setText(tr("gui.secretariat.setup.choose"))
        self.issue_button.setText(tr("gui.secretariat.issue.issue"))
        self.reissue_button.setText(tr("gui.secretariat.issue.reissue"))
        self.open_button.setText(tr("gui.secretariat.issue.open_folder"))
        self.result_title.setText(tr("gui.secretariat.issue.result_title"))
        self._show_fingerprint(self.keys.loaded)
        self.refresh()
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
        self.refresh()

    def refresh(self) -> None:
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        rows = []
        plan = self.sec.issue_plan(self.round_id) if self.round_id is not None else []
        if self.round_id is not None:
            names = {r.reviewer_id: r.name for r in self.sec.reviewers(self.round_id)}
            for item in plan:
                rows.append([item.reviewer_id, names.get(item.reviewer_id, ""), item.proposals,
                             tr(f"gui.secretariat.issue.plan.{item.state.value}")])
        self.plan_model.set_rows([c("reviewer"), c("name"), c("assigned"), c("plan")], rows)
        self.plan_view.resizeColumnsToContents()
        idle = self.round_id is not None and not self.run.running
        self.issue_button.setEnabled(idle and any(i.state is IssueState.ISSUED for i in plan))
        self.reissue_button.setEnabled(idle and any(i.bundle_id is not None for i in plan))
        if self.report is None:
            self.run.label.setText(self._plan_summary(plan))

    def _plan_summary(self, plan: list[Any]) -> str:
        """What pressing the buttons would do, before anything is written."""
        if self.round_id is None:
            return ""
        todo = sum(1 for i in plan if i.state is IssueState.ISSUED)
        changed = sum(1 for i in plan if i.state is IssueState.NEEDS_REISSUE)
        if todo:
            return tr("gui.secretariat.issue.todo", count=todo)
        if changed:
            return tr("gui.secretariat.issue.changed", count=changed)
        return tr("gui.secretariat.issue.all_issued")

    def _show_fingerprint(self, keys: SecretariatKeys | None) -> None:
        fp = keys.public.signing_fingerprint if keys is not None else tr("gui.secretariat.issue.fingerprint_unknown")
        self.fingerprint.setText(tr("gui.secretariat.issue.fingerprint", fingerprint=fp))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("gui.secretariat.issue.folder"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def selected_reviewers(self) -> list[str]:
        rows = sorted({i.row() for i in self.plan_view.selectionModel().selectedRows()})
        return [str(self.plan_view.model().index(r, 0).data()) for r in rows]

    def reissue_targets(self) -> list[str]:
        """Whom 「再配布…」 replaces: the reviewers selected in the plan, else those whose assignment changed.

        Never everyone by default: a re-issue makes the old bundle's results unacceptable, so
        replacing the bundles of reviewers who are scoring (or have returned) must be chosen.
        """
        if self.round_id is None:
            return []
        chosen = self.selected_reviewers()
        plan = self.sec.issue_plan(self.round_id)
        if chosen:
            return [i.reviewer_id for i in plan if i.reviewer_id in chosen and i.state is not IssueState.NO_ASSIGNMENT]
        return [i.reviewer_id for i in plan if i.state is IssueState.NEEDS_REISSUE]

    def ask_reissue(self) -> None:
        if self.round_id is None:
            return
        targets = self.reissue_targets()
        if not targets:
            self.run.label.setText(tr("gui.secretariat.issue.reissue_pick"))
            return
        live = [i.reviewer_id for i in self.sec.issue_plan(self.round_id, targets) if i.bundle_id is not None]
        if live and not self.confirm(tr("gui.secretariat.issue.reissue_question", count=len(live),
                                        reviewers="、".join(live))):
            return
        self.issue(reissue=True, reviewers=targets)

    def issue(self, *, reissue: bool, reviewers: list[str] | None = None, overwrite: bool = False) -> None:
        rid = self.round_id
        only = tuple(reviewers or ())
        text = self.folder_edit.text().strip()
        if rid is None:
            return
        if not text:
            self.choose_folder()
            text = self.folder_edit.text().strip()
            if not text:
                return
        folder = Path(text)
        self._request = (reissue, list(only), folder)

        def go(keys: SecretariatKeys) -> None:
            self._show_fingerprint(keys)
            self.issue_button.setEnabled(False)
            self.reissue_button.setEnabled(False)
            kdf = self.kdf
            self.run.start(tr("gui.secretariat.issue.running"),
                           lambda progress, cancel: self.sec.issue_bundles(rid, folder, keys, reviewers=only,
                                                                           reissue=reissue, overwrite=overwrite,
                                                                           kdf=kdf, progress=progress, cancel=cancel),
                           self._issued, self._failed)

        self.keys.with_keys(self, go)

    def _failed(self, exc: BaseException) -> None:
        from ..errors import show_error

        self.refresh()
        request = getattr(self, "_request", None)
        if isinstance(exc, OutputPathError) and exc.code == "file.output.exists" and request is not None:
            # Files of an earlier issue in the chosen folder (the service refused before writing anything).
            # The window has no --force: ask here, in the clerk's words, and go again if they agree.
            reissue, only, folder = request
            if self.confirm(tr("gui.secretariat.issue.replace_question", path=exc.params.get("path", ""),
                               folder=str(folder))):
                self.issue(reissue=reissue, reviewers=only, overwrite=True)
            return
        if isinstance(exc, SecretariatError) and exc.code == "secretariat.issue.pdf_changed":
            show_message(self, tr("gui.secretariat.issue.pdf_changed", **exc.params))  # not 「round setup --update」
            return
        show_error(self, exc)

    def _issued(self, report: IssueReport) -> None:
        self.report = report
        self._show_report()
        self.refresh()
        self.round_data_changed.emit()

    def _show_report(self) -> None:
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        rows = []
        report = self.report
        if report is not None:
            for i in report.items:
                warn = " ".join(tr("warning." + code, **params) for code, params in i.warnings)
                rows.append([i.reviewer_id, tr(f"gui.secretariat.issue.done.{i.state.value}"),
                             i.bundle_path.name if i.bundle_path else "", i.letter_path.name if i.letter_path else "",
                             (i.superseded or "")[:12], warn])
            written = len(report.written)
            key = "cancelled" if report.cancelled else "summary"
            self.run.label.setText(tr(f"gui.secretariat.issue.{key}", count=written))
            self.run.label.setToolTip(tr("gui.secretariat.issue.deliver"))
            self.result_title.setText(tr("gui.secretariat.issue.result_title") + "\n" + tr("gui.secretariat.issue.deliver"))
        self.result_model.set_rows([c("reviewer"), c("result"), c("bundle_file"), c("letter"), c("superseded"),
                                    c("warnings")], rows)
        self.result_view.resizeColumnsToContents()
        self.open_button.setEnabled(bool(report and report.written))

    def _written_folder(self) -> Path | None:
        if self.report is None or not self.report.written:
            return None
        first = self.report.written[0].bundle_path
        return first.parent if first else None

    def open_folder(self) -> None:
        folder = self._written_folder()
        if folder is not None:
            open_file(folder)

    def _open_row(self, index: Any) -> None:
        if self.report is None:
            return
        rid = str(index.sibling(index.row(), 0).data())
        for i in self.report.items:
            if i.reviewer_id == rid and i.letter_path is not None:
                open_file(i.letter_path)
