"""Aggregating a round: per proposal, per reviewer, a ranking, and who has not returned.

Pure functions over the per-review totals the import computed with the scoring engine.
Raw figures are exact decimals; standardized scores are floats shown beside them, never
instead of them. Methods (also in ``docs/secretariat.md``):

* A review *counts* when it is the reviewer's current result for a proposal currently
  assigned to them and is not a declared conflict of interest (accepted results are complete).
* Per proposal: mean, median, min–max and the **population** standard deviation (divide by n)
  of the counting totals; the same mean per viewpoint; how many counting reviews fall in each
  band of the banded viewpoint (視点2), every band listed (0 where none), highest band first.
* Standardized score of a review: ``50 + 10 × (total − m_r) / s_r`` where ``m_r`` and ``s_r``
  are the mean and population standard deviation of reviewer r's counting totals (a T-score,
  as KAKENHI-style panels read them). Undefined (—) for a reviewer with fewer than two
  counting reviews or no spread. A proposal's standardized mean averages the defined ones.
* Leniency of reviewer r: the mean over r's counting reviews of ``total − mean of the other
  reviewers' counting totals on the same proposal`` (proposals nobody else scored are skipped);
  positive means r scores higher than the co-reviewers.
* Ranking: competition ranking (1, 2, 2, 4) by mean total, highest first; the standardized
  ranking the same way by standardized mean; proposals without a counting review come last.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..distribution import Distribution, distribution
from ..rubric import Rubric

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """One reviewer's verdict on one proposal, as the current imported result states it."""

    reviewer_id: str
    proposal_id: str
    coi: bool
    total: Decimal | None
    viewpoint_totals: Mapping[str, Decimal]
    band_id: str | None
    unjudgeable: int
    revision: int = 0
    #: Filled in by :func:`aggregate`: the T-score beside the raw total (None when undefined).
    standardized: float | None = None

    @property
    def counts(self) -> bool:
        return not self.coi and self.total is not None


@dataclass(frozen=True)
class Stats:
    n: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    sd: Decimal | None

    @property
    def spread(self) -> Decimal | None:
        return None if self.minimum is None or self.maximum is None else self.maximum - self.minimum


@dataclass(frozen=True)
class ProposalSummary:
    proposal_id: str
    assigned: int
    returned: int  # reviews received (conflicts of interest included)
    coi: int
    total: Stats
    viewpoint_means: Mapping[str, Decimal | None]
    band_of_mean: str | None
    standardized_mean: float | None
    unjudgeable: int
    reviews: tuple[ReviewScore, ...]
    rank: int | None = None
    standardized_rank: int | None = None
    #: Band id → counting reviews whose banded-viewpoint total falls in it (rubric order; empty without bands).
    band_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewerSummary:
    reviewer_id: str
    assigned: int
    returned: bool
    revision: int | None
    counted: int
    coi: int
    total: Stats
    distribution: Distribution | None
    leniency: Decimal | None
    leniency_n: int


@dataclass(frozen=True)
class RoundAggregate:
    proposals: tuple[ProposalSummary, ...]  # in setup order
    reviewers: tuple[ReviewerSummary, ...]  # in setup order
    #: Proposals ordered by mean total (ties by id), each with both ranks.
    ranking: tuple[ProposalSummary, ...]
    #: Reviewers with at least one assignment and no current result.
    not_returned: tuple[str, ...]


def stats(values: Sequence[Decimal]) -> Stats:
    if not values:
        return Stats(0, None, None, None, None, None)
    n = len(values)
    mean = sum(values, ZERO) / n
    var = sum(((v - mean) ** 2 for v in values), ZERO) / n
    return Stats(n, mean, statistics.median(values), min(values), max(values), var.sqrt())


def _competition_ranks(keyed: list[tuple[str, object]]) -> dict[str, int]:
    """Ranks for (id, key) pairs already sorted best first; equal keys share a rank."""
    out: dict[str, int] = {}
    prev = None
    for n, (pid, key) in enumerate(keyed, 1):
        out[pid] = out[keyed[n - 2][0]] if n > 1 and key == prev else n
        prev = key
    return out


