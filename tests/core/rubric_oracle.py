"""An independent reading of the shipped rubric and the criteria, for property tests.

Built from the TOML file with ``tomllib`` and exact ``Fraction`` arithmetic, never through
the app's loader or scoring helpers, so a test comparing the engine with it checks the
engine against the criteria rather than against itself. The rules written out here are
the seed's (審査基準 2009-04-09) and DOMAIN.md's:

* an item's points are ``points × fraction`` of its mark; an unjudgeable entry *is* graded
  with the scale's lowest mark (「評点を「d」とし」), whatever mark it carries;
* a 5-level mark is suggested as the best level whose ``min_ratio × 基準数`` the figure
  reaches;
* a 視点2 total falls in the first band (highest first) whose minimum it reaches.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from reviewer_app.paths import resource_path

SHIPPED = "kokusaika-kyoten-2009.toml"

#: The figures the 観点 name (seed 003): figure name → item, 観点, level (最低), 目安, unit, and
#: whether the criteria call for 厳しい評価 below the level (2-⑤: 「水準に達しない計画については、厳しい評価」).
SEED_CHECKS = {
    "accepted_countries": ("1-4", "観点①", 5, None, "カ国", False),  # 最低でも5カ国以上
    "focus_countries": ("2-2", "観点①", 2, None, "カ国", False),  # 受入重点国は2カ国以上
    "office_countries": ("2-4", "観点①", 2, None, "カ国", False),  # 事務所は2カ国以上
    "intl_student_ratio_2020": ("2-5", "観点②", 10, 20, "%", True),  # 20%を目安に少なくとも10%
    "intl_student_increase": ("2-5", "観点②", 1000, None, "人", True),  # 1,000人以上増やし
    "intl_students_2020": ("2-5", "観点②", 2600, None, "人", True),  # 全学で2,600人以上
    "foreign_faculty_ratio_2020": ("2-5", "観点③", 5, 10, "%", True),  # 10%程度を目安、最低でも5%
}


@dataclass(frozen=True)
class OItem:
    id: str
    viewpoint: str
    points: Fraction
    codes: tuple[str, ...]  # best first
    fractions: dict[str, Fraction]
    lowest: str
    basis: Fraction | None
    min_ratios: dict[str, Fraction]


@dataclass(frozen=True)
class Oracle:
    items: tuple[OItem, ...]
    bands: tuple[tuple[str, Fraction], ...]  # (id, min), highest first
    banded: str

    def item(self, item_id: str) -> OItem:
        return next(i for i in self.items if i.id == item_id)

    def effective(self, item: OItem, mark: str | None, unjudgeable: bool) -> str | None:
        return item.lowest if unjudgeable else mark

    def points(self, item: OItem, mark: str | None, unjudgeable: bool) -> Fraction | None:
        m = self.effective(item, mark, unjudgeable)
        return None if m is None else item.points * item.fractions[m]

    def suggest(self, item: OItem, figure: Fraction) -> str:
        assert item.basis is not None
        for code in item.codes:
            if figure >= item.min_ratios[code] * item.basis:
                return code
        return item.codes[-1]

    def band(self, total: Fraction) -> str:
        for band_id, low in self.bands:
            if total >= low:
                return band_id
        return self.bands[-1][0]


def _frac(v: Any) -> Fraction:
    return Fraction(str(v))


@cache
def shipped_oracle() -> Oracle:
    doc = tomllib.loads(resource_path("rubrics", SHIPPED).read_text(encoding="utf-8"))
    return oracle_from(doc)


def oracle_from(doc: dict[str, Any]) -> Oracle:
    groups = {g["id"]: g for g in doc.get("groups", [])}

    def viewpoint_of(raw: dict[str, Any]) -> str:
        if "viewpoint" in raw:
            return raw["viewpoint"]
        g = groups[raw["group"]]
        while "viewpoint" not in g:
            g = groups[g["parent"]]
        return g["viewpoint"]

    items = []
    for raw in doc["items"]:
        scale = doc["scales"][raw["scale"]]
        marks = scale["marks"]
        basis = raw.get("basis")
        items.append(OItem(
            id=raw["id"],
            viewpoint=viewpoint_of(raw),
            points=_frac(raw["points"]),
            codes=tuple(m["code"] for m in marks),
            fractions={m["code"]: _frac(m["fraction"]) for m in marks},
            lowest=marks[-1]["code"],
            basis=None if basis is None else _frac(basis["count"]),
            min_ratios={m["code"]: _frac(m["min_ratio"]) for m in marks if "min_ratio" in m},
        ))
    bands = tuple((b["id"], _frac(b["min"])) for b in doc["bands"]["ranges"])
    return Oracle(tuple(items), bands, doc["bands"]["viewpoint"])
