"""The distribution chart speaks to whoever reads it: the reviewer about their grades, the clerk about a returned result."""

from __future__ import annotations

from decimal import Decimal

from reviewer_app.core.distribution import distribution
from reviewer_app.core.rubric_load import load_rubric
from reviewer_app.gui.review.distribution_chart import DistributionChart
from reviewer_app.i18n import tr
from reviewer_app.paths import resource_path


def over_target():
    rubric = load_rubric(resource_path("rubrics", "kokusaika-kyoten-2009.toml"))
    # Seven totals, five of them 190 or more where 25 % allows one: over by four.
    totals = [Decimal(t) for t in ("230", "220", "200", "195", "190", "150", "145")]
    return distribution(rubric, totals, {"190+": 0.25, "140-189": 0.5, "90-139": 0.5, "0-89": 0.25})


def test_the_reviewer_keeps_their_wording_and_the_secretariat_gets_its_own(qtbot):
    dist = over_target()
    reviewer = DistributionChart("視点2")
    clerk = DistributionChart("視点2", wording="secretariat")
    for chart in (reviewer, clerk):
        qtbot.addWidget(chart)
        chart.resize(700, 200)
        chart.set_distribution(dist)
        assert chart.over_target()

    assert reviewer.title_text() == tr("gui.review.dist.title", viewpoint="視点2", n=7)
    assert reviewer.warning_text() == tr("gui.review.dist.warning")
    assert tr("gui.review.dist.warning") in reviewer.accessibleDescription()
    assert "入力完了" in reviewer.title_text() and "書き出し時に理由" in reviewer.warning_text()

    assert clerk.title_text() == tr("gui.secretariat.dist.title", viewpoint="視点2", n=7)
    assert "入力完了" not in clerk.title_text() and "集計対象 7 件" in clerk.title_text()
    assert "書き出し" not in clerk.warning_text() and "この審査委員の分布" in clerk.warning_text()
    assert clerk.warning_text() in clerk.accessibleDescription()
    assert tr("gui.review.dist.warning") not in clerk.accessibleDescription()
    # The rows are the same on both sides (over by four in the top band).
    assert tr("gui.review.dist.over", over=4) in clerk.accessibleDescription()
    assert tr("gui.review.dist.over", over=4) in reviewer.accessibleDescription()
    clerk.grab()
