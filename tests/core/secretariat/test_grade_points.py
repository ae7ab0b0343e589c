"""A round's grade points become part of the rubric the reviewers receive, and nothing else in it changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewer_app.core.errors import RubricError
from reviewer_app.core.scoring import Entry, score_proposal
from reviewer_app.core.secretariat.grade_points import apply_grade_points


def test_overrides_change_the_fractions_and_the_points(rubric):
    patched = apply_grade_points(rubric, {"abcd": {"b": Decimal(70), "d": Decimal("12.5")}}, "R1")
    marks = {m.code: m.fraction for m in patched.scales["abcd"].marks}
    assert marks["b"] == Decimal("0.7") and marks["d"] == Decimal("0.125")
    assert marks["a"] == rubric.scales["abcd"].mark("a").fraction
    assert patched.digest != rubric.digest
    item = next(i for i in rubric.items if rubric.scale_of(i).id == "abcd")
    result = score_proposal(patched, [Entry(item.id, "b", "x")])
    assert result.item(item.id).points == item.points * Decimal("0.7")


def test_every_text_of_the_criteria_stays_verbatim(rubric):
    patched = apply_grade_points(rubric, {"abcd": {"c": Decimal(40)}}, "R1")
    old, new = rubric.source_bytes.decode(), patched.source_bytes.decode()
    assert new.splitlines()[0].startswith("# reviewer-app: grade points set for round R1")
    assert [x for x in new.splitlines()[1:] if "fraction" not in x] == [x for x in old.splitlines() if "fraction" not in x]
    assert patched.items == rubric.items and patched.decision_tables == rubric.decision_tables


def test_no_override_is_the_rubric_itself(rubric):
    assert apply_grade_points(rubric, {}, "R1") is rubric


@pytest.mark.parametrize(("overrides", "code"), [
    ({"xyz": {"a": Decimal(1)}}, "rubric.override.unknown_scale"),
    ({"abcd": {"e": Decimal(1)}}, "rubric.override.unknown_mark"),
    ({"abcd": {"a": Decimal(101)}}, "rubric.override.out_of_range"),
    ({"abcd": {"a": Decimal("NaN")}}, "rubric.override.out_of_range"),
])
def test_bad_overrides_are_typed_errors(rubric, overrides, code):
    with pytest.raises(RubricError) as exc:
        apply_grade_points(rubric, overrides, "R1")
    assert exc.value.code == code


def test_a_worse_grade_worth_more_than_a_better_one_is_refused_by_the_rubric_rules(rubric):
    with pytest.raises(RubricError):
        apply_grade_points(rubric, {"abcd": {"c": Decimal(90)}}, "R1")
