"""The test's own arithmetic, from the rubric file and round.toml as data: no app code involved.

Points of a grade = the item's points × the mark's share, the share taken from round.toml's
grade_points where it sets one (percent), else from the rubric file's fraction. Statistics in
exact fractions (floats only for square roots and T-scores).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from reviewer_app.paths import resource_path


@dataclass(frozen=True)
class OracleRubric:
    points: dict[str, Fraction]  # item id → points
    viewpoint: dict[str, str]  # item id → viewpoint id
    scale: dict[str, str]  # item id → scale id
    share: dict[tuple[str, str], Fraction]  # (scale, mark) → share of the points
    forced: dict[str, str]  # scale → the unjudgeable mark
    band_mins: list[tuple[str, Fraction]]  # banded viewpoint's bands, highest first
    banded: str
    item_order: list[str]

    def item_points(self, item_id: str, mark: str) -> Fraction:
        return self.points[item_id] * self.share[(self.scale[item_id], mark)]


def load_oracle(round_toml: Path, rubric_file: Path | None = None) -> OracleRubric:
    rub = tomllib.loads((rubric_file or resource_path("rubrics", "kokusaika-kyoten-2009.toml")).read_text("utf-8"))
    rnd = tomllib.loads(round_toml.read_text("utf-8"))
    groups = {g["id"]: g for g in rub["groups"]}

    def vp_of(group_id: str) -> str:
        g = groups[group_id]
        return g["viewpoint"] if "viewpoint" in g else vp_of(g["parent"])

    share: dict[tuple[str, str], Fraction] = {}
    forced = {}
    for sid, s in rub["scales"].items():
        forced[sid] = s["unjudgeable_mark"]
        for m in s["marks"]:
            share[(sid, m["code"])] = Fraction(str(m["fraction"]))
    for sid, marks in rnd.get("grade_points", {}).items():
        for code, pct in marks.items():
            share[(sid, code)] = Fraction(str(pct)) / 100
    items = rub["items"]
    return OracleRubric(
        points={i["id"]: Fraction(str(i["points"])) for i in items},
        viewpoint={i["id"]: vp_of(i["group"]) for i in items},
        scale={i["id"]: i["scale"] for i in items},
        share=share,
        forced=forced,
        band_mins=[(b["id"], Fraction(str(b["min"]))) for b in rub["bands"]["ranges"]],
        banded=rub["bands"]["viewpoint"],
        item_order=[i["id"] for i in items],
    )


def band_of(o: OracleRubric, total: Fraction) -> str:
    for bid, lo in o.band_mins:
        if total >= lo:
            return bid
    return o.band_mins[-1][0]


def mean(xs: list[Fraction]) -> Fraction:
    return sum(xs, Fraction(0)) / len(xs)


def median(xs: list[Fraction]) -> Fraction:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def pstdev(xs: list[Fraction]) -> float:
    m = mean(xs)
    return math.sqrt(float(sum(((x - m) ** 2 for x in xs), Fraction(0)) / len(xs)))


def competition_ranks(values: dict[str, Fraction | float]) -> dict[str, int]:
    order = sorted(values, key=lambda k: (-values[k], k))
    out: dict[str, int] = {}
    for n, k in enumerate(order, 1):
        out[k] = out[order[n - 2]] if n > 1 and values[k] == values[order[n - 2]] else n
    return out
