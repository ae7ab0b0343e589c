"""The import's content check against the scoring engine, on thousands of generated results.

``check_record`` reads a rubric compiled once (points per mark, the engine's blocking findings
per combination) and checks a whole result at once, with a proposal-by-proposal path for
anything unusual. The reference below is the engine itself: every entry built as an
``Entry`` and scored by ``score_proposal``, the way the import checked before. For genuine,
unusual and hostile results alike, both must give the same checked result (points, totals,
bands, unjudgeable counts) or refuse with the same code and the same details.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest

from reviewer_app.core.bundle.model import EntryColumns, PayloadRecord, ProposalRecord
from reviewer_app.core.errors import ResultImportError
from reviewer_app.core.figures import MAX_FIGURE
from reviewer_app.core.rubric import Rubric
from reviewer_app.core.scoring import Entry, FindingCode, has_text, score_proposal
from reviewer_app.core.secretariat import payload_check
from reviewer_app.core.secretariat.payload_check import (
    CheckedEntry,
    CheckedProposal,
    CheckedResult,
    check_record,
    entry_points,
)

ASSIGNED = ("P1", "P2", "P3", "P4")
BLOCKING = {FindingCode.COMMENT_REQUIRED: "comment_required", FindingCode.UNJUDGEABLE_REASON_REQUIRED: "unjudgeable_reason",
            FindingCode.UNJUDGEABLE_GRADE_MISMATCH: "unjudgeable_grade", FindingCode.MISSING_GRADE: "missing_grade"}


def refuse(code: str, **params: object) -> ResultImportError:
    return ResultImportError(f"secretariat.import.payload.{code}", **params)


def engine_proposal(rp: ProposalRecord, rubric: Rubric) -> CheckedProposal:
    """One proposal checked entry by entry and scored by the engine (the reference)."""
    pid, coi, coi_reason, raw = rp
    if coi:
        if raw:
            raise refuse("coi_with_entries", proposal=pid)
        return CheckedProposal(pid, True, coi_reason, (), None, {}, None, 0)
    entries: dict[str, Entry] = {}
    for item_id, mark, figure, comment, unjudgeable, reason in raw:
        if not rubric.has_item(item_id):
            raise refuse("unknown_item", proposal=pid, item=item_id)
        if item_id in entries:
            raise refuse("duplicate_item", proposal=pid, item=item_id)
        scale = rubric.scale_of(rubric.item(item_id))
        if mark is None:
            raise refuse("missing_grade", proposal=pid, item=item_id)
        if scale.mark(mark) is None:
            raise refuse("unknown_mark", proposal=pid, item=item_id, mark=mark, allowed=", ".join(scale.codes))
        if figure is not None:
            if scale.kind != "level":
                raise refuse("figure_not_applicable", proposal=pid, item=item_id)
            if not figure.is_finite() or figure < 0 or figure > MAX_FIGURE:
                raise refuse("bad_figure", proposal=pid, item=item_id, value=str(figure)[:40])
        if unjudgeable:
            if mark != scale.unjudgeable_mark:
                raise refuse("unjudgeable_grade", proposal=pid, item=item_id, mark=mark, expected=scale.unjudgeable_mark)
            if not has_text(reason):
                raise refuse("unjudgeable_reason", proposal=pid, item=item_id)
        entries[item_id] = Entry(item_id, mark, comment, unjudgeable, reason, figure)
    missing = [item.id for item in rubric.items if item.id not in entries]
    if missing:
        raise refuse("missing_item", proposal=pid, item=missing[0])
    result = score_proposal(rubric, entries.values())
    for f in result.blocking:
        raise refuse(BLOCKING.get(f.code, "blocking_finding"), proposal=pid, item=f.item_id,
                     mark=entries[f.item_id].mark or "", finding=f.code.value)
    out = tuple(CheckedEntry(r.item_id, r.mark, entries[r.item_id].figure, r.points, entries[r.item_id].comment,
                             entries[r.item_id].unjudgeable, entries[r.item_id].unjudgeable_reason) for r in result.items)
    return CheckedProposal(pid, False, coi_reason, out, result.total, dict(result.viewpoint_totals), result.band_id,
                           sum(e.unjudgeable for e in out))


def engine_check(record: PayloadRecord, rubric: Rubric, assigned: Sequence[str]) -> CheckedResult:
    by_id: dict[str, ProposalRecord] = {}
    for rp in record.proposals:
        if rp[0] not in assigned:
            raise refuse("unknown_proposal", proposal=rp[0])
        if rp[0] in by_id:
            raise refuse("duplicate_proposal", proposal=rp[0])
        by_id[rp[0]] = rp
    checked = []
    for pid in assigned:
        if pid not in by_id:
            raise refuse("missing_proposal", proposal=pid)
        checked.append(engine_proposal(by_id[pid], rubric))
    return CheckedResult(record.bundle_id, record.round_id, record.reviewer_id, record.revision, record.created_at,
                         record.started_at, record.audit_digest, record.distribution_justification, tuple(checked))


COMMENTS = ("", " ", "\u3000\u3000", "\n", "所見：具体的である。", "a")
REASONS = ("", "\u3000", "記載がないため判断できない。")
FIGURES = (None, None, None, Decimal("412"), Decimal("0"), Decimal("340.50"), Decimal("-1"), Decimal("NaN"),
           Decimal("Infinity"), MAX_FIGURE, MAX_FIGURE + 1)


def genuine_entries(rng: random.Random, rubric: Rubric) -> list[tuple]:
    rows = []
    for item in rubric.items:
        scale = rubric.scale_of(item)
        mark = rng.choice(scale.codes)
        comment = rng.choice(COMMENTS[4:]) if mark in scale.comment_required else rng.choice(COMMENTS)
        figure = rng.choice((None, Decimal(rng.randrange(0, 900)), Decimal("412.5"))) if scale.kind == "level" else None
        if rng.random() < 0.05:
            rows.append((item.id, scale.unjudgeable_mark, figure, rng.choice(COMMENTS), True, REASONS[2]))
        else:
            rows.append((item.id, mark, figure, comment, False, ""))
    return rows


def mutate(rng: random.Random, rubric: Rubric, rows: list[tuple]) -> list[tuple]:
    """One to three random changes of the kinds a buggy or hostile client could sign."""
    rows = list(rows)
    for _ in range(rng.randint(1, 3)):
        if not rows:
            break
        n = rng.randrange(len(rows))
        item_id, mark, figure, comment, unjudgeable, reason = rows[n]
        kind = rng.randrange(10)
        if kind == 0:
            rng.shuffle(rows)
        elif kind == 1:
            rows[n] = (item_id, rng.choice(("e", None, "A", "0", "6", "a", "d", "5", "1")), figure, comment, unjudgeable, reason)
        elif kind == 2:
            rows[n] = (item_id, mark, figure, rng.choice(COMMENTS), unjudgeable, reason)
        elif kind == 3 and rubric.has_item(item_id):
            forced = rubric.scale_of(rubric.item(item_id)).unjudgeable_mark
            rows[n] = (item_id, rng.choice((forced, forced, mark)), figure, comment, True, rng.choice(REASONS))
        elif kind == 4:
            rows[n] = (item_id, mark, rng.choice(FIGURES), comment, unjudgeable, reason)
        elif kind == 5:
            rows.insert(rng.randrange(len(rows) + 1), rows[n])
        elif kind == 6:
            del rows[n]
        elif kind == 7:
            rows.insert(rng.randrange(len(rows) + 1), ("9-9", "a", None, "所見", False, ""))
        elif kind == 8:
            rows[n], rows[-1] = rows[-1], rows[n]
        else:
            rows[n] = (item_id, mark, figure, comment, unjudgeable, rng.choice(REASONS))
    return rows


def record_of(proposals: list[ProposalRecord]) -> PayloadRecord:
    return PayloadRecord("b" * 32, "R1", "rv", "c" * 64, 1, tuple(proposals), "", "0" * 64, "2009-06-20T01:00:00+00:00",
                         "2009-06-01T00:00:00+00:00")


def generated(seed: int, rubric: Rubric) -> PayloadRecord:
    rng = random.Random(seed)
    proposals: list[ProposalRecord] = []
    for pid in ASSIGNED:
        roll = rng.random()
        if roll < 0.1:
            proposals.append((pid, True, "親族が所属", ()))
            continue
        rows = genuine_entries(rng, rubric)
        if roll < 0.55:  # about half of the results carry something wrong or unusual
            rows = mutate(rng, rubric, rows)
        proposals.append((pid, roll < 0.12, "", tuple(rows)))  # a few declared conflicts still carry grades
    whole = rng.random()
    if whole < 0.04:
        proposals.pop(rng.randrange(len(proposals)))
    elif whole < 0.08:
        proposals.append(proposals[0])
    elif whole < 0.1:
        proposals.append(("P9", False, "", ()))
    elif whole < 0.3:
        rng.shuffle(proposals)
    return record_of(proposals)


def exact(value: object) -> object:
    """Every Decimal as its text: ``Decimal("50.0") == Decimal("50")``, but the store keeps the text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return tuple(exact(v) for v in value)
    if isinstance(value, Mapping):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, CheckedResult):
        return exact([getattr(value, f) for f in CheckedResult.__slots__])
    return value


