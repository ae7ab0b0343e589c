"""Opening a round from the start screen: passphrase, wrong passphrase, damaged bundles."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from reviewer_app.core.errors import WrongSecretError
from reviewer_app.gui import tasks
from reviewer_app.gui.unlock_dialog import UnlockDialog
from reviewer_app.i18n import describe_error, tr
from reviewer_app.services.workspace import Workspace
from tests.gui.shell_helpers import _stop_modal_answers, make_window, named, when_modal  # noqa: F401
from tests.workspace_fixtures import PASSPHRASE, make_assignment


@pytest.fixture
def bundle(tmp_path):
    return make_assignment(tmp_path / "secretariat", n=2, deadline="2000-01-31")


def test_unlock_with_a_wrong_then_the_right_passphrase(qtbot, bundle):
    ws = Workspace()
    ws.add_bundle(bundle.path)
    dialog = UnlockDialog(ws, bundle.bundle_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # Before anything is typed: the claimed secretariat fingerprint, to compare out of band.
    assert dialog.fingerprint_value.text() == bundle.keys.public.signing_fingerprint
    assert dialog.fingerprint_note.text() == tr("gui.unlock.fingerprint_claimed")
    # No keyring in the tests: the option is hidden and the reason is given instead.
    assert dialog.remember.isHidden() and not dialog.no_keyring.isHidden()

    dialog.passphrase.setText("not the passphrase")
    dialog.open_button.click()
    assert tasks.wait_for_idle()
    assert dialog.isVisible()  # the reviewer can try again
    assert not dialog.error.isHidden()
    assert dialog.error.text() == describe_error(WrongSecretError())
    assert dialog.passphrase.selectedText() == "not the passphrase"

    dialog.passphrase.setText(PASSPHRASE)
    assert dialog.error.isHidden()  # typing clears the old message
    dialog.open_button.click()
    assert tasks.wait_for_idle()
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.outcome is not None and dialog.outcome.proposals == 2
    summary = ws.bundle_summary(bundle.bundle_id)
    assert summary.unlocked and summary.title == "令和8年度 書面審査"
    ws.close()


def test_after_the_first_unlock_the_dialog_shows_round_deadline_and_pinned_key(qtbot, bundle):
    ws = Workspace()
    ws.add_bundle(bundle.path)
    ws.unlock(bundle.bundle_id, PASSPHRASE)
    dialog = UnlockDialog(ws, bundle.bundle_id)
    qtbot.addWidget(dialog)
    assert "令和8年度 書面審査" in dialog.heading.text()
    assert "R2026" in dialog.round_value.text()
    assert dialog.reviewer_value.text() == "審査 太郎"
    assert dialog.deadline_value.text() == tr("gui.start.overdue", deadline="2000-01-31")
    assert dialog.fingerprint_note.text() == tr("gui.unlock.fingerprint_pinned")
    ws.close()


def test_an_empty_passphrase_is_asked_for_without_starting_work(qtbot, bundle):
    ws = Workspace()
    ws.add_bundle(bundle.path)
    dialog = UnlockDialog(ws, bundle.bundle_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.open_button.click()
    assert tasks.pending_count() == 0
    assert dialog.error.text() == tr("gui.unlock.empty")
    ws.close()


def test_the_demo_passphrase_is_shown_and_can_be_filled_in(qtbot, bundle):
    ws = Workspace()
    ws.add_bundle(bundle.path)
    dialog = UnlockDialog(ws, bundle.bundle_id, demo_passphrase=PASSPHRASE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert PASSPHRASE in dialog.demo_note.text()
    dialog.demo_fill.click()
    assert dialog.passphrase.text() == PASSPHRASE
    ws.close()


def test_open_from_the_start_screen_asks_then_shows_the_round(qtbot, tmp_path):
    window, _ws, built = make_window(qtbot, tmp_path / "sec")

    def type_and_open(dialog):
        dialog.passphrase.setText(PASSPHRASE)
        dialog.open_button.click()

    seen = when_modal(named("unlockDialog"), type_and_open)
    notices = when_modal(lambda w: isinstance(w, QMessageBox), lambda box: box.accept())
    window.start_screen.select_bundle(built.bundle_id)
    window.start_screen.open_button.click()
    qtbot.waitUntil(lambda: window.round_bundle == built.bundle_id)
    qtbot.waitUntil(lambda: window.round_view.current is not None)  # its first proposal is shown
    assert seen and notices == []  # deadline in 2099: nothing to warn about
    assert window.stack.currentWidget() is window.round_view
    assert "令和8年度 書面審査" in window.windowTitle()
    assert window.close_round_action.isEnabled()
    # Its actions join the window's menus while it is open, and leave with it.
    round_actions = [a for acts in window.round_view.menu_actions().values() for a in acts]
    in_menus = {a for m in (window.file_menu, window.view_menu, window.help_menu) for a in m.actions()}
    assert round_actions and set(round_actions) <= in_menus
    # A visible way back to the rounds, and the round's main tasks as buttons.
    assert window.round_toolbar.isVisible()
    assert {a.objectName() for a in window.round_toolbar.actions()} >= {"backToRounds", "round_export", "round_print"}
    window.back_action.trigger()
    assert window.stack.currentWidget() is window.start_screen
    assert not window.round_toolbar.isVisible()
    in_menus = {a for m in (window.file_menu, window.view_menu, window.help_menu) for a in m.actions()}
    assert not set(round_actions) & in_menus
    # The key stays in memory for the session: opening again does not ask.
    window.open_round(built.bundle_id)
    qtbot.waitUntil(lambda: window.round_bundle == built.bundle_id)
    qtbot.waitUntil(lambda: window.round_view.current is not None)
    assert len(seen) == 1


def _damage_member(path):
    data = bytearray(path.read_bytes())
    data[-200] ^= 0xFF  # inside the last encrypted member: header and signature still read
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[:40])


@pytest.mark.parametrize("damage", [_damage_member, _truncate], ids=["altered", "truncated"])
def test_a_damaged_bundle_gives_the_bundle_problem_dialog(qtbot, tmp_path, damage):
    window, ws, built = make_window(qtbot, tmp_path / "sec")
    stored = ws.bundle_summary(built.bundle_id).stored_file
    damage(stored)
    when_modal(named("unlockDialog"), lambda d: (d.passphrase.setText(PASSPHRASE), d.open_button.click()))
    boxes: list = []

    def record_and_close(box):
        boxes.append((box.text(), box.informativeText()))
        box.button(QMessageBox.StandardButton.Close).click()

    when_modal(named("bundleProblemBox"), record_and_close)
    window.open_round(built.bundle_id)
    qtbot.waitUntil(lambda: bool(boxes))
    assert tasks.wait_for_idle()
    text, hint = boxes[0]
    assert "もう一度" in text or "入手" in text  # the translated bundle message: what to do
    assert "Error" not in text and "Traceback" not in text
    assert hint == tr("gui.unlock.problem_hint")
    assert window.round_view is None
    assert window.stack.currentWidget() is window.start_screen
    assert not ws.bundle_summary(built.bundle_id).unlocked  # nothing half-registered


def test_a_bundle_handed_to_the_application_is_added_and_opened_even_from_the_secretariat_side(qtbot, tmp_path):
    """What a double-click on an .rvb file (``reviewer-app gui FILE``) does."""
    from reviewer_app.gui.main_window import AppWindow

    built = make_assignment(tmp_path / "sec", n=2)
    ws = Workspace()
    window = AppWindow(ws)
    qtbot.addWidget(window)
    window.show()
    asked = when_modal(named("unlockDialog"), lambda d: (d.passphrase.setText(PASSPHRASE), d.open_button.click()))
    notices = when_modal(lambda w: isinstance(w, QMessageBox), lambda box: box.accept())
    window.open_files([built.path])
    qtbot.waitUntil(lambda: window.round_bundle == built.bundle_id)
    assert asked and notices == []
    assert [s.bundle_id for s in ws.bundle_summaries()] == [built.bundle_id]

    window.back_action.trigger()
    window.role_switch.switch("secretariat")
    assert window.role_switch.role == "secretariat"
    window.open_files([built.path])  # already here: opened at once, no "already added" box
    qtbot.waitUntil(lambda: window.round_bundle == built.bundle_id)
    assert window.role_switch.role == "reviewer" and len(asked) == 1 and notices == []
    assert len(ws.bundle_summaries()) == 1
