"""Errors in windows: typed errors translated, unexpected ones reported with copyable details."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewer_app.core.errors import BundleIntegrityError
from reviewer_app.gui import errors
from reviewer_app.gui.errors import UnexpectedErrorDialog
from reviewer_app.i18n import describe_error


def _answer_modal(record: list, qtbot) -> None:
    """Close the next modal dialog after recording what it showed."""

    def close() -> None:
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, close)
            return
        record.append(w)
        if isinstance(w, QMessageBox):
            record.append(w.text())
        w.done(0)

    QTimer.singleShot(0, close)


def test_a_typed_error_shows_its_translated_message(qtbot):
    seen: list = []
    _answer_modal(seen, qtbot)
    exc = BundleIntegrityError()
    errors.show_error(None, exc)
    assert isinstance(seen[0], QMessageBox)
    assert seen[1] == describe_error(exc)
    assert "BundleIntegrityError" not in seen[1]


def _raise_and_catch() -> BaseException:
    try:
        {}["missing"]  # a bug
    except KeyError as exc:
        return exc
    raise AssertionError


def test_unexpected_error_is_logged_and_offers_copyable_details(qtbot, _isolated_home):
    exc = _raise_and_catch()
    seen: list = []
    _answer_modal(seen, qtbot)
    errors.show_error(None, exc)
    dialog = seen[0]
    assert isinstance(dialog, UnexpectedErrorDialog)
    log = _isolated_home / "logs" / "reviewer-app.log"
    for h in errors.log.handlers:
        h.flush()
    assert log.is_file()
    assert "KeyError" in log.read_text(encoding="utf-8")
    assert errors.log_file() == log
    assert str(log) in dialog.message.text()
    assert "KeyError" not in dialog.message.text()  # no class name in the message itself
    assert not dialog.details.isVisible()
    assert "Traceback" in dialog.details_text and "_raise_and_catch" in dialog.details_text


def test_details_toggle_and_copy(qtbot):
    dialog = UnexpectedErrorDialog(_raise_and_catch())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.details.isVisible()
    dialog.toggle_button.click()
    assert dialog.details.isVisible()
    assert "KeyError" in dialog.details.toPlainText()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.details_text


def test_excepthook_shows_uncaught_errors(qtbot, monkeypatch):
    shown: list = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append(exc))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    assert sys.excepthook is errors._excepthook
    exc = _raise_and_catch()
    sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown == [exc]
