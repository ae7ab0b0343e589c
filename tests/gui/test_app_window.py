"""The application window: language switch, form zoom, remembered geometry, demo entry, CLI entry."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from reviewer_app import i18n
from reviewer_app.gui import app as gui_app
from reviewer_app.gui import tasks
from reviewer_app.gui.main_window import AppWindow
from reviewer_app.gui.settings import ZOOM_DEFAULT, ZOOM_STEP, Settings, app_settings
from reviewer_app.gui.settings_dialog import SettingsDialog
from reviewer_app.gui.translation import apply_language
from reviewer_app.services.workspace import Workspace
from tests.gui.shell_helpers import (  # noqa: F401
    _stop_modal_answers,
    drop_stale_widgets,
    make_window,
    named,
    when_modal,
)
from tests.workspace_fixtures import PASSPHRASE


@pytest.fixture
def restore_language():
    drop_stale_widgets()
    apply_language("ja")
    yield
    apply_language("en")  # the suite's state: no Qt translator
    i18n.set_language("ja")


def _plain(text: str) -> str:
    return text.replace("&", "")


def test_switching_to_english_in_settings_updates_the_window_and_qt_buttons(qtbot, tmp_path, restore_language):
    window, _ws, _built = make_window(qtbot, tmp_path / "sec")
    assert _plain(window.file_menu.title()).startswith("ファイル")
    assert window.start_screen.heading.text() == "審査ラウンド"
    japanese = SettingsDialog(window)
    qtbot.addWidget(japanese)
    assert "キャンセル" in _plain(japanese.buttons.button(QDialogButtonBox.StandardButton.Cancel).text())

    def choose_english(dialog):
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    seen = when_modal(named("settingsDialog"), choose_english)
    window.show_settings()
    assert seen
    assert i18n.language() == "en"
    qtbot.waitUntil(lambda: window.start_screen.heading.text() == "Review rounds")
    assert _plain(window.file_menu.title()) == "File"
    assert _plain(window.settings_action.text()) == "Preferences…"
    assert window.start_screen.tree.headerItem().text(0) == "Round"
    # Qt's own standard buttons follow (qtbase translator removed): in an open dialog and a new one.
    qtbot.waitUntil(lambda: _plain(japanese.buttons.button(QDialogButtonBox.StandardButton.Cancel).text()) == "Cancel")
    fresh = SettingsDialog(window)
    qtbot.addWidget(fresh)
    assert _plain(fresh.buttons.button(QDialogButtonBox.StandardButton.Ok).text()) == "OK"
    assert fresh.language_label.text().replace("&", "") == "Language:"
    # Remembered for the next start.
    assert Settings(app_settings().path).value("language") == "en"
    assert gui_app.start_language() == "en"


def test_form_zoom_actions_are_remembered_and_announced(qtbot, tmp_path):
    window, _ws, _built = make_window(qtbot, tmp_path / "sec")
    announced: list[tuple[str, object]] = []
    app_settings().changed.connect(lambda name, value: announced.append((name, value)))
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert app_settings().value("form_zoom") == ZOOM_DEFAULT + 2 * ZOOM_STEP
    window.zoom_out_action.trigger()
    assert Settings(app_settings().path).value("form_zoom") == ZOOM_DEFAULT + ZOOM_STEP
    assert ("form_zoom", ZOOM_DEFAULT + ZOOM_STEP) in announced
    assert "110" in window.statusBar().currentMessage()
    window.zoom_reset_action.trigger()
    assert app_settings().value("form_zoom") == ZOOM_DEFAULT
    keys = {s.toString() for s in window.zoom_in_action.shortcuts()}
    assert "Ctrl++" in keys or "Ctrl+=" in keys
    assert "Ctrl+-" in {s.toString() for s in window.zoom_out_action.shortcuts()}


def test_the_settings_dialog_sets_the_zoom_too(qtbot, tmp_path):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.zoom.value() == ZOOM_DEFAULT
    dialog.zoom.setValue(150)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert app_settings().value("form_zoom") == 150
    again = SettingsDialog()
    qtbot.addWidget(again)
    assert again.zoom.value() == 150


class _StubRound:
    def __init__(self) -> None:
        self.flushed = 0

    def flush(self) -> None:
        self.flushed += 1


def test_closing_flushes_the_open_round_and_remembers_the_geometry(qtbot, tmp_path):
    window, ws, _built = make_window(qtbot, tmp_path / "sec")
    window.resize(720, 520)  # inside the offscreen screen (800 x 600)
    stub = _StubRound()
    window.round_view = stub
    assert window.close()
    assert stub.flushed == 1
    window.round_view = None
    again = AppWindow(ws)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 520)


def test_a_refused_flush_keeps_the_window_open(qtbot, tmp_path, monkeypatch):
    window, _ws, _built = make_window(qtbot, tmp_path / "sec")
    shown: list[BaseException] = []
    monkeypatch.setattr("reviewer_app.gui.main_window.show_error", lambda parent, exc: shown.append(exc))

    class Refusing(_StubRound):
        def flush(self) -> None:
            raise OSError("disk full")

    window.round_view = Refusing()
    assert not window.close()
    assert window.isVisible() and len(shown) == 1
    window.round_view = None


def test_the_demo_opens_its_round_with_the_passphrase_shown(qtbot, tmp_path, monkeypatch):
    """``run(demo=True)`` prepares the round off the GUI thread, then asks with the passphrase shown."""
    from reviewer_app.services import demo as demo_service
    from reviewer_app.services.demo import DemoRound
    from tests.workspace_fixtures import make_assignment

    built = make_assignment(tmp_path / "demo-sec", n=2)

    def fake_demo_round():
        with Workspace() as other:  # the demo service opens its own workspace, as the real one does
            other.add_bundle(built.path)
        return DemoRound(tmp_path, built.bundle_id, PASSPHRASE, built.path, True)

    monkeypatch.setattr(demo_service, "ensure_demo_round", fake_demo_round)
    ws = Workspace()
    window = AppWindow(ws, demo=True)
    qtbot.addWidget(window)
    window.show()
    assert "デモ" in window.windowTitle()
    shown: list[str] = []

    def fill_and_open(dialog):
        shown.append(dialog.demo_note.text())
        dialog.demo_fill.click()
        dialog.open_button.click()

    when_modal(named("unlockDialog"), fill_and_open)
    gui_app.prepare_demo(window)
    qtbot.waitUntil(lambda: window.round_bundle == built.bundle_id)
    assert tasks.wait_for_idle()
    assert shown and PASSPHRASE in shown[0]


def test_cli_entry_points_start_the_application(monkeypatch):
    from reviewer_app.cli import main

    calls: list[dict] = []
    monkeypatch.setattr(gui_app, "run", lambda **kw: calls.append(kw) or 0)
    assert main(["demo"]) == 0
    assert main(["gui"]) == 0
    assert main(["--lang", "en", "gui"]) == 0
    assert calls[0] == {"rubric": None, "demo": True, "lang": None, "files": []}
    assert calls[1] == {"rubric": None, "demo": False, "lang": None, "files": []}
    assert calls[2]["lang"] == "en" and calls[2]["demo"] is False


def test_zoom_keys_work_from_the_keyboard(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    window, _ws, _built = make_window(qtbot, tmp_path / "sec")
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert app_settings().value("form_zoom") == ZOOM_DEFAULT + ZOOM_STEP
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert app_settings().value("form_zoom") == ZOOM_DEFAULT - ZOOM_STEP
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert app_settings().value("form_zoom") == ZOOM_DEFAULT


def test_the_rubric_viewer_is_reachable_from_the_help_menu(qtbot, tmp_path):
    from reviewer_app.gui.rubric_view import RubricWindow

    window, _ws, _built = make_window(qtbot, tmp_path / "sec")
    assert window.rubric_action in window.help_menu.actions()
    window.rubric_action.trigger()
    opened = [w for w in window.findChildren(RubricWindow) if w.isVisible()]
    assert len(opened) == 1
    assert "国際化拠点整備事業" in opened[0].windowTitle()
    assert opened[0].rubric_view.tree.topLevelItemCount() == 2  # 視点1 and 視点2
    opened[0].close()
