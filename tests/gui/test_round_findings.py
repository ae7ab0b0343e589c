"""Findings: an 'a' without a comment blocks the export, and the panel leads straight to the fix."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer_app.core.errors import ExportBlockedError
from reviewer_app.core.scoring import FindingCode
from reviewer_app.gui import tasks
from reviewer_app.gui.review.findings_panel import ROLE
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, close_views, commit_text, focused, open_view, press
from tests.workspace_fixtures import grade_everything

ITEM = "2-1"  # an a–d item of the 2009 rubric


@pytest.fixture
def graded(tmp_path):
    """Every proposal fully graded 'b' with comments; the distribution justified."""
    ws, built = build_round(tmp_path)
    grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=1)
    ws.set_justification(built.bundle_id, "全件が同程度の水準のため")
    ws.export_blockers(built.bundle_id)  # nothing blocks to begin with
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def _rows(view) -> list:
    tree = view.findings.tree
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out.append(top)
        out.extend(top.child(j) for j in range(top.childCount()))
    return out


def _comment_required_row(view, proposal_id: str):
    for row in _rows(view):
        data = row.data(0, ROLE)
        if data and data[0] == proposal_id and data[1] == ITEM and data[2] == "comment":
            return row
    return None


def _give_a_and_remove_the_comment(qtbot, view) -> None:
    view.form.focus_item(ITEM)
    press(qtbot, "a")
    press(qtbot, Qt.Key.Key_Return)  # into the comment
    editor = view.form.editors[ITEM]
    assert focused() is editor.comment
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_Escape)  # leaving the box commits at once
    assert focused() is editor


def test_an_a_without_a_comment_blocks_export_and_the_finding_focuses_the_comment(qtbot, graded):
    ws, built = graded
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)  # graded before: no question
    assert view.current == "P001"
    _give_a_and_remove_the_comment(qtbot, view)

    entry = ws.entries(built.bundle_id, "P001")[ITEM]
    assert entry.mark == "a" and entry.comment == ""
    with pytest.raises(ExportBlockedError) as refused:
        ws.export_blockers(built.bundle_id)
    assert [(f.proposal_id, f.finding.item_id, f.finding.code) for f in refused.value.params["findings"]] == [
        ("P001", ITEM, FindingCode.COMMENT_REQUIRED)]
    editor = view.form.editors[ITEM]
    assert editor.comment_required() and editor.comment.property("required") is True
    assert tr("severity.blocking") in editor._findings.text()
    assert view.findings.counts("P001")[0] == 1

    # Go elsewhere, then follow the finding from the panel with the keyboard.
    view.form.focus_item(view.form.order[0])
    row = _comment_required_row(view, "P001")
    assert row is not None
    assert tr("finding.comment_required", mark="a") in row.text(0)
    view.findings.tree.setFocus()
    view.findings.tree.setCurrentItem(row)
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is editor.comment

    commit_text(editor.comment, "英語コースの計画が具体的で、既存の実績に裏付けられている。")
    press(qtbot, Qt.Key.Key_Escape)
    ws.export_blockers(built.bundle_id)  # the export is no longer refused
    assert _comment_required_row(view, "P001") is None
    assert not editor._findings.isVisible() or tr("severity.blocking") not in editor._findings.text()


def test_a_finding_of_another_proposal_opens_that_proposal_at_the_item(qtbot, graded):
    ws, built = graded
    ws.record_comment(built.bundle_id, "P003", ITEM, "")
    ws.record_grade(built.bundle_id, "P003", ITEM, "d")
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    assert view.current == "P003"  # the first proposal with something to fix
    view.select_proposal("P001")
    view.findings.set_scope_round(True)
    row = _comment_required_row(view, "P003")
    assert row is not None and row.parent() is not None  # grouped under its proposal
    view.findings.tree.setCurrentItem(row)
    view.findings.tree.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert view.current == "P003"
    assert focused() is view.form.editors[ITEM].comment


def test_a_missing_reason_leads_to_the_reason_box(qtbot, graded):
    ws, built = graded
    ws.set_unjudgeable(built.bundle_id, "P002", ITEM, "")
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    assert view.current == "P002"
    view.focus_finding("P002", ITEM)
    assert focused() is view.form.editors[ITEM].reason
