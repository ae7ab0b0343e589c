"""Checking an authentic result's content against the round's rubric and the reviewer's assignment.

A validly signed result can still be wrong: a buggy or modified client, or anyone holding
the assignment passphrase, can sign anything. Import therefore applies the reviewer's own
export check (the scoring engine's blocking findings and the 視点2 distribution rule, the
same calls ``services/workspace/exporting.py`` makes) plus what a genuine export can never
contain: unknown or repeated items, marks off the scale, figures that are not finite
non-negative decimals, a conflicted proposal carrying grades, an assigned proposal missing,
a revision out of bounds, timestamps that do not parse. The first problem found is raised
as a ``ResultImportError`` naming the proposal and item, so the report says exactly why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import compress
from operator import gt
from typing import NamedTuple

from ..bundle.model import EntryColumns, PayloadRecord, ProposalRecord, ResultPayload
from ..distribution import distribution
from ..errors import ResultImportError
from ..rubric import Item, Rubric, Scale
from ..scoring import MAX_FIGURE, ZERO, FindingCode, blocking_codes, has_text, mark_points

#: A reviewer exports a new revision per change set; a million is far beyond any real round and
#: keeps a hostile first result from claiming the top of the range.
MAX_REVISION = 1_000_000


class CheckedEntry(NamedTuple):
    """One graded item with the engine's points (a tuple: the import builds 1.4 million of them)."""

    item_id: str
    mark: str
    figure: Decimal | None
    points: Decimal
    comment: str
    unjudgeable: bool
    reason: str


class CheckedProposal(NamedTuple):
    """One proposal of a checked result with the engine's totals (a tuple: the import makes 100,000 of them)."""

    proposal_id: str
    coi: bool
    coi_reason: str
    entries: tuple[CheckedEntry, ...]
    total: Decimal | None
    viewpoint_totals: Mapping[str, Decimal]
    band_id: str | None
    unjudgeable: int


@dataclass(frozen=True, slots=True)
class CheckedResult:
    """A result that passed every check, with the engine's points: what the store keeps."""

    bundle_id: str
    round_id: str
    reviewer_id: str
    revision: int
    created_at: str
    started_at: str
    audit_digest: str
    justification: str
    proposals: tuple[CheckedProposal, ...]


def _reject(code: str, **params: object) -> ResultImportError:
    return ResultImportError(f"secretariat.import.payload.{code}", **params)


def _timestamp(value: str, field: str, required: bool) -> None:
    if not value and not required:
        return
    try:
        dt.datetime.fromisoformat(value)
    except (ValueError, TypeError):
        raise _reject("bad_timestamp", field=field, value=value[:40]) from None


def check_payload(
    payload: ResultPayload,
    rubric: Rubric,
    assigned: Sequence[str],
    band_targets: Mapping[str, Decimal | None],
) -> CheckedResult:
    """Every check above, in order; returns the scored result or raises ``ResultImportError``."""
    return check_record(PayloadRecord.from_payload(payload), rubric, assigned, band_targets)


def check_record(
    payload: PayloadRecord,
    rubric: Rubric,
    assigned: Sequence[str],
    band_targets: Mapping[str, Decimal | None],
    *,
    entries: bool = True,
) -> CheckedResult:
    """``check_payload`` on the decoder's form (``result.record_from_json``): what the import calls.

    With ``entries=False`` the checked proposals carry no entries, only their totals: the
    import stores the signed payload itself, and reads the entries from it.
    """
    if not 1 <= payload.revision <= MAX_REVISION:
        raise _reject("bad_revision", revision=payload.revision, limit=MAX_REVISION)
    _timestamp(payload.created_at, "created_at", True)
    _timestamp(payload.started_at, "started_at", False)
    by_id: dict[str, ProposalRecord] = {}
    for rp in payload.proposals:
        if rp[0] not in assigned:
            raise _reject("unknown_proposal", proposal=rp[0])
        if rp[0] in by_id:
            raise _reject("duplicate_proposal", proposal=rp[0])
        by_id[rp[0]] = rp
    table = _table(rubric)
    records = [by_id.get(pid) for pid in assigned]
    # The decoder's columns are the entries in this order when the proposals came in the assignment's order.
    columns = payload.entry_columns if tuple(by_id) == tuple(assigned) else None
    checked = None if None in records else _fast_proposals(records, table, entries, columns)  # type: ignore[arg-type]
    if checked is None:  # something is wrong (or unusual): proposal by proposal, the first problem is named
        checked = []
        for pid in assigned:
            rp = by_id.get(pid)
            if rp is None:
                raise _reject("missing_proposal", proposal=pid)
            checked.append(_check_proposal(rp, table, entries))
    banded: list[Decimal] = []
    if rubric.bands is not None:
        banded = [cp.viewpoint_totals[rubric.bands.viewpoint_id] for cp in checked if cp.band_id is not None]
    if rubric.bands is not None and band_targets:
        dist = distribution(rubric, banded, band_targets)
        if not dist.within_targets and not has_text(payload.distribution_justification):
            raise _reject("justification_required", bands=", ".join(r.label for r in dist.over_target))
    return CheckedResult(payload.bundle_id, payload.round_id, payload.reviewer_id, payload.revision, payload.created_at,
                         payload.started_at, payload.audit_digest, payload.distribution_justification, tuple(checked))


