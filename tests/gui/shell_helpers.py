"""Helpers for the application-shell tests: answer modal dialogs, build a window on real bundles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from reviewer_app.gui.main_window import AppWindow
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import BuiltBundle, make_assignment

_generation = [0]


def cancel_modal_answers() -> None:
    """Stop every poll started by :func:`when_modal` (call at the end of each test)."""
    _generation[0] += 1


@pytest.fixture(autouse=True)
def _stop_modal_answers():
    """Import into a test module: no answerer outlives its test to close another test's dialog."""
    yield
    cancel_modal_answers()


def drop_stale_widgets() -> None:
    """Delete hidden top-level widgets left by earlier tests before a test switches the language.

    ``apply_language`` sends LanguageChange to *every* widget, as it must in the application;
    in the suite that includes closed windows of finished tests whose workspace is closed.
    """
    for w in QApplication.topLevelWidgets():
        if not w.isVisible():
            w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def when_modal(match: Callable[[QWidget], bool], act: Callable[[QWidget], None], *, tries: int = 2000) -> list[QWidget]:
    """Call ``act`` on the next modal widget ``match`` accepts (polled from the event loop).

    Returns a list that receives the widget, so the test can check it was seen. Polling is a
    bounded number of event-loop turns, not a wall-clock limit.
    """
    seen: list[QWidget] = []
    generation = _generation[0]

    def poll(left: int) -> None:
        if generation != _generation[0]:
            return
        # Not activeModalWidget(): a dialog left open by an earlier test may still top the stack.
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.isModal() and match(w):
                seen.append(w)
                act(w)
                return
        if left > 0:
            QTimer.singleShot(5, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return seen


def named(name: str) -> Callable[[QWidget], bool]:
    return lambda w: w.objectName() == name


def make_window(qtbot, folder: Path, *, n: int = 2, demo: bool = False, **kw) -> tuple[AppWindow, Workspace, BuiltBundle]:
    """An AppWindow over a fresh workspace holding one added (not yet unlocked) bundle."""
    built = make_assignment(folder, n=n, **kw)
    ws = Workspace()
    ws.add_bundle(built.path)
    window = AppWindow(ws, demo=demo)
    qtbot.addWidget(window)
    window.show()
    return window, ws, built
