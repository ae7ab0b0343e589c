"""Application start-up: one QApplication, the main window, errors shown as dialogs."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from ..core.errors import ReviewerAppError
from ..core.rubric import Rubric
from ..i18n import describe_error, tr
from ..services.rubrics import load_rubric_arg
from .rubric_view import RubricView


class MainWindow(QMainWindow):
    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{tr('app.name')} — {rubric.title}")
        self.rubric_view = RubricView(rubric)
        self.setCentralWidget(self.rubric_view)
        self.resize(1280, 820)


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("reviewer-app")
        app.setApplicationDisplayName(tr("app.name"))
    assert isinstance(app, QApplication)
    return app


def run(rubric: str | None = None) -> int:
    app = ensure_app()
    try:
        loaded = load_rubric_arg(rubric)
    except ReviewerAppError as exc:
        QMessageBox.critical(None, tr("app.name"), describe_error(exc))
        return 3
    window = MainWindow(loaded)
    window.show()
    return app.exec()
