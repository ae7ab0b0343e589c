"""A reviewer's 視点2 distribution over the bands, against the secretariat's target shares.

The criteria ask reviewers to keep their totals within target shares per band
(「〇〇%以内」, decided by the number of applications). A target share is read as an
upper bound: with ``n`` scored proposals, at most ``floor(share × n)`` may fall in the
band. The reviewer sees which bands are over and by how many proposals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import EntryError
from .rubric import Rubric


@dataclass(frozen=True)
class BandRow:
    band_id: str
    label: str
    count: int
    share: Decimal  # count ÷ n (0 when n is 0)
    target_share: Decimal | None
    allowed: int | None  # most proposals the target allows, None without a target
    over_by: int  # proposals above the allowance (0 when within target or no target)


@dataclass(frozen=True)
class Distribution:
    viewpoint_id: str
    n: int
    rows: tuple[BandRow, ...]

    @property
    def over_target(self) -> tuple[BandRow, ...]:
        return tuple(r for r in self.rows if r.over_by > 0)

    @property
    def within_targets(self) -> bool:
        return not self.over_target


def effective_targets(rubric: Rubric, round_targets: Mapping[str, Decimal | float | None] | None) -> dict[str, Decimal | None]:
    """The round's target shares where set, else the rubric's defaults (usually none)."""
    if rubric.bands is None:
        return {}
    out: dict[str, Decimal | None] = {b.id: b.target_share for b in rubric.bands.bands}
    for band_id, share in (round_targets or {}).items():
        if band_id not in out:
            raise EntryError("entry.unknown_band", band=band_id, known=", ".join(out))
        if share is None:
            out[band_id] = None
            continue
        if isinstance(share, bool) or not isinstance(share, (Decimal, int, float, str)):
            raise EntryError("entry.bad_share", band=band_id, value=str(share))
        try:
            d = Decimal(str(share))
        except InvalidOperation:
            raise EntryError("entry.bad_share", band=band_id, value=str(share)) from None
        if not d.is_finite() or not (0 <= d <= 1):  # NaN cannot even be compared
            raise EntryError("entry.bad_share", band=band_id, value=str(share))
        out[band_id] = d
    return out


def distribution(
    rubric: Rubric,
    totals: Iterable[Decimal],
    targets: Mapping[str, Decimal | float | None] | None = None,
) -> Distribution:
    """Place each complete proposal's banded-viewpoint total in its band and compare with targets."""
    if rubric.bands is None:
        raise EntryError("entry.no_bands")
    shares = effective_targets(rubric, targets)
    counts = {b.id: 0 for b in rubric.bands.bands}
    n = 0
    for t in totals:
        counts[rubric.bands.place(Decimal(t)).id] += 1
        n += 1
    rows = []
    for b in rubric.bands.bands:
        target = shares.get(b.id)
        allowed = math.floor(target * n) if target is not None else None
        over = max(0, counts[b.id] - allowed) if allowed is not None else 0
        share = Decimal(counts[b.id]) / n if n else Decimal(0)
        rows.append(BandRow(b.id, b.label, counts[b.id], share, target, allowed, over))
    return Distribution(rubric.bands.viewpoint_id, n, tuple(rows))
