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


def _groups_rubric(n: int, chain: bool) -> bytes:
    """One viewpoint of ``n`` groups: a parent chain (refused past the depth limit) or a flat list."""
    groups = []
    for k in range(n):
        link = f'parent = "g{k - 1}"' if chain and k else 'viewpoint = "1"'
        groups.append(f'[[groups]]\nid = "g{k}"\n{link}\nlabel = "g{k}"\ntitle = "g"\npoints = 1\n')
    items = "".join(
        f'[[items]]\nid = "i{k}"\ngroup = "g{k}"\nlabel = "i{k}"\ntitle = "i"\npoints = 1\nscale = "s"\n'
        for k in range(n) if not chain
    ) or '[[items]]\nid = "i"\ngroup = "g0"\nlabel = "i"\ntitle = "i"\npoints = 1\nscale = "s"\n'
    head = (
        'format = "reviewer-app-rubric"\nformat_version = 1\nid = "b"\ntitle = "b"\n'
        f"total_points = {n}\n"
        '[scales.s]\nkind = "grade"\ntitle = "s"\nunjudgeable_mark = "d"\n'
        'marks = [{ code = "a", label = "a", fraction = 1 }, { code = "d", label = "d", fraction = 0.25 }]\n'
        f'[[viewpoints]]\nid = "1"\nlabel = "v"\ntitle = "v"\npoints = {n}\n'
    )
    return (head + "\n".join(groups) + items).encode()


def bench_hostile_rubrics() -> list[tuple[str, float, str]]:
    """Hostile rubric files end at once (issue 10): figures beside the shipped rubric's load."""
    from reviewer_app.core.errors import RubricError
    from reviewer_app.core.rubric import load_rubric_bytes
    from reviewer_app.paths import resource_path

    shipped = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_bytes()
    cases = {
        "rubric.load_shipped (baseline)": shipped,
        "rubric.refuse_1000_deep_group_chain": _groups_rubric(1000, chain=True),
        "rubric.refuse_5000_nested_arrays": b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n" + shipped,
        "rubric.load_2000_flat_groups_and_items": _groups_rubric(2000, chain=False),
    }
    out = []
    for name, data in cases.items():
        def run(data: bytes = data) -> None:
            try:
                load_rubric_bytes(data, "bench.toml")
            except RubricError:
                pass

        out.append((name, best_of(run, 3) * 1000, "ms"))
    return out


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "scoring", bench_score_100
    yield "scoring", bench_hostile_rubrics
