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
from types import MappingProxyType
from typing import NamedTuple

from ..bundle.model import PayloadRecord, ProposalRecord, ResultPayload
from ..distribution import distribution
from ..errors import ResultImportError
from ..rubric import Rubric
from ..scoring import MAX_FIGURE, Entry, FindingCode, has_text, score_proposal

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


@dataclass(frozen=True, slots=True)
class CheckedProposal:
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
) -> CheckedResult:
    """``check_payload`` on the decoder's form (``result.record_from_json``): what the import calls."""
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
    rules = _rules(rubric)
    checked: list[CheckedProposal] = []
    banded: list[Decimal] = []
    for pid in assigned:
        rp = by_id.get(pid)
        if rp is None:
            raise _reject("missing_proposal", proposal=pid)
        cp = _check_proposal(rp, rubric, rules)
        checked.append(cp)
        if cp.band_id is not None and rubric.bands is not None:
            banded.append(cp.viewpoint_totals[rubric.bands.viewpoint_id])
    if rubric.bands is not None and band_targets:
        dist = distribution(rubric, banded, band_targets)
        if not dist.within_targets and not has_text(payload.distribution_justification):
            raise _reject("justification_required", bands=", ".join(r.label for r in dist.over_target))
    return CheckedResult(payload.bundle_id, payload.round_id, payload.reviewer_id, payload.revision, payload.created_at,
                         payload.started_at, payload.audit_digest, payload.distribution_justification, tuple(checked))


@dataclass(frozen=True, slots=True)
class _ItemRule:
    kind: str
    codes: frozenset[str]
    allowed: str
    forced: str


_RULES: dict[str, dict[str, _ItemRule]] = {}
#: Passed as every entry's ``named_figures`` (a result carries none): spares the engine's default factory.
_NO_FIGURES: Mapping[str, Decimal] = MappingProxyType({})

_BLOCKING_CODES = {
    FindingCode.COMMENT_REQUIRED: "comment_required",
    FindingCode.UNJUDGEABLE_REASON_REQUIRED: "unjudgeable_reason",
    FindingCode.UNJUDGEABLE_GRADE_MISMATCH: "unjudgeable_grade",
    FindingCode.MISSING_GRADE: "missing_grade",
}


def _rules(rubric: Rubric) -> dict[str, _ItemRule]:
    """Per item: its scale's kind, marks and forced grade, looked up once per rubric (the import checks 1.4 M entries)."""
    rules = _RULES.get(rubric.digest)
    if rules is None:
        rules = {}
        for item in rubric.items:
            scale = rubric.scale_of(item)
            rules[item.id] = _ItemRule(scale.kind, frozenset(scale.codes), ", ".join(scale.codes), scale.unjudgeable_mark)
        _RULES[rubric.digest] = rules
    return rules


def _check_proposal(rp: ProposalRecord, rubric: Rubric, rules: dict[str, _ItemRule]) -> CheckedProposal:
    pid, coi, coi_reason, raw_entries = rp
    if coi:
        if raw_entries:
            raise _reject("coi_with_entries", proposal=pid)
        return CheckedProposal(pid, True, coi_reason, (), None, {}, None, 0)
    entries: dict[str, Entry] = {}
    for item_id, mark, figure, comment, unjudgeable, reason in raw_entries:
        rule = rules.get(item_id)
        if rule is None:
            raise _reject("unknown_item", proposal=pid, item=item_id)
        if item_id in entries:
            raise _reject("duplicate_item", proposal=pid, item=item_id)
        if mark is None:
            raise _reject("missing_grade", proposal=pid, item=item_id)
        if mark not in rule.codes:
            raise _reject("unknown_mark", proposal=pid, item=item_id, mark=mark, allowed=rule.allowed)
        if figure is not None:
            if rule.kind != "level":
                raise _reject("figure_not_applicable", proposal=pid, item=item_id)
            if not figure.is_finite() or figure < 0 or figure > MAX_FIGURE:
                raise _reject("bad_figure", proposal=pid, item=item_id, value=str(figure)[:40])
        if unjudgeable:
            if mark != rule.forced:
                raise _reject("unjudgeable_grade", proposal=pid, item=item_id, mark=mark, expected=rule.forced)
            if not has_text(reason):
                raise _reject("unjudgeable_reason", proposal=pid, item=item_id)
        entries[item_id] = Entry(item_id, mark, comment, unjudgeable, reason, figure, _NO_FIGURES)
    if len(entries) != len(rules):
        missing = next(item.id for item in rubric.items if item.id not in entries)
        raise _reject("missing_item", proposal=pid, item=missing)
    result = score_proposal(rubric, entries.values())
    for f in result.blocking:
        raise _reject(_BLOCKING_CODES.get(f.code, "blocking_finding"), proposal=pid, item=f.item_id,
                      mark=entries[f.item_id].mark or "", finding=f.code.value)
    if not result.complete:
        raise _reject("incomplete", proposal=pid)
    out = []
    unjudged = 0
    for ir in result.items:  # the engine reports items in rubric order
        e = entries[ir.item_id]
        assert ir.points is not None and ir.mark is not None
        out.append(CheckedEntry(ir.item_id, ir.mark, e.figure, ir.points, e.comment, e.unjudgeable, e.unjudgeable_reason))
        unjudged += e.unjudgeable
    return CheckedProposal(pid, False, coi_reason, tuple(out), result.total, dict(result.viewpoint_totals),
                           result.band_id, unjudged)
