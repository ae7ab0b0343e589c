"""Keyboard-only scoring: a whole proposal graded, commented and left without touching the mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reviewer_app.core.rubric import format_points
from reviewer_app.gui import tasks
from reviewer_app.gui.review.item_editor import ItemEditor
from reviewer_app.gui.review.shortcuts_dialog import ShortcutsDialog
from reviewer_app.i18n import tr
from reviewer_app.services.workspace import ProposalStatus
from tests.gui.round_support import answer_no_conflict, build_round, close_views, focused, open_view, press


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def test_grade_every_item_of_a_proposal_by_keyboard_only(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)  # the conflict question was answered with Enter
    pid = view.current
    assert pid == "P001"
    # Answering the question puts the focus on the first item: no mouse needed to get there.
    rubric = view.rubric
    assert isinstance(focused(), ItemEditor) and focused().item.id == view.form.order[0]

    for n, item_id in enumerate(view.form.order):
        editor = focused()
        assert isinstance(editor, ItemEditor) and editor.item.id == item_id
        scale = rubric.scale_of(rubric.item(item_id))
        if scale.kind == "grade":
            press(qtbot, "a")  # 'a' needs a comment: open it with Enter, type, Esc back
            press(qtbot, Qt.Key.Key_Return)
            assert focused() is editor.comment
            qtbot.keyClicks(focused(), f"Clear strengths, point {n}.")
            press(qtbot, Qt.Key.Key_Escape)
            assert focused() is editor
        else:
            press(qtbot, "4")
        press(qtbot, Qt.Key.Key_Down)

    view.flush()
    result = ws.proposal_result(built.bundle_id, pid)
    assert result.complete and not result.blocking
    entries = ws.entries(built.bundle_id, pid)
    for item in rubric.items:
        expected = "a" if rubric.scale_of(item).kind == "grade" else "4"
        assert entries[item.id].mark == expected
    assert entries["2-5"].comment.startswith("Clear strengths")
    assert view.list.row(pid).status is ProposalStatus.COMPLETE
    # The form shows what the service computed: the total of 'a' and level 4 everywhere.
    assert view.form.total_text() == tr("gui.review.form.total", points=format_points(result.total), max="500")


def test_keys_change_and_clear_a_grade_and_ignore_keys_off_the_scale(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    level_item = view.form.order[0]  # the first item is a 5-level item in the 2009 rubric
    assert view.rubric.scale_of(view.rubric.item(level_item)).kind == "level"
    press(qtbot, "a")  # not a level: nothing recorded
    assert level_item not in ws.entries(built.bundle_id, "P001")
    press(qtbot, "5")
    press(qtbot, "2")
    assert ws.entries(built.bundle_id, "P001")[level_item].mark == "2"
    press(qtbot, Qt.Key.Key_Delete)
    assert ws.entries(built.bundle_id, "P001")[level_item].mark is None


def test_next_and_previous_proposal_by_keyboard(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    form_before = dict(view.form.editors)
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current == "P002"
    # First visit of P002: the conflict question comes first, answered with Enter again.
    answer_no_conflict(qtbot, view)
    assert isinstance(focused(), ItemEditor)
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert view.current == "P001"
    assert view.conflict_dialog is None  # already answered for P001
    # The form was refilled, not rebuilt: the same editor widgets serve every proposal.
    assert view.form.editors == form_before
    assert all(a is b for a, b in zip(view.form.editors.values(), form_before.values()))


def test_ctrl_f_searches_the_pdf_and_f1_or_question_mark_lists_every_shortcut(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.pdf.isAncestorOf(focused())
    view.focus_form()
    press(qtbot, Qt.Key.Key_F1)
    dialog = view.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    listed = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert {"a b c d", "5 4 3 2 1", "↓ / J", "Enter", "U"} <= listed
    assert any("PgDown" in k or "PgDn" in k for k in listed)
    dialog.close()
    view.focus_form()
    press(qtbot, "?")
    assert view.shortcuts_dialog is not dialog and view.shortcuts_dialog.isVisible()
    view.shortcuts_dialog.close()
    QApplication.processEvents()


def test_enter_in_the_proposal_list_goes_to_the_form(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert focused() is view.list.tree
    press(qtbot, Qt.Key.Key_Return)
    assert isinstance(focused(), ItemEditor)


def test_the_overview_opens_from_the_view_menu_and_a_cell_opens_that_item(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = view.overview_dialog
    assert dialog is not None and dialog.isVisible()
    assert view.actions.overview in view.menu_actions()["view"]
    # A cell of P002 × 2-3 (P002 not yet opened: the conflict question comes first).
    column = dialog.model.column_of_item("2-3")
    row = next(r for r in range(dialog.proxy.rowCount()) if dialog.proxy.index(r, 0).data() == "P002")
    dialog.table.setCurrentIndex(dialog.proxy.index(row, column))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # activate the cell
    assert view.current == "P002"
    answer_no_conflict(qtbot, view)
    assert focused() is view.form.editors["2-3"]
    press(qtbot, "b")
    assert ws.entries(built.bundle_id, "P002")["2-3"].mark == "b"
    dialog.close()

