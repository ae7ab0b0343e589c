"""Unlocking a round: what is being opened, whose key signed it, the passphrase.

The dialog shows the round, its deadline and the secretariat key's fingerprint (grouped, for
comparing over the phone) before the reviewer types anything. Before the first unlock the
fingerprint is the bundle header's *claim* and says so; afterwards it is the key pinned for
the round. The Argon2id derivation runs through :class:`tasks.Op` with a busy cover, so the
window never freezes. A wrong passphrase is said in the dialog, next to the field, and the
reviewer tries again; a damaged, foreign or forged file cannot be fixed by typing, so it gets
its own message with the way out (remove the copy, add the file again, call the secretariat).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import (
    BundleFormatError,
    BundleIntegrityError,
    BundleLimitError,
    BundleSignatureError,
    InputFileError,
    KeyFileError,
    ReviewerAppError,
    WorkspaceError,
    WrongSecretError,
)
from ..i18n import describe_error, tr
from ..lazy import lazy_module
from ..services.workspace import UnlockOutcome, Workspace
from .errors import show_error
from .tasks import Op

#: keyring and cryptography load when a secret is first needed, not at start-up.
key_service = lazy_module("reviewer_app.services.keys")

#: Workspace refusals that mean "this stored file is not the right one".
_FILE_PROBLEM_CODES = ("workspace.stored_copy_mismatch", "workspace.round_key_mismatch")

_keyring: bool | None = None


def keyring_status() -> bool:
    """Whether an OS keyring can remember a bundle's key (probed once per process)."""
    global _keyring
    if _keyring is None:
        _keyring = key_service.keyring_available()
    return _keyring


def reset_keyring_status() -> None:
    """Tests (and a keyring that appears later): probe again on next use."""
    global _keyring
    _keyring = None


def is_bundle_problem(exc: BaseException) -> bool:
    """True for errors about the stored file itself: typing another passphrase cannot help."""
    if isinstance(exc, (BundleFormatError, BundleLimitError, BundleIntegrityError, BundleSignatureError, InputFileError)):
        return True
    return isinstance(exc, WorkspaceError) and exc.code in _FILE_PROBLEM_CODES


def is_wrong_passphrase(exc: BaseException) -> bool:
    return isinstance(exc, (WrongSecretError, KeyFileError))


