"""The 視点2 distribution follows the grades as they are given and marks a band over its target."""

from __future__ import annotations

import pytest

from reviewer_app.core.errors import ExportBlockedError
from reviewer_app.gui import tasks
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, close_views, open_view, press, settle
from tests.workspace_fixtures import grade_everything


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path, n=3)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def _grade_viewpoint(qtbot, view, viewpoint_id: str, key: str) -> None:
    for item_id in view.form.order:
        if view.rubric.item(item_id).viewpoint_id == viewpoint_id:
            view.form.focus_item(item_id)
            press(qtbot, key)


def test_the_chart_follows_the_grades_and_warns_over_target(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    chart = view.chart
    assert chart.distribution().n == 0 and not chart.over_target()
    assert chart.accessibleName() == tr("gui.review.dist.a11y", viewpoint="視点2")

    # All 'a' on 視点2: 230 points, the 190点以上 band, whose target (20 %) allows no proposal yet.
    _grade_viewpoint(qtbot, view, "2", "a")
    settle(qtbot, view)
    dist = chart.distribution()
    assert dist == ws.distribution(built.bundle_id)  # exactly what the service says, drawn
    top = dist.rows[0]
    assert dist.n == 1 and top.count == 1 and top.over_by == 1
    assert chart.over_target()
    assert tr("gui.review.dist.warning") in chart.accessibleDescription()
    assert tr("gui.review.dist.over", over=1) in chart.accessibleDescription()
    assert view.form.band_text() == tr("gui.review.form.band", viewpoint="視点2", band=top.label)

    # All 'c': the total falls into a band without a target, and the warning goes away.
    _grade_viewpoint(qtbot, view, "2", "c")
    settle(qtbot, view)
    dist = chart.distribution()
    assert dist == ws.distribution(built.bundle_id)
    assert dist.rows[0].count == 0 and not chart.over_target()
    assert tr("gui.review.dist.warning") not in chart.accessibleDescription()
    chart.grab()  # paints without error in both states


def test_a_declared_conflict_leaves_the_distribution(qtbot, opened):
    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    _grade_viewpoint(qtbot, view, "2", "a")
    settle(qtbot, view)
    assert view.chart.distribution().n == 1
    view.form._declare.click()
    dialog = view.conflict_dialog
    dialog.reason.setPlainText("兼業先")
    dialog.accept()
    qtbot.waitUntil(lambda: view.conflict_dialog is None)
    settle(qtbot, view)
    assert view.chart.distribution().n == 0 and not view.chart.over_target()


def test_over_target_when_opened_and_the_export_asks_for_a_justification(qtbot, opened):
    ws, built = opened
    grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=0)  # all 'a': all in 190点以上
    view = open_view(qtbot, ws, built.bundle_id, confirm=False)
    assert view.chart.over_target()
    assert view.chart.distribution().rows[0].over_by == 3 - 0  # floor(20 % of 3) = 0 allowed
    with pytest.raises(ExportBlockedError) as refused:
        ws.export_blockers(built.bundle_id)
    assert refused.value.code == "workspace.justification_required"
    ws.set_justification(built.bundle_id, "採択候補が集中する年度のため")
    ws.export_blockers(built.bundle_id)
    assert view.chart.over_target()  # the warning stays: the distribution itself did not change
