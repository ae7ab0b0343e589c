"""Conflict of interest: asked before the PDF is first shown; a declaration locks the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewer_app.gui import tasks
from reviewer_app.gui.review.scoring_form import CONFLICT, OPEN, UNCONFIRMED
from reviewer_app.services.workspace import ProposalStatus
from tests.gui.round_support import answer_no_conflict, build_round, close_views, commit_text, open_view, press, settle


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def test_the_pdf_is_not_shown_until_the_question_is_answered(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    assert view.pdf.proposal_id is None  # nothing decrypted while the question is open
    assert view.form.mode == UNCONFIRMED
    assert view.center.currentWidget() is view.pdf_closed  # the middle pane says why
    view.conflict_dialog.reject()  # Cancel: the proposal stays closed
    qtbot.waitUntil(lambda: view.conflict_dialog is None)
    assert view.pdf.proposal_id is None and view.form.mode == UNCONFIRMED
    assert view.form.banner_text()
    view.form._banner_button.click()  # 「利害関係を確認する…」 asks again
    answer_no_conflict(qtbot, view)
    assert view.form.mode == OPEN and view.pdf.proposal_id == "P001"


def test_declare_a_conflict_and_see_the_form_locked_then_withdraw(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    dialog = view.conflict_dialog
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.conflict.click()
    assert not ok.isEnabled()  # a declaration says why
    commit_text(dialog.reason, "申請機関に在籍している")
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: view.conflict_dialog is None)

    assert ws.conflicts(built.bundle_id) == {"P001": "申請機関に在籍している"}
    assert view.form.mode == CONFLICT
    assert "申請機関に在籍している" in view.form.banner_text()
    assert view.pdf.proposal_id is None
    assert view.center.currentWidget() is view.pdf_closed and "P001" in view.pdf_closed.text()
    settle(qtbot, view)
    assert view.list.row("P001").status is ProposalStatus.CONFLICT
    # Locked: neither the keyboard nor a click records anything.
    editor = view.form.editors[view.form.order[0]]
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    press(qtbot, "3")
    next(iter(editor.grades.buttons.values())).click()
    other = view.form.editors["2-1"]
    assert other.comment.isReadOnly()
    assert ws.entries(built.bundle_id, "P001") == {}
    # Excluded from the round's findings (the export checks) while declared.
    assert all(pf.proposal_id != "P001" for pf in ws.findings(built.bundle_id))
    assert view.findings.counts("P001") == (0, 0)

    QTimer.singleShot(0, lambda: _answer_question(QMessageBox.StandardButton.Yes))
    view.form._banner_button.click()  # 「申告を取り下げる…」
    assert ws.conflicts(built.bundle_id) == {}
    assert view.form.mode == OPEN and view.pdf.proposal_id == "P001"
    assert view.center.currentWidget() is view.pdf
    qtbot.waitUntil(lambda: view.form.editors[view.form.order[0]].hasFocus())  # back in the form
    press(qtbot, "3")
    assert ws.entries(built.bundle_id, "P001")[view.form.order[0]].mark == "3"


def test_declare_later_from_the_header_keeps_entries_and_no_conflict_is_remembered(qtbot, opened, tmp_path):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    press(qtbot, "2")
    view.form._declare.click()
    dialog = view.conflict_dialog
    assert dialog is not None and dialog.declared()
    commit_text(dialog.reason, "共同研究者が所属")
    dialog.accept()
    qtbot.waitUntil(lambda: view.conflict_dialog is None)
    assert view.form.mode == CONFLICT
    assert ws.entries(built.bundle_id, "P001")[view.form.order[0]].mark == "2"  # kept, not exported
    view.close()

    # P002 answered 「利害関係なし」 once is not asked again in a new session.
    view2 = open_view(qtbot, ws, built.bundle_id, confirm=False)
    qtbot.waitUntil(lambda: view2.current == "P002")  # the first proposal still to do
    answer_no_conflict(qtbot, view2)
    view2.close()
    # The answer is the workspace's (audited, seen by the CLI), not a window setting.
    assert "P002" in ws.no_conflict_confirmed(built.bundle_id)
    assert ws.store.conn.execute("SELECT count(*) FROM audit WHERE field = 'no_conflict' AND proposal_id = 'P002'"
                                 ).fetchone()[0] == 1
    view3 = open_view(qtbot, ws, built.bundle_id, confirm=False)
    qtbot.waitUntil(lambda: view3.current == "P002")
    QApplication.processEvents()
    assert view3.conflict_dialog is None and view3.form.mode == OPEN


def _answer_question(button: QMessageBox.StandardButton) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    box.button(button).click()


def test_the_dialog_answers_with_the_keyboard(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    dialog = view.conflict_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.no_conflict, Qt.Key.Key_Down)  # arrow keys move between the two answers
    assert dialog.declared()
