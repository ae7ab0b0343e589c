"""A reviewer's 視点2 distribution against the secretariat's target shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer_app.core.distribution import distribution, effective_targets
from reviewer_app.core.errors import EntryError


def test_counts_per_band_without_targets(rubric):
    d = distribution(rubric, [Decimal(x) for x in (230, 190, 189.9, 140, 139, 90, 89.99, 0)])
    assert d.n == 8
    assert [(r.band_id, r.count) for r in d.rows] == [("190+", 2), ("140-189", 2), ("90-139", 2), ("0-89", 2)]
    assert all(r.target_share is None and r.allowed is None and r.over_by == 0 for r in d.rows)
    assert d.within_targets


def test_over_target_by_how_many(rubric):
    totals = [Decimal(t) for t in (200, 195, 192, 150, 150, 150, 120, 100, 80, 60)]
    d = distribution(rubric, totals, {"190+": 0.1, "0-89": Decimal("0.2")})
    rows = {r.band_id: r for r in d.rows}
    assert rows["190+"].count == 3 and rows["190+"].allowed == 1 and rows["190+"].over_by == 2
    assert rows["0-89"].count == 2 and rows["0-89"].allowed == 2 and rows["0-89"].over_by == 0
    assert rows["140-189"].allowed is None
    assert [r.band_id for r in d.over_target] == ["190+"]
    assert rows["190+"].share == Decimal("0.3")


def test_allowance_rounds_down(rubric):
    # 10 % of 9 proposals allows 0 in the top band: "〇〇%以内" is an upper bound.
    d = distribution(rubric, [Decimal(195)] + [Decimal(150)] * 8, {"190+": 0.1})
    top = d.rows[0]
    assert top.allowed == 0 and top.over_by == 1


def test_no_proposals(rubric):
    d = distribution(rubric, [], {"190+": 0.1})
    assert d.n == 0 and all(r.count == 0 and r.over_by == 0 for r in d.rows)


def test_bad_targets_are_typed_errors(rubric):
    with pytest.raises(EntryError) as info:
        effective_targets(rubric, {"200+": 0.1})
    assert info.value.code == "entry.unknown_band"
    with pytest.raises(EntryError) as info:
        effective_targets(rubric, {"190+": 1.5})
    assert info.value.code == "entry.bad_share"


@pytest.mark.parametrize("share", [float("nan"), Decimal("NaN"), float("inf"), True, "x", [0.1], -0.0001])
def test_impossible_shares_are_typed_errors_not_crashes(rubric, share):
    with pytest.raises(EntryError) as info:
        effective_targets(rubric, {"90-139": share})
    assert info.value.code == "entry.bad_share"


@given(st.lists(st.integers(0, 230).map(Decimal), max_size=60), st.floats(0, 1), st.floats(0, 1))
def test_counts_add_up_and_over_is_consistent(rubric, totals, top, bottom):
    d = distribution(rubric, totals, {"190+": top, "0-89": bottom})
    assert sum(r.count for r in d.rows) == len(totals)
    for r in d.rows:
        if r.allowed is not None:
            assert r.allowed <= r.target_share * d.n < r.allowed + 1
            assert r.over_by == max(0, r.count - r.allowed)
