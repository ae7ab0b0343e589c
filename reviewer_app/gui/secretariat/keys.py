"""The secretariat's signing/encryption keys for the windows: the keyring first, else the key file's passphrase.

Issuing and importing need the keys; they are unlocked once per session (the key file's KDF is
slow, so it runs through ``Op``) and kept in memory only. Tests hand in keys directly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ...core.errors import KeyringUnavailableError
from ...core.keys import SecretariatKeys
from ...i18n import tr
from ...lazy import lazy_module
from ..tasks import Op

#: keyring and cryptography load when a secret is first needed, not at start-up.
key_service = lazy_module("reviewer_app.services.keys")


class KeyProvider:
    """Hands the keys to a callback, asking for the key file's passphrase when no keyring holds them."""

    def __init__(self, keys: SecretariatKeys | None = None) -> None:
        self._keys = keys

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
            if isinstance(exc, KeyringUnavailableError):
                self._ask(parent, keep)
            else:
                from ..errors import show_error

                show_error(parent, exc)

        Op(parent, lambda: key_service.load_secretariat_keys(None), busy=tr("gui.secretariat.keys.loading")) \
            .success(keep).failure(failed).run()

    def _ask(self, parent: QWidget, keep: Callable[[SecretariatKeys], None]) -> None:
        text, ok = QInputDialog.getText(parent, tr("gui.secretariat.keys.title"), tr("gui.secretariat.keys.prompt"),
                                        QLineEdit.EchoMode.Password)
        if not ok or not text:
            return
        Op(parent, lambda: key_service.load_secretariat_keys(text), busy=tr("gui.secretariat.keys.loading")) \
            .success(keep).run()
