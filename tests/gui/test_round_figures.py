"""Figures on the form: the secretariat's figure pre-filled and marked, the 観点 figures checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from reviewer_app.core.scoring import FindingCode
from reviewer_app.gui import tasks
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, close_views, focused, open_view, press

LEVEL_ITEM = "1-1"  # the fixture's proposals carry the secretariat's figure 340 for it (基準数 340)
CHECK_ITEM, RATIO = "2-5", "intl_student_ratio_2020"  # 留学生比率: 最低10%, 目安20%


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path, n=1)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def test_the_secretariats_figure_is_prefilled_marked_and_accepted_by_grading(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    editor = view.form.editors[LEVEL_ITEM]
    row = editor.figure
    assert row is not None and row.edit.text() == "340"
    assert row._chip.isVisibleTo(editor) and row._chip.text() == tr("gui.review.form.figure_secretariat")
    assert editor.grades.buttons["3"].property("suggested") is True  # 340 ÷ 340 = 1.0 → level 3
    assert "1.00" in row._facts.text()
    assert LEVEL_ITEM not in ws.entries(built.bundle_id, "P001")  # shown, not yet recorded

    view.form.focus_item(LEVEL_ITEM)
    press(qtbot, "3")  # grading accepts the pre-filled figure as the item's figure
    entry = ws.entries(built.bundle_id, "P001")[LEVEL_ITEM]
    assert entry.mark == "3" and entry.figure == Decimal(340)
    assert row._chip.text() == tr("gui.review.form.figure_secretariat")

    # The reviewer reads 700 in the proposal: the suggestion follows and the chip says what changed.
    press(qtbot, "f")
    assert focused() is row.edit
    qtbot.keyClicks(row.edit, "700")
    press(qtbot, Qt.Key.Key_Return)
    assert ws.entries(built.bundle_id, "P001")[LEVEL_ITEM].figure == Decimal(700)
    assert row._chip.text() == tr("gui.review.form.figure_changed", figure="340")
    suggested = ws.proposal_result(built.bundle_id, "P001").item(LEVEL_ITEM).suggested_mark
    assert editor.grades.buttons[suggested].property("suggested") is True and suggested != "3"
    # A level different from the figure's suggestion, without a comment, is a reminder.
    codes = {f.code for f in ws.proposal_result(built.bundle_id, "P001").findings if f.item_id == LEVEL_ITEM}
    assert FindingCode.LEVEL_DIFFERS_FROM_FIGURE in codes


def test_a_figure_that_is_not_a_number_is_refused_where_it_was_typed(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    row = view.form.editors[LEVEL_ITEM].figure
    view.form.focus_item(LEVEL_ITEM, "figure")
    row.edit.selectAll()
    qtbot.keyClicks(row.edit, "abc")
    press(qtbot, Qt.Key.Key_Tab)
    assert row._error.isVisibleTo(row) and row._error.text()
    assert row.edit.property("invalid") is True
    assert LEVEL_ITEM not in ws.entries(built.bundle_id, "P001")
    view.form.focus_item(LEVEL_ITEM, "figure")
    row.edit.selectAll()
    qtbot.keyClicks(row.edit, "1,020")
    press(qtbot, Qt.Key.Key_Tab)
    assert ws.entries(built.bundle_id, "P001")[LEVEL_ITEM].figure == Decimal(1020)
    assert not row._error.isVisibleTo(row) and row.edit.property("invalid") is False


@pytest.mark.parametrize(("typed", "status", "code"), [
    ("8", "below_level", FindingCode.FIGURE_BELOW_LEVEL_STRICT),
    ("15", "below_target", FindingCode.FIGURE_BELOW_TARGET),
    ("25", "met", None),
])
def test_a_perspective_figure_is_checked_against_its_level(qtbot, opened, typed, status, code):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    box = view.form.editors[CHECK_ITEM].checks_box
    assert box is not None and set(box.rows) >= {RATIO}
    field = box.rows[RATIO].edit
    view.form.focus_item(CHECK_ITEM)
    press(qtbot, "f")  # the first figure the item's 観点 name
    assert focused() is box.first_field()
    field.setFocus()
    qtbot.keyClicks(field, typed)
    press(qtbot, Qt.Key.Key_Return)
    assert ws.entries(built.bundle_id, "P001")[CHECK_ITEM].named_figures[RATIO] == Decimal(typed)
    assert tr(f"gui.review.checks.{status}") in box.rows[RATIO].status.text()
    codes = {f.code for f in ws.proposal_result(built.bundle_id, "P001").findings if f.item_id == CHECK_ITEM}
    if code is None:
        assert not codes & {FindingCode.FIGURE_BELOW_LEVEL_STRICT, FindingCode.FIGURE_BELOW_TARGET}
    else:
        assert code in codes
        assert any(f.code is code for f in view.findings._findings["P001"])  # listed in the panel
        assert ws.entries(built.bundle_id, "P001")[CHECK_ITEM].mark is None  # never a grade by itself
