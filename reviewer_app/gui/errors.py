"""Errors in windows: typed errors as translated messages, anything else as a report dialog.

A :class:`ReviewerAppError` is something the user can act on: its translated sentence
(:func:`i18n.describe_error`) says what happened and what to do, in a plain message box. Any
other exception is a bug: the user sees a calm dialog (their entries are already saved, every
edit being committed as it is made), the full details are written to the log file in the
app's folder, and a "copy details" button puts them on the clipboard for a report. No class
name or traceback is shown unless the user opens the details.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.errors import ReviewerAppError
from ..i18n import describe_error, tr

log = logging.getLogger("reviewer_app")


def ensure_logging() -> Path | None:
    """Make sure unexpected errors reach the log file; return its path (None if unwritable)."""
    from ..cli._common import setup_logging  # the one log configuration, shared with the CLI
    from ..paths import user_data_dir

    current = log_file()
    wanted = user_data_dir() / "logs" / "reviewer-app.log"
    if current is not None and current != wanted:
        # The data folder moved (the demo, tests): the log belongs with the data it describes.
        root = logging.getLogger("reviewer_app")
        for h in list(root.handlers):
            root.removeHandler(h)
            h.close()
    setup_logging()
    return log_file()


def log_file() -> Path | None:
    for h in logging.getLogger("reviewer_app").handlers:
        if isinstance(h, RotatingFileHandler):
            return Path(h.baseFilename)
    return None


def error_details(exc: BaseException) -> str:
    """The text a developer needs: versions and the traceback (shown only on request)."""
    head = (
        f"reviewer-app {__version__}; Python {platform.python_version()}; PySide6 {pyside_version}; "
        f"{platform.system()} {platform.release()}"
    )
    body = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"{head}\n\n{body}"


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` modally: translated message for typed errors, report dialog for others."""
    if isinstance(exc, ReviewerAppError):
        log.info("refused: %s", exc)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("app.name"), describe_error(exc), QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("typedErrorBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
        return
    ensure_logging()
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    UnexpectedErrorDialog(exc, parent).exec()


class UnexpectedErrorDialog(QDialog):
    """A bug report the user can copy: a calm message, the log file path, hidden details."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unexpectedErrorDialog")
        self.details_text = error_details(exc)
        self.log_path = log_file()

        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)

        self.details = QPlainTextEdit(self.details_text, self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(180)

        self.toggle_button = QPushButton(self)
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle)
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.error.unexpected_title"))
        where = str(self.log_path) if self.log_path is not None else tr("gui.error.no_log")
        self.message.setText(tr("gui.error.unexpected", log=where))
        self.toggle_button.setText(tr("gui.error.hide_details") if self.details.isVisible() else tr("gui.error.show_details"))
        self.copy_button.setText(tr("gui.error.copy_details"))
        self.details.setAccessibleName(tr("gui.error.details"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _toggle(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.retranslate()
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)
        self.copy_button.setText(tr("gui.error.copied"))


_in_hook = False


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _in_hook
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    if _in_hook or QApplication.instance() is None:
        # An error while showing an error, or no GUI: the log must still have it.
        ensure_logging()
        log.error("unexpected error", exc_info=(kind, exc, tb))
        return
    _in_hook = True
    try:
        active = QApplication.activeWindow()
        show_error(active, exc)
    finally:
        _in_hook = False


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to :func:`show_error`."""
    ensure_logging()
    sys.excepthook = _excepthook
