"""Which totals a rubric's grades can produce, and which bands no combination can reach.

The criteria give a target share to every 視点2 band (「90点未満 〇〇%以内」 included), so a
band no grade combination can reach is a defect of the point fractions (with a/b/c/d =
100/80/60/40 % the lowest 視点2 total is 92). ``rubric check`` reports it as a warning with
the numbers; it is not an error, because a secretariat may choose such fractions knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .rubric import Band, Rubric

#: Work allowed for the exact set of reachable totals (sums × marks); a larger rubric falls
#: back to the range check, which can only miss a band lying in a gap between totals.
MAX_REACH_WORK = 2_000_000


@dataclass(frozen=True)
class ViewpointRange:
    viewpoint_id: str
    lowest: Decimal  # every item at its scale's lowest mark
    highest: Decimal  # every item at its best mark


@dataclass(frozen=True)
class UnreachableBand:
    band_id: str
    label: str
    low: Decimal  # the band's min
    high: Decimal | None  # the next band's min (exclusive), None for the top band
    viewpoint_id: str
    lowest: Decimal
    highest: Decimal


def _item_points(rubric: Rubric, viewpoint_id: str) -> list[list[Decimal]]:
    out = []
    for item in rubric.items_of(viewpoint_id):
        scale = rubric.scale_of(item)
        out.append(sorted({item.points * m.fraction for m in scale.marks}))
    return out


def viewpoint_ranges(rubric: Rubric) -> tuple[ViewpointRange, ...]:
    """Lowest and highest total per viewpoint (a linear pass: no enumeration needed)."""
    out = []
    for v in rubric.viewpoints:
        options = _item_points(rubric, v.id)
        out.append(ViewpointRange(v.id, sum((o[0] for o in options), Decimal(0)),
                                  sum((o[-1] for o in options), Decimal(0))))
    return tuple(out)


def reachable_totals(rubric: Rubric, viewpoint_id: str) -> frozenset[Decimal] | None:
    """Every total some combination of marks gives, or None if that set is too large to build."""
    sums: set[Decimal] = {Decimal(0)}
    work = 0
    for options in _item_points(rubric, viewpoint_id):
        work += len(sums) * len(options)
        if work > MAX_REACH_WORK:
            return None
        sums = {s + p for s in sums for p in options}
    return frozenset(sums)


def _bounds(bands: tuple[Band, ...]) -> list[tuple[Band, Decimal | None]]:
    out: list[tuple[Band, Decimal | None]] = []
    above: Decimal | None = None
    for b in bands:  # highest first
        out.append((b, above))
        above = b.min_points
    return out


def unreachable_bands(rubric: Rubric) -> tuple[UnreachableBand, ...]:
    """The banded viewpoint's bands that no combination of marks can place a total in."""
    if rubric.bands is None:
        return ()
    vid = rubric.bands.viewpoint_id
    rng = next(r for r in viewpoint_ranges(rubric) if r.viewpoint_id == vid)
    totals = reachable_totals(rubric, vid)
    out = []
    for band, high in _bounds(rubric.bands.bands):
        if totals is not None:
            hit = any(t >= band.min_points and (high is None or t < high) for t in totals)
        else:
            hit = rng.highest >= band.min_points and (high is None or rng.lowest < high)
        if not hit:
            out.append(UnreachableBand(band.id, band.label, band.min_points, high, vid, rng.lowest, rng.highest))
    return tuple(out)
