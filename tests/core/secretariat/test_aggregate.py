"""Aggregation on a case small enough to work out by hand (the figures in the comments)."""

from __future__ import annotations

import math
from decimal import Decimal

from reviewer_app.core.secretariat.aggregate import ReviewScore, aggregate, stats


def review(r: str, p: str, total: int | None, coi: bool = False) -> ReviewScore:
    if total is None:
        return ReviewScore(r, p, True, None, {}, None, 0)
    half = Decimal(total) / 2
    return ReviewScore(r, p, coi, Decimal(total), {"1": half, "2": half}, "0-89", 1 if r == "A" else 0, 1)


ASSIGNMENTS = [("A", "P"), ("A", "Q"), ("B", "P"), ("B", "Q"), ("C", "P"), ("C", "Q"), ("D", "R")]
REVIEWS = [review("A", "P", 100), review("A", "Q", 200), review("B", "P", 150), review("B", "Q", 150),
           review("C", "P", None), review("C", "Q", 250),
           review("E", "P", 500)]  # E is not assigned P: never counted


def run(rubric):
    return aggregate(rubric, ["P", "Q", "R"], ["A", "B", "C", "D"], ASSIGNMENTS, REVIEWS, {"0-89": Decimal("0.5")},
                     {"A": 1, "B": 1, "C": 1})


def test_per_proposal_figures(rubric):
    agg = run(rubric)
    p, q, r = agg.proposals
    # P: A 100, B 150 (C declared a conflict) → mean 125, median 125, spread 50, population SD 25.
    assert (p.assigned, p.returned, p.coi, p.total.n) == (3, 3, 1, 2)
    assert (p.total.mean, p.total.median, p.total.spread, p.total.sd) == (125, 125, 50, 25)
    assert p.viewpoint_means == {"1": Decimal("62.5"), "2": Decimal("62.5")}
    # Q: 200, 150, 250 → mean 200, SD √(5000/3).
    assert q.total.mean == 200 and math.isclose(float(q.total.sd), math.sqrt(5000 / 3))
    assert r.total.n == 0 and r.total.mean is None and r.rank is None
    assert p.unjudgeable == 1  # A's entry


def test_standardized_scores_sit_beside_the_raw_ones(rubric):
    p, q, _r = run(rubric).proposals
    # A's own totals 100, 200: mean 150, SD 50 → T = 40 and 60. B has no spread, C one review: undefined.
    by = {(s.reviewer_id, s.proposal_id): s for s in (*p.reviews, *q.reviews)}
    assert by[("A", "P")].standardized == 40 and by[("A", "Q")].standardized == 60
    assert by[("A", "P")].total == 100  # the raw figure is kept
    assert by[("B", "P")].standardized is None and by[("C", "Q")].standardized is None
    assert p.standardized_mean == 40 and q.standardized_mean == 60


def test_ranking_by_mean_and_by_standardized_mean(rubric):
    agg = run(rubric)
    assert [s.proposal_id for s in agg.ranking] == ["Q", "P", "R"]
    assert [(s.rank, s.standardized_rank) for s in agg.ranking] == [(1, 1), (2, 2), (None, None)]


def test_leniency_and_who_has_not_returned(rubric):
    agg = run(rubric)
    rv = {r.reviewer_id: r for r in agg.reviewers}
    # A: P 100 − 150 = −50, Q 200 − (150+250)/2 = 0 → −25. B: +50 and 150 − 225 = −75 → −12.5. C: 250 − 175 = +75.
    assert (rv["A"].leniency, rv["B"].leniency, rv["C"].leniency) == (-25, Decimal("-12.5"), 75)
    assert (rv["A"].leniency_n, rv["C"].leniency_n) == (2, 1)
    assert rv["D"].leniency is None and not rv["D"].returned
    assert agg.not_returned == ("D",)
    # A's 視点2 totals are 50 and 100: one below 90, one in 90–139; a 50 % target allows one per band.
    dist = {b.band_id: b for b in rv["A"].distribution.rows}
    assert (dist["0-89"].count, dist["90-139"].count, dist["0-89"].allowed, dist["0-89"].over_by) == (1, 1, 1, 0)


def test_ties_share_a_rank():
    from reviewer_app.core.secretariat.aggregate import _competition_ranks

    assert _competition_ranks([("a", 3), ("b", 2), ("c", 2), ("d", 1)]) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_stats_of_nothing_and_of_one():
    assert stats([]).mean is None
    one = stats([Decimal(7)])
    assert (one.mean, one.median, one.sd, one.spread) == (7, 7, 0, 0)


def test_band_counts_per_proposal_count_the_counting_reviews_in_each_band(rubric):
    def scored(r: str, p: str, band: str, coi: bool = False) -> ReviewScore:
        return ReviewScore(r, p, coi, Decimal(150), {"1": Decimal(50), "2": Decimal(100)}, band, 0, 1)

    reviews = [scored("A", "P", "190+"), scored("B", "P", "90-139"), scored("C", "P", "90-139"),
               scored("D", "P", "190+", coi=True),  # a declared conflict never counts
               scored("E", "P", "0-89"),  # E is not assigned P
               scored("A", "Q", "140-189")]
    agg = aggregate(rubric, ["P", "Q", "R"], ["A", "B", "C", "D"],
                    [("A", "P"), ("B", "P"), ("C", "P"), ("D", "P"), ("A", "Q"), ("B", "R")], reviews, {}, {})
    p, q, r = agg.proposals
    assert list(p.band_counts) == ["190+", "140-189", "90-139", "0-89"]  # every band, highest first
    assert p.band_counts == {"190+": 1, "140-189": 0, "90-139": 2, "0-89": 0}
    assert q.band_counts == {"190+": 0, "140-189": 1, "90-139": 0, "0-89": 0}
    assert r.band_counts == {"190+": 0, "140-189": 0, "90-139": 0, "0-89": 0}  # nothing returned yet
    assert sum(p.band_counts.values()) == p.total.n


def test_a_rubric_without_bands_has_no_band_counts(rubric):
    from dataclasses import replace

    agg = aggregate(replace(rubric, bands=None), ["P", "Q", "R"], ["A", "B", "C", "D"], ASSIGNMENTS, REVIEWS, {}, {})
    assert all(p.band_counts == {} for p in agg.proposals)