class _ItemRule:
    """One item of the rubric as the check needs it, derived once per rubric from the engine's own data."""

    __slots__ = ("allowed", "blocking", "codes", "forced", "index", "item_id", "kind", "points", "scale", "viewpoint")

    def __init__(self, index: int, item: Item, scale: Scale) -> None:
        self.index = index
        self.item_id = item.id
        self.viewpoint = item.viewpoint_id
        self.scale = scale
        self.kind = scale.kind
        self.codes = frozenset(scale.codes)
        self.allowed = ", ".join(scale.codes)
        self.forced = scale.unjudgeable_mark
        # The engine's points for each mark (``score_proposal`` adds the same ``mark_points``).
        self.points: dict[str, Decimal] = {m.code: mark_points(item, m) for m in scale.marks}
        #: (mark, commented, unjudgeable, reason given) → the engine's blocking findings, filled as met.
        self.blocking: dict[tuple[str, bool, bool, bool], tuple[FindingCode, ...]] = {}

    def blocking_of(self, mark: str, commented: bool, unjudgeable: bool, reason_given: bool) -> tuple[FindingCode, ...]:
        key = (mark, commented, unjudgeable, reason_given)
        found = self.blocking.get(key)
        if found is None:
            found = self.blocking[key] = blocking_codes(self.scale, mark, commented, unjudgeable, reason_given)
        return found


class _Table:
    """A rubric compiled for the import: per item its rule, the viewpoints, the banded viewpoint.

    Beside the rules, the same facts as columns in rubric order, for ``_fast_proposals``:
    item ids, each item's points per mark, the marks whose blocking finding a comment lifts
    (``comment_marks``) or does not (``blocked_marks``), what an unjudgeable entry needs, and
    per viewpoint which items count towards it.
    """

    __slots__ = (
        "bands",
        "blocked_marks",
        "comment_marks",
        "forced",
        "ids",
        "levels",
        "masks",
        "order",
        "point_maps",
        "rules",
        "unjudgeable_blocks",
        "viewpoints",
    )

    def __init__(self, rubric: Rubric) -> None:
        self.order = tuple(_ItemRule(n, item, rubric.scale_of(item)) for n, item in enumerate(rubric.items))
        self.rules = {r.item_id: r for r in self.order}
        self.viewpoints = tuple(v.id for v in rubric.viewpoints)
        self.bands = rubric.bands
        self.ids = tuple(r.item_id for r in self.order)
        self.point_maps = tuple(r.points for r in self.order)
        self.levels = tuple(r.kind == "level" for r in self.order)
        self.forced = tuple(r.forced for r in self.order)
        # A judgeable entry is checked with (mark, comment has text, False, False), as ``_check_proposal`` does.
        self.comment_marks = tuple(frozenset(m for m in r.codes if r.blocking_of(m, False, False, False)
                                             and not r.blocking_of(m, True, False, False)) for r in self.order)
        self.blocked_marks = tuple(frozenset(m for m in r.codes if r.blocking_of(m, True, False, False))
                                   for r in self.order)
        # An unjudgeable entry (forced mark, reason given): (blocked without a comment, blocked with one).
        self.unjudgeable_blocks = tuple((bool(r.blocking_of(r.forced, False, True, True)),
                                         bool(r.blocking_of(r.forced, True, True, True))) for r in self.order)
        self.masks = tuple((v, tuple(r.viewpoint == v for r in self.order)) for v in self.viewpoints)


