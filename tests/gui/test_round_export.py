"""Export and print from the round view: the dialogs open from File, and a refused export leads to the fix."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer_app.gui import tasks
from reviewer_app.gui.review.export_dialog import ExportDialog
from reviewer_app.gui.review.print_dialog import PrintDialog
from tests.gui.round_support import build_round, close_views, commit_text, focused, open_view, press, settle, wait_active
from tests.workspace_fixtures import grade_everything

ITEM = "2-1"


@pytest.fixture
def graded(tmp_path):
    ws, built = build_round(tmp_path, n=3)
    grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=1)  # all 'b' with comments
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def test_an_a_without_comment_is_refused_by_the_export_dialog_which_leads_to_the_comment(qtbot, graded, tmp_path):
    ws, built = graded
    ws.set_justification(built.bundle_id, "件数が少ないため")
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    view.form.focus_item(ITEM)
    press(qtbot, "a")
    editor = view.form.editors[ITEM]
    editor.comment.setFocus()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Delete)
    view.form.focus_item(view.form.order[0])  # leaving the box commits the empty comment

    assert view.actions.export in view.menu_actions()["file"]
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = view.export_dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    dialog.location.set_path(tmp_path / "result.rvb")
    assert not dialog.export_button.isEnabled()  # refused while the finding stands
    rows = [dialog.findings_list.item(i) for i in range(dialog.findings_list.count())]
    (row,) = [r for r in rows if r.data(Qt.ItemDataRole.UserRole) == ("P001", ITEM)]
    dialog.findings_list.setCurrentItem(row)
    qtbot.keyClick(dialog.findings_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wait_active(qtbot, view)
    assert view.current == "P001"
    assert focused() is editor.comment

    commit_text(editor.comment, "国際的に通用する英語コースの計画が具体的。")
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = view.export_dialog
    dialog.location.set_path(tmp_path / "result.rvb")
    assert dialog.findings_list.count() == 0 and dialog.export_button.isEnabled()
    dialog.reject()


def test_over_target_the_view_warns_and_the_export_dialog_asks_for_the_justification(qtbot, tmp_path):
    ws, built = build_round(tmp_path, n=3)
    try:
        grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=0)  # all 'a': 190点以上 ×3
        view = open_view(qtbot, ws, built.bundle_id, confirm=False)
        settle(qtbot, view)
        assert view.chart.over_target()
        view.actions.export.trigger()
        dialog = view.export_dialog
        dialog.location.set_path(tmp_path / "result.rvb")
        assert dialog.justify_box.isVisibleTo(dialog) and not dialog.export_button.isEnabled()
        commit_text(dialog.justification, "採択候補が集中する分野の申請が多いため")
        assert dialog.export_button.isEnabled()
        dialog.reject()
    finally:
        close_views()
        tasks.set_synchronous(False)
        ws.close()


def test_print_opens_from_the_file_menu_for_the_proposal_shown(qtbot, graded):
    ws, built = graded
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    view.select_proposal("P002")
    assert view.actions.print in view.menu_actions()["file"]
    view.actions.print.trigger()
    dialog = view.print_dialog
    assert isinstance(dialog, PrintDialog) and dialog.isVisible()
    assert dialog.current_proposal_id == "P002" and dialog.current_radio.isChecked()
    dialog.reject()
