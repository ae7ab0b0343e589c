"""The secretariat's signing/encryption keys for the windows: the keyring first, else the key file's passphrase.

Issuing and importing need the keys; they are unlocked once per session (the key file's KDF is
slow, so it runs through ``Op``) and kept in memory only. Tests hand in keys directly.

A new office has no keys yet. Rather than telling the clerk to run ``reviewer-app secretariat
keygen`` in a terminal, the first issue offers to create them here (``KeygenDialog``): the same
service the command uses, always with a passphrase-protected key file as the backup (and the
OS keyring too where there is one), so losing the keyring never loses the results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import KeyFileError, KeyNotFoundError, KeyringUnavailableError, KeyStoreError
from ...core.keys import MIN_PASSPHRASE_CHARS, SecretariatKeys
from ...i18n import describe_error, tr
from ...lazy import lazy_module
from ..tasks import Op

#: keyring and cryptography load when a secret is first needed, not at start-up.
key_service = lazy_module("reviewer_app.services.keys")


class KeygenDialog(QDialog):
    """Ask for the new key file's passphrase (twice) before the keys are created; says where they will live."""

    def __init__(self, parent: QWidget | None = None, *, keyring: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatKeygenDialog")
        self.keyring = keyring
        self.passphrase: str | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.path = QLineEdit(str(key_service.default_secretariat_key_file()), self)  # long, unbroken: read-only field
        self.path.setObjectName("keygenPath")
        self.path.setReadOnly(True)
        self.first = QLineEdit(self)
        self.first.setObjectName("keygenPassphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setObjectName("keygenRepeat")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setObjectName("keygenProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#keygenProblem { color: #b3261e; }")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.first_label = QLabel(self)
        self.first_label.setBuddy(self.first)
        self.second_label = QLabel(self)
        self.second_label.setBuddy(self.second)
        form = QFormLayout()
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.where)
        lay.addWidget(self.path)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.secretariat.keys.create_title"))
        self.intro.setText(tr("gui.secretariat.keys.create_intro"))
        self.where.setText(tr("gui.secretariat.keys.create_where_keyring" if self.keyring
                              else "gui.secretariat.keys.create_where_file"))
        self.first_label.setText(tr("gui.secretariat.keys.new_passphrase"))
        self.second_label.setText(tr("gui.secretariat.keys.repeat_passphrase"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("gui.secretariat.keys.create"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def accept(self) -> None:
        """Checked here, in words, before the slow work: the two entries agree and the passphrase is strong enough."""
        text = self.first.text()
        if text != self.second.text():
            self.problem.setText(tr("gui.secretariat.keys.mismatch"))
            self.second.setFocus()
            self.second.selectAll()
            return
        try:
            key_service.check_new_passphrase(text)
        except KeyStoreError as exc:
            self.problem.setText(tr("gui.secretariat.keys.weak", min_chars=MIN_PASSPHRASE_CHARS)
                                 if exc.code == "keys.passphrase_weak" else describe_error(exc))
            self.first.setFocus()
            self.first.selectAll()
            return
        self.passphrase = text
        super().accept()


class KeyProvider:
    """Hands the keys to a callback, asking for the key file's passphrase when no keyring holds them."""

    def __init__(self, keys: SecretariatKeys | None = None) -> None:
        self._keys = keys
        #: Asks whether to create the keys; tests replace it.
        self.confirm_create: Callable[[QWidget], bool] = _confirm_create
        #: The existing key file's passphrase (again=True after a wrong one), or None; tests replace it.
        self.ask_passphrase: Callable[[QWidget, bool], str | None] = _ask_passphrase
        #: The passphrase for a new key file, or None when the clerk cancelled; tests replace it.
        self.ask_new_passphrase: Callable[[QWidget, bool], str | None] = _ask_new_passphrase

    @property
    def loaded(self) -> SecretariatKeys | None:
        return self._keys

    def with_keys(self, parent: QWidget, then: Callable[[SecretariatKeys], None]) -> None:
        if self._keys is not None:
            then(self._keys)
            return

        def keep(keys: SecretariatKeys) -> None:
            self._keys = keys
            then(keys)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KeyNotFoundError) and exc.code == "keys.not_found.secretariat":
                self._offer_create(parent, keep)
            elif isinstance(exc, KeyringUnavailableError):
                self._ask(parent, keep)
            else:
                from ..errors import show_error

                show_error(parent, exc)

        Op(parent, lambda: key_service.load_secretariat_keys(None), busy=tr("gui.secretariat.keys.loading")) \
            .success(keep).failure(failed).run()

    def _ask(self, parent: QWidget, keep: Callable[[SecretariatKeys], None], again: bool = False) -> None:
        """The key file's passphrase; a mistyped one is asked again (saying so), not the end of the issue."""
        text = self.ask_passphrase(parent, again)
        if not text:
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KeyFileError) and exc.code == "keys.file.wrong_passphrase":
                self._ask(parent, keep, again=True)
            else:
                from ..errors import show_error

                show_error(parent, exc)

        Op(parent, lambda: key_service.load_secretariat_keys(text), busy=tr("gui.secretariat.keys.loading")) \
            .success(keep).failure(failed).run()

    def _offer_create(self, parent: QWidget, keep: Callable[[SecretariatKeys], None]) -> None:
        """No keys anywhere: this office has never issued a round. Create them, with the clerk's consent."""
        if not self.confirm_create(parent):
            return
        Op(parent, key_service.keyring_available, busy=tr("gui.secretariat.keys.loading")) \
            .success(lambda keyring: self._create(parent, keep, bool(keyring))).run()

    def _create(self, parent: QWidget, keep: Callable[[SecretariatKeys], None], keyring: bool) -> None:
        passphrase = self.ask_new_passphrase(parent, keyring)
        if passphrase is None:
            return

        def made(result: Any) -> None:
            keys, _report = result
            keep(keys)

        Op(parent, lambda: key_service.create_secretariat_keys(passphrase, use_keyring=keyring),
           busy=tr("gui.secretariat.keys.creating")).success(made).run()


def _ask_passphrase(parent: QWidget, again: bool) -> str | None:
    prompt = tr("gui.secretariat.keys.prompt")
    if again:
        prompt = tr("gui.secretariat.keys.wrong") + "\n" + prompt
    text, ok = QInputDialog.getText(parent, tr("gui.secretariat.keys.title"), prompt, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def _confirm_create(parent: QWidget) -> bool:
    return QMessageBox.question(parent, tr("gui.secretariat.keys.create_title"),
                                tr("gui.secretariat.keys.create_question")) == QMessageBox.StandardButton.Yes


def _ask_new_passphrase(parent: QWidget, keyring: bool) -> str | None:
    dialog = KeygenDialog(parent, keyring=keyring)
    return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None