_TABLES: dict[str, _Table] = {}

_BLOCKING_CODES = {
    FindingCode.COMMENT_REQUIRED: "comment_required",
    FindingCode.UNJUDGEABLE_REASON_REQUIRED: "unjudgeable_reason",
    FindingCode.UNJUDGEABLE_GRADE_MISMATCH: "unjudgeable_grade",
    FindingCode.MISSING_GRADE: "missing_grade",
}


def _table(rubric: Rubric) -> _Table:
    """The compiled rubric, made once per rubric digest (the import checks 1.4 M entries against it)."""
    table = _TABLES.get(rubric.digest)
    if table is None:
        table = _TABLES[rubric.digest] = _Table(rubric)
    return table


def entry_points(rubric: Rubric) -> dict[str, dict[str, Decimal]]:
    """Item → mark → the engine's points for that mark: what the import stored in totals, per entry."""
    return {r.item_id: r.points for r in _table(rubric).order}


_NO_ENTRIES = EntryColumns((), (), (), (), (), ())
_checked_entry = partial(tuple.__new__, CheckedEntry)


def _fast_proposals(records: list[ProposalRecord], table: _Table, keep: bool,
                    columns: EntryColumns | None = None) -> list[CheckedProposal] | None:
    """``_check_proposal`` of each proposal when all pass every check with entries in rubric order; else None.

    Asked of all the entries of the result at once instead of entry by entry (the import
    checks 1.4 million entries in a large round). It returns only what ``_check_proposal``
    would return, and leaves everything else to it: entries in another order, anything it
    refuses. ``columns``, when given, are the entries of ``records`` in their order, one
    column per field (the decoder's ``EntryColumns``): they are used instead of taking the
    entries apart again. tests/core/secretariat/test_payload_check_engine.py holds the two
    paths and the engine together on generated and hostile entries.
    """
    if any(rp[3] for rp in records if rp[1]):
        return None  # a declared conflict carrying grades
    n = len(table.ids)
    if not n:
        return None
    if columns is None:
        rows = [e for rp in records if not rp[1] for e in rp[3]]
        columns = EntryColumns(*zip(*rows, strict=True)) if rows else _NO_ENTRIES
    item_ids, marks, figures, comments, flags, reasons = columns
    k = len(item_ids) // n
    if item_ids != table.ids * k or k != sum(1 for rp in records if not rp[1]):
        return None  # an item unknown, repeated or missing, or another order
    if not item_ids:
        return [CheckedProposal(rp[0], True, rp[2], (), None, {}, None, 0) for rp in records]
    point_maps = table.point_maps * k
    if False in map(dict.__contains__, point_maps, marks):  # (``None in points`` would compare Decimals with None)
        return None  # a mark missing or off the item's scale
    points = tuple(map(dict.__getitem__, point_maps, marks))
    if True in map(frozenset.__contains__, table.blocked_marks * k, marks):
        return None
    needed = tuple(map(frozenset.__contains__, table.comment_marks * k, marks))
    if True in needed:  # a comment is asked of a judgeable entry (an unjudgeable one is looked at below)
        asked = needed if True not in flags else tuple(map(gt, needed, flags))  # needed and not flagged
        if not all(map(has_text, compress(comments, asked))):
            return None
    if figures.count(None) != len(figures):
        for m, figure in enumerate(figures):
            if figure is not None and (not table.levels[m % n] or not figure.is_finite() or figure < 0
                                       or figure > MAX_FIGURE):
                return None
    if True in flags:
        for m, flag in enumerate(flags):
            if flag and (marks[m] != table.forced[m % n] or not has_text(reasons[m])
                         or table.unjudgeable_blocks[m % n][has_text(comments[m])]):
                return None
    out: list[CheckedProposal] = []
    start = 0
    band_viewpoint = None if table.bands is None else table.bands.viewpoint_id
    for pid, coi, coi_reason, _entries in records:
        if coi:
            out.append(CheckedProposal(pid, True, coi_reason, (), None, {}, None, 0))
            continue
        end = start + n
        own = points[start:end]
        # The engine's totals: per viewpoint, ZERO plus each item's points in rubric order.
        totals = {v: sum(compress(own, mask), ZERO) for v, mask in table.masks}
        band = None if table.bands is None else table.bands.place(totals[band_viewpoint]).id  # type: ignore[index]
        entries = tuple(map(_checked_entry, zip(item_ids[start:end], marks[start:end], figures[start:end], own,
                                                comments[start:end], flags[start:end], reasons[start:end], strict=True))) \
            if keep else ()
        out.append(CheckedProposal(pid, False, coi_reason, entries, sum(totals.values(), ZERO), totals, band,
                                   flags[start:end].count(True)))
        start = end
    return out


