"""Helpers for the round view tests: a real unlocked workspace, the real view, real keys.

The view is driven the way a reviewer drives it: keys go to whatever widget has the focus
(``press``), dialogs are answered through their own widgets, Japanese text arrives as an
input-method commit (``qtbot.keyClicks`` aborts on non-ASCII text).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from reviewer_app.gui import tasks
from reviewer_app.gui.review.round_view import RoundView
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import BuiltBundle, make_assignment

#: 190点以上 at most 20 %, 190–140 at most 40 %: two all-'a' proposals out of three are over target.
TARGETS = {"190+": Decimal("0.2"), "140-189": Decimal("0.4"), "90-139": None, "0-89": None}


def close_views() -> None:
    """Close every view a test opened, while its workspace is still open (fixture teardown)."""
    import shiboken6

    while _open_views:
        view = _open_views.pop()
        if shiboken6.isValid(view):
            view.close()  # pytest-qt deletes it; closed, it no longer reaches the service
    QApplication.processEvents()


def build_round(folder: Path, n: int = 3) -> tuple[Workspace, BuiltBundle]:
    built = make_assignment(folder / "secretariat", n=n, band_targets=TARGETS)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, built.passphrase)
    return ws, built


def reopen_workspace(built: BuiltBundle) -> Workspace:
    """A new Workspace on the same data folder, as after restarting the application."""
    ws = Workspace()
    ws.unlock(built.bundle_id, built.passphrase)
    return ws


_open_views: list[RoundView] = []


def open_view(qtbot, ws: Workspace, bundle_id: str, *, confirm: bool = True) -> RoundView:
    """Show the round view; answer the first conflict question 「利害関係なし」 with Enter."""
    tasks.set_synchronous(True)
    view = RoundView(ws, bundle_id)
    qtbot.addWidget(view)
    _open_views.append(view)
    view.resize(1400, 900)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.current is not None)
    if confirm:
        answer_no_conflict(qtbot, view)
    return view


def answer_no_conflict(qtbot, view: RoundView) -> None:
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    dialog = view.conflict_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.no_conflict, Qt.Key.Key_Return)  # the default button: 「利害関係なし」
    qtbot.waitUntil(lambda: view.conflict_dialog is None)
    wait_active(qtbot, view)


def wait_active(qtbot, view: QWidget) -> None:
    """The window becomes active again once a dialog is gone (asynchronously on some platforms)."""
    qtbot.waitUntil(lambda: view.isActiveWindow() and QApplication.focusWidget() is not None)


def focused() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard focus"
    return w


def press(qtbot, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key to the widget that has the focus, as the keyboard would deliver it."""
    qtbot.keyClick(focused(), key, modifier)


def commit_text(widget: QWidget, text: str) -> None:
    """Type text (Japanese included) the way an input method delivers it."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def settle(qtbot, view: RoundView) -> None:
    """Let the round-wide views (list, distribution) catch up, as the event loop does."""
    qtbot.waitUntil(lambda: not view.round_refresh_pending())


def close_view(view: RoundView) -> None:
    """What the application window does on close: commit pending edits, then close."""
    view.flush()
    view.close()