def show_bundle_problem(parent: QWidget | None, exc: ReviewerAppError) -> bool:
    """Explain a damaged, foreign or forged bundle; True if the reviewer asks to remove it."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("gui.unlock.problem_title"), describe_error(exc), parent=parent)
    box.setObjectName("bundleProblemBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setInformativeText(tr("gui.unlock.problem_hint"))
    remove = box.addButton(tr("gui.unlock.problem_remove"), QMessageBox.ButtonRole.DestructiveRole)
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.exec()
    return box.clickedButton() is remove


class UnlockDialog(QDialog):
    """Ask for a bundle's passphrase and unlock it off the GUI thread.

    After ``exec()`` returns Accepted, ``outcome`` holds the :class:`UnlockOutcome`. When a
    bundle problem was reported and the reviewer chose to remove the copy, ``remove_requested``
    is True (the window then asks for confirmation and removes it).
    """

    def __init__(
        self,
        workspace: Workspace,
        bundle_id: str,
        parent: QWidget | None = None,
        *,
        demo_passphrase: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.workspace = workspace
        self.bundle_id = bundle_id
        self.demo_passphrase = demo_passphrase
        self.outcome: UnlockOutcome | None = None
        self.remove_requested = False
        self.busy = False
        self.summary = workspace.bundle_summary(bundle_id)
        self.header_error: ReviewerAppError | None = None
        try:
            self.header = workspace.stored_header(bundle_id)
        except ReviewerAppError as exc:  # damaged or missing copy: said at once, not after typing
            self.header = None
            self.header_error = exc

        self.heading = QLabel(self)
        hf = self.heading.font()
        hf.setPointSizeF(hf.pointSizeF() * 1.3)
        hf.setBold(True)
        self.heading.setFont(hf)
        self.heading.setWordWrap(True)

        self.round_value = QLabel(self)
        self.reviewer_value = QLabel(self)
        self.deadline_value = QLabel(self)
        self.fingerprint_value = QLabel(self)
        self.fingerprint_value.setObjectName("fingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF() * 1.35)
        mono.setWeight(QFont.Weight.DemiBold)
        self.fingerprint_value.setFont(mono)
        self.fingerprint_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_note = QLabel(self)
        self.fingerprint_note.setWordWrap(True)
        self.fingerprint_note.setObjectName("muted")
        for value in (self.round_value, self.reviewer_value, self.deadline_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.round_label = QLabel(self)
        self.reviewer_label = QLabel(self)
        self.deadline_label = QLabel(self)
        self.fingerprint_label = QLabel(self)
        self.form.addRow(self.round_label, self.round_value)
        self.form.addRow(self.reviewer_label, self.reviewer_value)
        self.form.addRow(self.deadline_label, self.deadline_value)
        fp_box = QVBoxLayout()
        fp_box.setSpacing(2)
        fp_box.addWidget(self.fingerprint_value)
        fp_box.addWidget(self.fingerprint_note)
        self.form.addRow(self.fingerprint_label, fp_box)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        self.passphrase_label = QLabel(self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.textChanged.connect(lambda _t: self._set_error(None))
        self.passphrase_label.setBuddy(self.passphrase)
        self.reveal = QToolButton(self)
        self.reveal.setObjectName("revealPassphrase")
        self.reveal.setCheckable(True)
        self.reveal.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.reveal.toggled.connect(self._reveal)
        passphrase_row = QHBoxLayout()
        passphrase_row.addWidget(self.passphrase, 1)
        passphrase_row.addWidget(self.reveal)

        self.error = QLabel(self)
        self.error.setObjectName("unlockError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setVisible(False)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.remember = QCheckBox(self)
        self.remember.setObjectName("remember")
        self.no_keyring = QLabel(self)
        self.no_keyring.setWordWrap(True)
        self.no_keyring.setObjectName("muted")
        has_keyring = keyring_status()
        self.remember.setVisible(has_keyring)
        self.no_keyring.setVisible(not has_keyring)

        self.demo_note = QLabel(self)
        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_fill = QPushButton(self)
        self.demo_fill.clicked.connect(self.fill_demo_passphrase)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_note, 1)
        demo_row.addWidget(self.demo_fill)
        self.demo_frame = QFrame(self)
        self.demo_frame.setObjectName("demoNote")
        self.demo_frame.setStyleSheet("#demoNote { background: #e8f0fe; border: 1px solid #b6ccf5; border-radius: 4px; }")
        self.demo_frame.setLayout(demo_row)
        self.demo_frame.setVisible(demo_passphrase is not None)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addSpacing(4)
        layout.addLayout(self.form)
        layout.addWidget(line)
        layout.addWidget(self.demo_frame)
        layout.addWidget(self.passphrase_label)
        layout.addLayout(passphrase_row)
        layout.addWidget(self.error)
        layout.addWidget(self.remember)
        layout.addWidget(self.no_keyring)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.passphrase.setFocus()
        self.retranslate()
        if self.header_error is not None:
            self.open_button.setEnabled(False)
            self.passphrase.setEnabled(False)
            self._set_error(describe_error(self.header_error))

    # --- text ---------------------------------------------------------------------

    def retranslate(self) -> None:
        s = self.summary
        self.setWindowTitle(tr("gui.unlock.title"))
        if s.unlocked and s.title:
            self.heading.setText(tr("gui.unlock.heading", title=s.title))
            self.round_value.setText(tr("gui.start.round_title", title=s.title, round=s.round_id or ""))
        else:
            self.heading.setText(tr("gui.unlock.heading_new"))
            self.round_value.setText(tr("gui.unlock.round_unknown", bundle=self.bundle_id))
        self.reviewer_value.setText(s.reviewer_name or tr("gui.unlock.unknown_yet"))
        if not s.unlocked:
            self.deadline_value.setText(tr("gui.unlock.unknown_yet"))
        elif not s.deadline:
            self.deadline_value.setText(tr("gui.start.no_deadline"))
        elif s.overdue:
            self.deadline_value.setText(tr("gui.start.overdue", deadline=s.deadline))
        else:
            self.deadline_value.setText(s.deadline)
        self.deadline_value.setStyleSheet("color: #b71c1c;" if s.overdue else "")
        self.round_label.setText(tr("gui.unlock.round"))
        self.reviewer_label.setText(tr("gui.unlock.reviewer"))
        self.deadline_label.setText(tr("gui.unlock.deadline"))
        self.fingerprint_label.setText(tr("gui.unlock.fingerprint"))
        if self.header is not None:
            self.fingerprint_value.setText(self.header.signer_fingerprint)
            self.fingerprint_note.setText(
                tr("gui.unlock.fingerprint_pinned") if self.header.verified else tr("gui.unlock.fingerprint_claimed")
            )
        else:
            self.fingerprint_value.setText("—")
            self.fingerprint_note.setText("")
        self.fingerprint_value.setAccessibleName(tr("gui.unlock.fingerprint"))
        self.passphrase_label.setText(tr("gui.unlock.passphrase"))
        self.passphrase.setAccessibleName(tr("gui.unlock.passphrase_name"))
        self.passphrase.setPlaceholderText(tr("gui.unlock.passphrase_placeholder"))
        self._reveal(self.reveal.isChecked())
        self.remember.setText(tr("gui.unlock.remember"))
        self.remember.setToolTip(tr("gui.unlock.remember_tip"))
        self.remember.setAccessibleName(tr("gui.unlock.remember"))
        self.no_keyring.setText(tr("gui.unlock.no_keyring"))
        if self.demo_passphrase is not None:
            self.demo_note.setText(tr("gui.unlock.demo_passphrase", passphrase=self.demo_passphrase))
        self.demo_fill.setText(tr("gui.unlock.demo_fill"))
        self.demo_fill.setAccessibleName(tr("gui.unlock.demo_fill"))
        self.open_button.setText(tr("gui.unlock.open"))
        self.open_button.setAccessibleName(tr("gui.unlock.open"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _reveal(self, shown: bool) -> None:
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        text = tr("gui.unlock.hide_passphrase") if shown else tr("gui.unlock.show_passphrase")
        self.reveal.setText(text)
        self.reveal.setToolTip(text)
        self.reveal.setAccessibleName(text)

    def _set_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def fill_demo_passphrase(self) -> None:
        if self.demo_passphrase is not None:
            self.passphrase.setText(self.demo_passphrase)
            self.passphrase.setFocus()

    # --- unlocking ----------------------------------------------------------------

    def accept(self) -> None:
        """The Open button: start the unlock (the dialog closes when it succeeds)."""
        if self.busy or self.header_error is not None:
            return
        if self.outcome is not None:
            super().accept()
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._set_error(tr("gui.unlock.empty"))
            self.passphrase.setFocus()
            return
        remember = self.remember.isVisible() and self.remember.isChecked()
        self._set_busy(True)
        bundle, ws = self.bundle_id, self.workspace
        Op(self, lambda: ws.unlock(bundle, passphrase, remember=remember), busy=tr("gui.busy.unlocking")) \
            .success(self._unlocked).failure(self._failed).run()

    def reject(self) -> None:
        if not self.busy:  # Escape while the key is being derived would orphan the result
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.passphrase, self.remember, self.buttons, self.demo_fill):
            w.setEnabled(not busy)

    def _unlocked(self, outcome: UnlockOutcome) -> None:
        self._set_busy(False)
        self.outcome = outcome
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if is_wrong_passphrase(exc):
            assert isinstance(exc, ReviewerAppError)
            self._set_error(describe_error(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        if is_bundle_problem(exc):
            assert isinstance(exc, ReviewerAppError)
            self.remove_requested = show_bundle_problem(self, exc)
            super().reject()
            return
        show_error(self, exc)