def aggregate(
    rubric: Rubric,
    proposal_ids: Sequence[str],
    reviewer_ids: Sequence[str],
    assignments: Iterable[tuple[str, str]],
    reviews: Iterable[ReviewScore],
    band_targets: Mapping[str, Decimal | None],
    revisions: Mapping[str, int],
) -> RoundAggregate:
    """Everything the aggregation view shows; ``revisions`` maps reviewer id → current revision (returned ones)."""
    assigned_by_p: dict[str, int] = {p: 0 for p in proposal_ids}
    assigned_by_r: dict[str, int] = {r: 0 for r in reviewer_ids}
    pairs = set()
    for r, p in assignments:
        pairs.add((r, p))
        assigned_by_p[p] = assigned_by_p.get(p, 0) + 1
        assigned_by_r[r] = assigned_by_r.get(r, 0) + 1
    current = [s for s in reviews if (s.reviewer_id, s.proposal_id) in pairs]
    by_r: dict[str, list[ReviewScore]] = {}
    for s in current:
        by_r.setdefault(s.reviewer_id, []).append(s)

    # Standardized scores per reviewer (T-scores over the reviewer's own counting totals).
    t_params: dict[str, tuple[Decimal, Decimal]] = {}
    for r, lst in by_r.items():
        totals = [s.total for s in lst if s.counts and s.total is not None]
        st = stats(totals)
        if st.n >= 2 and st.sd and st.mean is not None:
            t_params[r] = (st.mean, st.sd)
    scored: list[ReviewScore] = []
    for s in current:
        t = None
        if s.counts and s.reviewer_id in t_params and s.total is not None:
            m, sd = t_params[s.reviewer_id]
            t = 50.0 + 10.0 * float((s.total - m) / sd)
        scored.append(ReviewScore(s.reviewer_id, s.proposal_id, s.coi, s.total, s.viewpoint_totals, s.band_id,
                                  s.unjudgeable, s.revision, t))
    by_p: dict[str, list[ReviewScore]] = {p: [] for p in proposal_ids}
    for s in scored:
        by_p.setdefault(s.proposal_id, []).append(s)

    summaries: dict[str, ProposalSummary] = {}
    for pid in proposal_ids:
        lst = sorted(by_p.get(pid, []), key=lambda s: s.reviewer_id)
        counting = [s for s in lst if s.counts]
        totals = [s.total for s in counting if s.total is not None]
        vp_means: dict[str, Decimal | None] = {}
        for v in rubric.viewpoints:
            vals = [s.viewpoint_totals[v.id] for s in counting]
            vp_means[v.id] = sum(vals, ZERO) / len(vals) if vals else None
        band = None
        if rubric.bands is not None and vp_means.get(rubric.bands.viewpoint_id) is not None:
            band = rubric.bands.place(vp_means[rubric.bands.viewpoint_id] or ZERO).id
        ts = [s.standardized for s in counting if s.standardized is not None]
        summaries[pid] = ProposalSummary(
            pid, assigned_by_p.get(pid, 0), len(lst), sum(1 for s in lst if s.coi), stats(totals), vp_means, band,
            sum(ts) / len(ts) if ts else None, sum(s.unjudgeable for s in counting), tuple(lst),
            band_counts=_band_counts(rubric, counting))

    raw_order = sorted(summaries.values(), key=lambda x: (x.total.mean is None, -(x.total.mean or ZERO), x.proposal_id))
    raw_ranks = _competition_ranks([(x.proposal_id, x.total.mean) for x in raw_order if x.total.mean is not None])
    std_order = sorted(summaries.values(),
                       key=lambda x: (x.standardized_mean is None, -(x.standardized_mean or 0.0), x.proposal_id))
    std_ranks = _competition_ranks([(x.proposal_id, x.standardized_mean) for x in std_order
                                    if x.standardized_mean is not None])
    ranked = {pid: _with_ranks(s, raw_ranks.get(pid), std_ranks.get(pid)) for pid, s in summaries.items()}

    reviewers = []
    for rid in reviewer_ids:
        lst = by_r.get(rid, [])
        counting = [s for s in lst if s.counts]
        totals = [s.total for s in counting if s.total is not None]
        dist = None
        if rubric.bands is not None:
            banded = [s.viewpoint_totals[rubric.bands.viewpoint_id] for s in counting if s.band_id is not None]
            dist = distribution(rubric, banded, band_targets)
        offsets = []
        for s in counting:
            others = [o.total for o in by_p.get(s.proposal_id, []) if o.counts and o.reviewer_id != rid and o.total is not None]
            if others and s.total is not None:
                offsets.append(s.total - sum(others, ZERO) / len(others))
        reviewers.append(ReviewerSummary(
            rid, assigned_by_r.get(rid, 0), rid in revisions, revisions.get(rid), len(counting),
            sum(1 for s in lst if s.coi), stats(totals), dist,
            sum(offsets, ZERO) / len(offsets) if offsets else None, len(offsets)))
    not_returned = tuple(r.reviewer_id for r in reviewers if r.assigned and not r.returned)
    return RoundAggregate(
        tuple(ranked[p] for p in proposal_ids), tuple(reviewers),
        tuple(ranked[x.proposal_id] for x in raw_order), not_returned)


def _band_counts(rubric: Rubric, counting: Sequence[ReviewScore]) -> dict[str, int]:
    """Counting reviews per band of the banded viewpoint, every band present (highest first)."""
    if rubric.bands is None:
        return {}
    out = {b.id: 0 for b in rubric.bands.bands}
    for s in counting:
        if s.band_id in out:
            out[s.band_id] += 1
    return out


def _with_ranks(s: ProposalSummary, rank: int | None, std_rank: int | None) -> ProposalSummary:
    from dataclasses import replace

    return replace(s, rank=rank, standardized_rank=std_rank)
