"""Registering a round from a setup folder: check it, see every problem as 「file:line:column: problem」, register.

The check stores nothing; the list shows errors and warnings in the files' order, and the
register button stays disabled while any error remains, so a clerk fixes the CSV, presses
「検査」 and registers only a clean folder. Double-clicking (or Enter on) a problem opens its file
in the program the computer uses for it. Enter presses the default button: 「検査」 until the
folder is clean, then 「登録」 (never 「選択…」, which used to open a file chooser on Enter).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import RoundSetupError
from ...i18n import tr
from ...services.secretariat import Secretariat, SetupCheck, SetupOutcome
from ...services.secretariat.messages import describe_problem
from ..errors import show_error
from ..tasks import Op
from .common import open_file

#: The item data holding the file a problem is in (its name inside the folder).
PROBLEM_FILE = Qt.ItemDataRole.UserRole + 1


class SetupDialog(QDialog):
    registered = Signal(str)  # round id

    def __init__(self, sec: Secretariat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatSetupDialog")
        self.sec = sec
        self.check: SetupCheck | None = None
        self.outcome: SetupOutcome | None = None
        self.folder_label = QLabel(self)
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("setupFolder")
        self.folder_label.setBuddy(self.folder_edit)
        self.choose_button = QPushButton(self)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_folder)
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("setupCheck")
        self.check_button.clicked.connect(self.run_check)
        self.summary = QLabel(self)
        self.summary.setObjectName("setupSummary")
        self.summary.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("setupProblems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self.open_problem_file)
        self.problems_label = QLabel(self)
        self.problems_label.setBuddy(self.problems)
        self.update_box = QCheckBox(self)
        self.update_box.setEnabled(False)  # follows the check: on exactly when the round is already registered
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.register_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.register_button.setObjectName("setupRegister")
        self.register_button.setEnabled(False)
        self.register_button.clicked.disconnect()
        self.register_button.clicked.connect(self.register)
        self.buttons.rejected.connect(self.reject)
        self.folder_edit.textChanged.connect(self._folder_changed)

        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.check_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.folder_label)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems_label)
        lay.addWidget(self.problems, 1)
        lay.addWidget(self.update_box)
        lay.addWidget(self.buttons)
        self.resize(820, 520)
        self.setTabOrder(self.folder_edit, self.choose_button)
        self.setTabOrder(self.choose_button, self.check_button)
        self.setTabOrder(self.check_button, self.problems)
        self.setTabOrder(self.problems, self.update_box)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.secretariat.setup.title"))
        self.folder_label.setText(tr("gui.secretariat.setup.folder"))
        self.choose_button.setText(tr("gui.secretariat.setup.choose"))
        self.check_button.setText(tr("gui.secretariat.setup.check"))
        self.register_button.setText(tr("gui.secretariat.setup.register"))
        self.update_box.setText(tr("gui.secretariat.setup.update"))
        self.update_box.setToolTip(tr("gui.secretariat.setup.update_tip"))
        self.problems_label.setText(tr("gui.secretariat.setup.problems"))
        self._show_check()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("gui.secretariat.setup.choose_title"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self.run_check()

    def _folder_changed(self) -> None:
        self.check = None
        self._set_ready(False)

    def _set_ready(self, ok: bool) -> None:
        """「登録」 only for a clean check, and then it is what Enter presses; else Enter checks."""
        self.register_button.setEnabled(ok)
        self.register_button.setDefault(ok)
        self.check_button.setDefault(not ok)

    def open_problem_file(self, item: QListWidgetItem) -> None:
        """The clerk wants to fix the file a problem names: open it (a CSV opens in Excel or an editor)."""
        name = item.data(PROBLEM_FILE)
        if self.check is None or not name:
            return
        path = self.check.folder / name
        if path.is_file():
            open_file(path)

    def run_check(self) -> None:
        text = self.folder_edit.text().strip()
        if not text:
            return
        folder = Path(text)
        Op(self, lambda: self.sec.check_setup(folder), busy=tr("gui.secretariat.setup.checking")) \
            .success(self._checked).run()

    def _checked(self, check: SetupCheck) -> None:
        self.check = check
        self._show_check()

    def _show_check(self) -> None:
        self.problems.clear()
        check = self.check
        if check is None:
            self.summary.setText(tr("gui.secretariat.setup.hint"))
            self._set_ready(False)
            return
        for p in check.problems:
            item = QListWidgetItem(describe_problem(p), self.problems)
            item.setData(PROBLEM_FILE, p.file)
            item.setToolTip(tr("gui.secretariat.setup.open_tip", file=p.file))
            if p.is_error:
                item.setForeground(QBrush(QColor("#b3261e")))
        # A round already registered can only be updated (the service refuses a second registration in
        # words meant for the command line, "--update"): the dialog decides and says so.
        known = check.round_id is not None and check.round_id in {r.round_id for r in self.sec.rounds()}
        self.update_box.setChecked(known)
        if check.ok:
            self.summary.setText(tr("gui.secretariat.setup.ok", round=check.round_id or "—", proposals=check.proposals,
                                    reviewers=check.reviewers, assignments=check.assignments,
                                    conflicts=check.conflicts, warnings=len(check.warnings))
                                 + (tr("gui.secretariat.setup.exists", round=check.round_id) if known else ""))
        else:
            self.summary.setText(tr("gui.secretariat.setup.bad", errors=len(check.errors), warnings=len(check.warnings)))
        self._set_ready(check.ok)
        if check.problems:
            self.problems.setCurrentRow(0)

    def register(self) -> None:
        if self.check is None or not self.check.ok:
            return
        folder, update = self.check.folder, self.update_box.isChecked()
        Op(self, lambda: self.sec.setup_round(folder, update=update), busy=tr("gui.secretariat.setup.registering")) \
            .success(self._registered).failure(self._failed).run()

    def _registered(self, outcome: SetupOutcome) -> None:
        self.outcome = outcome
        self.registered.emit(outcome.round_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RoundSetupError):  # the folder changed since the check: show the new problems
            self.run_check()
        show_error(self, exc)