def outcome(fn) -> object:
    try:
        return exact(fn())
    except ResultImportError as exc:
        return (exc.code, exc.params)


@pytest.mark.parametrize("block", range(8))
def test_the_check_gives_the_engines_answer_for_every_generated_result(rubric, block):
    refused: set[str] = set()
    passed = fast = in_order = 0
    for seed in range(block * 500, block * 500 + 500):
        record = generated(seed, rubric)
        want = outcome(lambda record=record: engine_check(record, rubric, ASSIGNED))
        got = outcome(lambda record=record: check_record(record, rubric, ASSIGNED, {}))
        assert got == want, f"seed {seed}"
        # The same with the entries' columns handed on by the decoder (used when proposals come in assigned order).
        columned = with_columns(record)
        assert outcome(lambda columned=columned: check_record(columned, rubric, ASSIGNED, {})) == want, f"seed {seed}, columns"
        in_order += tuple(rp[0] for rp in record.proposals) == tuple(ASSIGNED)
        if want[0] == "b" * 32:  # a checked result (bundle id first), not a refusal (code, params)
            passed += 1
            by_id = {rp[0]: rp for rp in record.proposals}
            fast += payload_check._fast_proposals([by_id[p] for p in ASSIGNED], payload_check._table(rubric), True) \
                is not None
            lean = outcome(lambda record=record: check_record(record, rubric, ASSIGNED, {}, entries=False))
            assert lean == (*want[:-1], tuple((*p[:3], (), *p[4:]) for p in want[-1]))
        else:
            refused.add(want[0].rsplit(".", 1)[-1])
    # The generator reaches both sides, both paths and most kinds of refusal in every block.
    assert passed > 60 and fast > 30 and in_order > 300 and len(refused) >= 8, (passed, fast, in_order, refused)


def with_columns(record: PayloadRecord) -> PayloadRecord:
    """``record`` as the decoder hands it on: its entries, proposal after proposal, also as columns."""
    entries = [e for rp in record.proposals for e in rp[3]]
    columns = EntryColumns(*zip(*entries, strict=True)) if entries else EntryColumns((), (), (), (), (), ())
    return dataclasses.replace(record, entry_columns=columns)


def test_points_per_entry_are_the_engines(rubric):
    points: Mapping[str, Mapping[str, Decimal]] = entry_points(rubric)
    for item in rubric.items:
        scale = rubric.scale_of(item)
        for mark in scale.codes:
            entry = Entry(item.id, mark, "所見")
            got = score_proposal(rubric, [entry]).item(item.id).points
            assert points[item.id][mark] == got
