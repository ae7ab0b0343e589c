"""The import's content check: a genuine export passes, each kind of wrong content is named."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from reviewer_app.core.bundle.model import ResultEntry, ResultPayload, ResultProposal
from reviewer_app.core.errors import ResultImportError
from reviewer_app.core.secretariat.payload_check import MAX_REVISION, check_payload

ASSIGNED = ("P1", "P2", "P3")


def genuine(rubric, mark_index: int = 1) -> ResultPayload:
    props = []
    for pid in ASSIGNED:
        entries = []
        for item in rubric.items:
            codes = rubric.scale_of(item).codes
            entries.append(ResultEntry(item.id, codes[mark_index], None, f"所見 {item.id}"))
        props.append(ResultProposal(pid, tuple(entries)))
    return ResultPayload("b" * 32, "R1", "rv", rubric.digest, 1, tuple(props), "", "ab" * 32,
                         "2009-06-20T01:00:00+00:00", "2009-06-01T00:00:00+00:00")


def with_entry(p: ResultPayload, pid: str, target: str, **changes) -> ResultPayload:
    props = []
    for rp in p.proposals:
        if rp.proposal_id == pid:
            rp = replace(rp, entries=tuple(replace(e, **changes) if e.item_id == target else e for e in rp.entries))
        props.append(rp)
    return replace(p, proposals=tuple(props))


def code_of(rubric, payload, targets=None) -> str:
    with pytest.raises(ResultImportError) as exc:
        check_payload(payload, rubric, ASSIGNED, targets or {})
    return exc.value.code.removeprefix("secretariat.import.payload.")


def test_a_genuine_result_passes_with_the_engines_points(rubric):
    checked = check_payload(genuine(rubric), rubric, ASSIGNED, {})
    assert [p.proposal_id for p in checked.proposals] == list(ASSIGNED)
    p = checked.proposals[0]
    assert len(p.entries) == len(rubric.items)
    assert p.total == sum((e.points for e in p.entries), Decimal(0))
    for e in p.entries:
        item = rubric.item(e.item_id)
        assert e.points == item.points * rubric.scale_of(item).mark(e.mark).fraction


def test_a_declared_conflict_needs_no_grades_but_may_not_carry_any(rubric):
    p = genuine(rubric)
    coi = replace(p, proposals=(replace(p.proposals[0], entries=(), conflict_of_interest=True, coi_reason="親族"),
                                *p.proposals[1:]))
    checked = check_payload(coi, rubric, ASSIGNED, {})
    assert checked.proposals[0].coi and checked.proposals[0].total is None
    bad = replace(p, proposals=(replace(p.proposals[0], conflict_of_interest=True), *p.proposals[1:]))
    assert code_of(rubric, bad) == "coi_with_entries"


@pytest.mark.parametrize("case", ["unknown_item", "unknown_mark", "missing_item", "duplicate_item", "bad_figure_nan",
                                  "bad_figure_negative", "figure_on_grade", "missing_grade", "comment_required",
                                  "unjudgeable_grade", "unjudgeable_reason", "missing_proposal", "unknown_proposal",
                                  "bad_revision", "bad_timestamp"])
def test_each_wrong_content_is_named(rubric, case):
    p = genuine(rubric)
    level = next(i.id for i in rubric.items if rubric.scale_of(i).kind == "level")
    grade = next(i.id for i in rubric.items if rubric.scale_of(i).kind == "grade")
    first = p.proposals[0]
    expected = case
    if case == "unknown_item":
        p = with_entry(p, "P1", grade, item_id="9-9")
    elif case == "unknown_mark":
        p = with_entry(p, "P1", grade, mark="e")
    elif case == "missing_item":
        p = replace(p, proposals=(replace(first, entries=first.entries[1:]), *p.proposals[1:]))
    elif case == "duplicate_item":
        p = replace(p, proposals=(replace(first, entries=(*first.entries, first.entries[0])), *p.proposals[1:]))
    elif case == "bad_figure_nan":
        p, expected = with_entry(p, "P1", level, figure=Decimal("NaN")), "bad_figure"
    elif case == "bad_figure_negative":
        p, expected = with_entry(p, "P1", level, figure=Decimal("-1")), "bad_figure"
    elif case == "figure_on_grade":
        p, expected = with_entry(p, "P1", grade, figure=Decimal("3")), "figure_not_applicable"
    elif case == "missing_grade":
        p = with_entry(p, "P1", grade, mark=None)
    elif case == "comment_required":
        p = with_entry(p, "P2", grade, mark="a", comment="　")
    elif case == "unjudgeable_grade":
        p = with_entry(p, "P1", grade, mark="a", unjudgeable=True, unjudgeable_reason="記載なし")
    elif case == "unjudgeable_reason":
        forced = rubric.scale_of(rubric.item(grade)).unjudgeable_mark
        p = with_entry(p, "P1", grade, mark=forced, unjudgeable=True, unjudgeable_reason=" ")
    elif case == "missing_proposal":
        p = replace(p, proposals=p.proposals[:2])
    elif case == "unknown_proposal":
        p = replace(p, proposals=(*p.proposals, replace(first, proposal_id="P9")))
    elif case == "bad_revision":
        p = replace(p, revision=MAX_REVISION + 1)
    elif case == "bad_timestamp":
        p = replace(p, created_at="yesterday")
    assert code_of(rubric, p) == expected


def test_an_unjudgeable_entry_with_its_forced_grade_and_reason_passes(rubric):
    grade = next(i for i in rubric.items if rubric.scale_of(i).kind == "grade")
    forced = rubric.scale_of(grade).unjudgeable_mark
    p = with_entry(genuine(rubric), "P1", grade.id, mark=forced, unjudgeable=True, unjudgeable_reason="記載の不備")
    checked = check_payload(p, rubric, ASSIGNED, {})
    e = next(e for e in checked.proposals[0].entries if e.item_id == grade.id)
    assert e.unjudgeable and e.mark == forced and checked.proposals[0].unjudgeable == 1


def test_a_distribution_off_target_needs_the_reviewers_justification(rubric):
    all_a = genuine(rubric, mark_index=0)  # every 視点2 total lands in the top band
    targets = {"190+": Decimal("0.1")}
    assert code_of(rubric, all_a, targets) == "justification_required"
    checked = check_payload(replace(all_a, distribution_justification="全件が極めて優れていたため"), rubric, ASSIGNED, targets)
    assert checked.justification
