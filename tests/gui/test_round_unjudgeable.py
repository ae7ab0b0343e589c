"""「判断できない」: the grade is forced to the scale's lowest and a reason is required."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer_app.core.errors import ExportBlockedError
from reviewer_app.core.rubric import format_points
from reviewer_app.core.scoring import FindingCode
from reviewer_app.gui import tasks
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, close_views, commit_text, focused, open_view, press, settle
from tests.workspace_fixtures import grade_everything

GRADE_ITEM, LEVEL_ITEM = "2-2", "1-3"


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path, n=1)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def test_unjudgeable_forces_the_grade_and_asks_for_the_reason(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    editor = view.form.editors[GRADE_ITEM]
    view.form.focus_item(GRADE_ITEM)
    press(qtbot, "a")
    press(qtbot, "u")  # 「判断できない」

    entry = ws.entries(built.bundle_id, "P001")[GRADE_ITEM]
    assert entry.unjudgeable and entry.mark == "d"  # forced to the scale's unjudgeable grade
    assert editor.grades.buttons["d"].isChecked() and not editor.grades.buttons["a"].isEnabled()
    assert editor.reason.isVisible() and focused() is editor.reason  # the reason is asked at once
    codes = {f.code for f in ws.proposal_result(built.bundle_id, "P001").findings if f.item_id == GRADE_ITEM}
    assert FindingCode.UNJUDGEABLE_REASON_REQUIRED in codes
    assert tr("finding.unjudgeable_reason_required") in editor._findings.text()

    # The grade cannot be changed while the entry is unjudgeable.
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, "b")
    assert ws.entries(built.bundle_id, "P001")[GRADE_ITEM].mark == "d"

    # Give the reason; it is committed when the box is left.
    press(qtbot, "r")
    assert focused() is editor.reason
    commit_text(editor.reason, "構想調書 2-(2)-① の国別受入計画が空欄のため判断できない。")
    press(qtbot, Qt.Key.Key_Tab)
    entry = ws.entries(built.bundle_id, "P001")[GRADE_ITEM]
    assert entry.unjudgeable_reason.startswith("構想調書 2-(2)-①")
    codes = {f.code for f in ws.proposal_result(built.bundle_id, "P001").findings if f.item_id == GRADE_ITEM}
    assert FindingCode.UNJUDGEABLE_REASON_REQUIRED not in codes
    assert tr("finding.unjudgeable_reason_required") not in editor._findings.text()


def test_a_level_item_is_forced_to_its_lowest_level_and_the_flag_can_be_cleared(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    editor = view.form.editors[LEVEL_ITEM]
    view.form.focus_item(LEVEL_ITEM)
    press(qtbot, "4")
    editor.grades.unjudgeable.click()
    entry = ws.entries(built.bundle_id, "P001")[LEVEL_ITEM]
    assert entry.unjudgeable and entry.mark == "1"
    result = ws.proposal_result(built.bundle_id, "P001").item(LEVEL_ITEM)
    assert result.mark == "1" and result.points is not None
    assert editor._score.text() == tr("gui.review.form.score", points=format_points(result.points), max="30")
    view.form.focus_item(LEVEL_ITEM)
    press(qtbot, "u")  # cleared: the grade can be chosen again
    entry = ws.entries(built.bundle_id, "P001")[LEVEL_ITEM]
    assert not entry.unjudgeable and not editor.reason.isVisible()
    press(qtbot, "5")
    assert ws.entries(built.bundle_id, "P001")[LEVEL_ITEM].mark == "5"


def test_an_unjudgeable_entry_without_reason_blocks_the_export(qtbot, opened):
    ws, built = opened
    grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=1)
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    view.form.focus_item(GRADE_ITEM)
    press(qtbot, "u")
    with pytest.raises(ExportBlockedError):
        ws.export_blockers(built.bundle_id)
    settle(qtbot, view)
    assert view.list.row("P001").blocking == 1
