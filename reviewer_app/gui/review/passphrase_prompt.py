"""Asking for the assignment passphrase again when slow work needs a secret it cannot recall.

Exporting signs with the reviewer's key, and a final printed sheet names that key; without an
OS keyring the key sits in a file sealed with the assignment passphrase. The work is first
tried without a secret; only when it says it needs one is the reviewer asked, and asked again
(saying so) after a wrong passphrase. The passphrase is passed to the task and never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ...core.errors import KeyFileError, KeyringUnavailableError, WorkspaceError, WrongSecretError
from ...i18n import tr
from ..tasks import Op

T = TypeVar("T")


def needs_passphrase(exc: BaseException) -> bool:
    if isinstance(exc, KeyringUnavailableError):
        return True
    return isinstance(exc, WorkspaceError) and exc.code == "workspace.passphrase_required"


def wrong_passphrase(exc: BaseException) -> bool:
    return isinstance(exc, WrongSecretError) or (isinstance(exc, KeyFileError) and exc.code == "keys.file.wrong_passphrase")


def ask_passphrase(parent: QWidget | None, *, wrong: bool = False) -> str | None:
    """A password field in a small modal dialog; None when the reviewer cancels."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("passphrasePrompt")
    dialog.setWindowTitle(tr("gui.passphrase.title"))
    dialog.setLabelText(tr("gui.passphrase.wrong") if wrong else tr("gui.passphrase.label"))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    if dialog.exec() != QInputDialog.DialogCode.Accepted or not dialog.textValue():
        return None
    return dialog.textValue()


def run_with_secret(
    parent: QWidget,
    work: Callable[[str | None], T],
    *,
    busy: str,
    success: Callable[[T], None],
    failure: Callable[[BaseException], None],
    cancelled: Callable[[], None] = lambda: None,
) -> None:
    """Run ``work(None)`` off the UI thread; if it needs the passphrase, ask and run ``work(secret)``."""

    def attempt(secret: str | None) -> None:
        Op(parent, lambda: work(secret), busy=busy).success(success).failure(lambda exc: failed(exc, secret)).run()

    def failed(exc: BaseException, secret: Any) -> None:
        wrong = secret is not None and wrong_passphrase(exc)
        if (secret is None and needs_passphrase(exc)) or wrong:
            answer = ask_passphrase(parent, wrong=wrong)
            if answer is None:
                cancelled()
                return
            attempt(answer)
            return
        failure(exc)

    attempt(None)
