"""Answering modal dialogs from a test, the way OnionShare's GUI tests do (QTimer + the live dialog).

A modal ``exec()`` runs its own event loop, so the answer has to be scheduled before the
click that opens it. :func:`answer_modal` polls for the next modal widget of a class and hands
it to ``action``; the returned list records what was answered (title and text), so a test can
assert that the question was asked at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget


def answer_modal(cls: type[QWidget], action: Callable[[Any], None], timeout_s: float = 30.0) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, cls) and w.isVisible():
            text = w.text() if isinstance(w, QMessageBox) else (w.labelText() if isinstance(w, QInputDialog) else "")
            seen.append(f"{w.windowTitle()}|{text}")
            action(w)
            return
        if time.monotonic() < deadline:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def press(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
    def act(box: QMessageBox) -> None:
        b = box.button(button)
        assert b is not None, f"no {button} on {box.text()!r}"
        b.click()

    return act


def type_passphrase(passphrase: str) -> Callable[[QInputDialog], None]:
    def act(dialog: QInputDialog) -> None:
        dialog.setTextValue(passphrase)
        dialog.accept()

    return act
