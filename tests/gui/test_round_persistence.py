"""Nothing typed is lost: commits after a pause, on leaving a box, on window switch and on close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from reviewer_app.gui import tasks
from reviewer_app.gui.main_window import AppWindow
from reviewer_app.gui.review.saved_indicator import SaveState
from reviewer_app.i18n import tr
from tests.gui.round_support import (
    answer_no_conflict,
    build_round,
    close_views,
    commit_text,
    open_view,
    press,
    reopen_workspace,
    wait_active,
)
from tests.workspace_fixtures import grade_everything, secretariat_reads

ITEM = "2-3"
TEXT = "実施体制の記述が具体的。"


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path, n=2)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def _app_window(qtbot, ws, bundle_id) -> AppWindow:
    tasks.set_synchronous(True)
    win = AppWindow(ws)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    win.show_round(bundle_id)
    qtbot.waitUntil(lambda: win.round_view is not None and win.round_view.current is not None)
    return win


def _type_comment(qtbot, view, text: str) -> None:
    view.form.focus_item(ITEM)
    press(qtbot, Qt.Key.Key_Return)
    commit_text(view.form.editors[ITEM].comment, text)


def test_type_a_comment_and_close_the_window_immediately_then_reopen(qtbot, opened):
    ws, built = opened
    win = _app_window(qtbot, ws, built.bundle_id)
    view = win.round_view
    answer_no_conflict(qtbot, view)
    view.edits._timer.setInterval(3_600_000)  # so only closing the window can commit it
    _type_comment(qtbot, view, TEXT)
    qtbot.keyClicks(view.form.editors[ITEM].comment, " OK")
    assert view.edits.state is SaveState.PENDING
    assert view.saved.text() == tr("gui.review.saved.pending")
    win.close()
    ws.close()

    ws2 = reopen_workspace(built)
    try:
        win2 = _app_window(qtbot, ws2, built.bundle_id)
        view2 = win2.round_view
        assert ws2.entries(built.bundle_id, "P001")[ITEM].comment == TEXT + " OK"
        view2.select_proposal("P001")
        assert view2.form.editors[ITEM].comment.toPlainText() == TEXT + " OK"
        assert view2.conflict_dialog is None  # answered in the first session
        win2.close()
    finally:
        ws2.close()


def test_a_pause_commits_without_any_other_action(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    _type_comment(qtbot, view, TEXT)
    qtbot.waitUntil(lambda: ws.entries(built.bundle_id, "P001").get(ITEM) is not None
                    and ws.entries(built.bundle_id, "P001")[ITEM].comment == TEXT)
    qtbot.waitUntil(lambda: view.edits.state is SaveState.SAVED)
    assert view.saved.text().startswith(tr("gui.review.saved.saved"))


def test_leaving_the_box_or_the_window_commits_at_once(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    view.edits._timer.setInterval(3_600_000)
    _type_comment(qtbot, view, TEXT)
    press(qtbot, Qt.Key.Key_Tab)  # focus leaves the comment
    assert ws.entries(built.bundle_id, "P001")[ITEM].comment == TEXT

    # The private note, then another application window gets the focus.
    commit_text(view.form.note, "ヒアリングで英語コースの教員確保を確認")
    assert view.edits.is_pending()
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    qtbot.waitUntil(lambda: not view.edits.is_pending())
    assert ws.note(built.bundle_id, "P001") == "ヒアリングで英語コースの教員確保を確認"


def test_switching_proposals_commits_the_text_of_the_one_left(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    view.edits._timer.setInterval(3_600_000)
    _type_comment(qtbot, view, TEXT)
    view.select_proposal("P002")
    assert ws.entries(built.bundle_id, "P001")[ITEM].comment == TEXT
    assert view.form.editors[ITEM].comment.toPlainText() == ""  # P002's own (empty) comment


def test_export_then_close_and_reopen_finds_everything_as_it_was(qtbot, opened, tmp_path):
    ws, built = opened
    grade_everything(ws, built.bundle_id, ["P001"], mark_index=1)
    ws.set_justification(built.bundle_id, "件数が少ないため")
    win = _app_window(qtbot, ws, built.bundle_id)
    view = win.round_view
    assert view.current == "P002"
    # P002: a conflict declared in the window; P001: a private note and a changed grade.
    qtbot.waitUntil(lambda: view.conflict_dialog is not None)
    dialog = view.conflict_dialog
    dialog.conflict.click()
    commit_text(dialog.reason, "申請機関の非常勤講師")
    dialog.accept()
    qtbot.waitUntil(lambda: view.conflict_dialog is None)
    wait_active(qtbot, view)
    view.select_proposal("P001")
    view.form.focus_item("2-4")
    press(qtbot, "c")
    press(qtbot, Qt.Key.Key_Escape)
    commit_text(view.form.note, "非公開のメモ")
    view.flush()
    out = tmp_path / "result.rvb"
    outcome = ws.export(built.bundle_id, out, built.passphrase)
    assert outcome.revision == 1

    before_rows = [view.list.row(pid) for pid in view.list.ids()]
    before_entries = ws.entries(built.bundle_id, "P001")
    before_dist = view.chart.distribution()
    before_totals = (view.form.total_text(), view.form.band_text())
    win.close()
    ws.close()

    ws2 = reopen_workspace(built)
    try:
        win2 = _app_window(qtbot, ws2, built.bundle_id)
        view2 = win2.round_view
        view2.select_proposal("P001")
        assert [view2.list.row(pid) for pid in view2.list.ids()] == before_rows
        assert ws2.entries(built.bundle_id, "P001") == before_entries
        assert view2.form.editors["2-4"].grades.buttons["c"].isChecked()
        assert view2.form.note.toPlainText() == "非公開のメモ"
        assert (view2.form.total_text(), view2.form.band_text()) == before_totals
        assert view2.chart.distribution() == before_dist
        view2.select_proposal("P002")
        assert "申請機関の非常勤講師" in view2.form.banner_text()
        assert [r.revision for r in ws2.export_history(built.bundle_id)] == [1]
        win2.close()
    finally:
        ws2.close()

    # What was exported: the grades and the conflict, never the private note.
    report = secretariat_reads(out, built)
    payload = report.payload
    by_id = {p.proposal_id: p for p in payload.proposals}
    assert by_id["P002"].conflict_of_interest and by_id["P002"].coi_reason == "申請機関の非常勤講師"
    assert "非公開のメモ" not in repr(payload)


def test_going_back_to_the_rounds_right_after_typing_keeps_the_text(qtbot, opened):
    ws, built = opened
    win = _app_window(qtbot, ws, built.bundle_id)
    view = win.round_view
    answer_no_conflict(qtbot, view)
    view.edits._timer.setInterval(3_600_000)
    _type_comment(qtbot, view, TEXT)
    win.close_round_action.trigger()  # 「ラウンド一覧」 in the window's menu and toolbar
    assert win.round_view is None and win.stack.currentWidget() is win.home
    assert ws.entries(built.bundle_id, "P001")[ITEM].comment == TEXT
    win.close()
