"""Scoring and validating 100 proposals × 14 items."""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal

from reviewer_app.core.distribution import distribution
from reviewer_app.core.scoring import Entry, score_proposal
from reviewer_app.services.rubrics import load_shipped_rubric

from ._util import best_of


def _entries(rubric, rng: random.Random) -> list[Entry]:
    out = []
    for item in rubric.items:
        scale = rubric.scale_of(item)
        mark = rng.choice(scale.codes)
        figure = Decimal(rng.randint(0, 900)) if scale.kind == "level" else None
        out.append(Entry(item.id, mark, "所見" if rng.random() < 0.7 else "", figure=figure))
    return out


def bench_score_100() -> list[tuple[str, float, str]]:
    rubric = load_shipped_rubric()
    rng = random.Random(7)
    proposals = [_entries(rubric, rng) for _ in range(100)]

    def run() -> None:
        results = [score_proposal(rubric, e) for e in proposals]
        distribution(rubric, [r.viewpoint_totals["2"] for r in results])

    t = best_of(run)
    load = best_of(load_shipped_rubric, 3)
    return [
        ("scoring.100_proposals_x_14_items", t * 1000, "ms"),
        ("scoring.per_proposal", t / 100 * 1e6, "µs"),
        ("rubric.load_and_validate", load * 1000, "ms"),
    ]


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "scoring", bench_score_100