def _check_proposal(rp: ProposalRecord, table: _Table, keep: bool = True) -> CheckedProposal:
    """One proposal's entries: what ``score_proposal`` would compute and block on, from the compiled rubric.

    Exactly the engine's figures (tests/core/secretariat/test_payload_check_engine.py compares
    the two on random and hostile entries): points are the engine's products, taken from the
    table; totals add them per viewpoint in rubric order, as the engine does; the blocking
    findings are the engine's own (``blocking_codes``), asked once per combination; the band
    is the rubric's placement of the banded viewpoint's total (every item is graded here).
    """
    pid, coi, coi_reason, raw_entries = rp
    if coi:
        if raw_entries:
            raise _reject("coi_with_entries", proposal=pid)
        return CheckedProposal(pid, True, coi_reason, (), None, {}, None, 0)
    rules = table.rules
    #: Per rubric item: (rule, entry, comment has text, reason has text).
    slots: list[tuple[_ItemRule, CheckedEntry, bool, bool] | None] = [None] * len(table.order)
    for item_id, mark, figure, comment, unjudgeable, reason in raw_entries:
        rule = rules.get(item_id)
        if rule is None:
            raise _reject("unknown_item", proposal=pid, item=item_id)
        if slots[rule.index] is not None:
            raise _reject("duplicate_item", proposal=pid, item=item_id)
        if mark is None:
            raise _reject("missing_grade", proposal=pid, item=item_id)
        points = rule.points.get(mark)
        if points is None:
            raise _reject("unknown_mark", proposal=pid, item=item_id, mark=mark, allowed=rule.allowed)
        if figure is not None:
            if rule.kind != "level":
                raise _reject("figure_not_applicable", proposal=pid, item=item_id)
            if not figure.is_finite() or figure < 0 or figure > MAX_FIGURE:
                raise _reject("bad_figure", proposal=pid, item=item_id, value=str(figure)[:40])
        reason_given = False
        if unjudgeable:
            if mark != rule.forced:
                raise _reject("unjudgeable_grade", proposal=pid, item=item_id, mark=mark, expected=rule.forced)
            reason_given = has_text(reason)
            if not reason_given:
                raise _reject("unjudgeable_reason", proposal=pid, item=item_id)
        slots[rule.index] = (rule, CheckedEntry(item_id, mark, figure, points, comment, unjudgeable, reason),
                             has_text(comment), reason_given)
    totals = dict.fromkeys(table.viewpoints, ZERO)
    out: list[CheckedEntry] = []
    unjudged = 0
    for n, slot in enumerate(slots):
        if slot is None:
            raise _reject("missing_item", proposal=pid, item=table.order[n].item_id)
    for rule, e, commented, reason_given in slots:  # type: ignore[misc]  # every slot is filled (checked above)
        for code in rule.blocking_of(e.mark, commented, e.unjudgeable, reason_given):
            raise _reject(_BLOCKING_CODES.get(code, "blocking_finding"), proposal=pid, item=e.item_id, mark=e.mark,
                          finding=code.value)
        totals[rule.viewpoint] += e.points
        out.append(e)
        unjudged += e.unjudgeable
    band = None if table.bands is None else table.bands.place(totals[table.bands.viewpoint_id]).id
    return CheckedProposal(pid, False, coi_reason, tuple(out) if keep else (), sum(totals.values(), ZERO), totals, band, unjudged)
