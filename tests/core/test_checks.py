"""The numeric 観点 checks: each at, just below and just above its level (最低) and its 目安.

A check only reminds. The figures can come from the proposal's metadata (the
secretariat's reading) or the reviewer's entry (which wins); either way the grade, the
points and what blocks the export stay exactly as without the figure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewer_app.core.checks import CheckStatus, FigureSource
from reviewer_app.core.errors import EntryError
from reviewer_app.core.scoring import Entry, FindingCode, Severity, score_proposal
from reviewer_app.services.rubrics import finding_message
from tests.core.rubric_oracle import SEED_CHECKS

EPS = Decimal("0.001")
CHECK_CODES = {FindingCode.FIGURE_BELOW_LEVEL, FindingCode.FIGURE_BELOW_LEVEL_STRICT, FindingCode.FIGURE_BELOW_TARGET}


def graded(mark: str = "b") -> list[Entry]:
    abcd = ["1-4", "1-6", "1-8", "1-9", "2-1", "2-2", "2-3", "2-4", "2-5"]
    return [Entry(i, mark, "所見") for i in abcd] + [Entry(i, "3", "所見") for i in ["1-1", "1-2", "1-3", "1-5", "1-7"]]


def with_figure(entries: list[Entry], item_id: str, name: str, value: Decimal) -> list[Entry]:
    return [Entry(e.item_id, e.mark, e.comment, named_figures={name: value}) if e.item_id == item_id else e
            for e in entries]


def check_codes(result, item_id: str) -> list[FindingCode]:
    return [f.code for f in result.findings if f.item_id == item_id and f.code in CHECK_CODES]


def _cases():
    for name, (item_id, _p, level, target, _unit, strict) in SEED_CHECKS.items():
        below = FindingCode.FIGURE_BELOW_LEVEL_STRICT if strict else FindingCode.FIGURE_BELOW_LEVEL
        lv = Decimal(level)
        between = [FindingCode.FIGURE_BELOW_TARGET] if target is not None else []
        yield name, item_id, lv - 1, [below]
        yield name, item_id, lv - EPS, [below]
        yield name, item_id, lv, between
        yield name, item_id, lv + EPS, between
        if target is not None:
            t = Decimal(target)
            yield name, item_id, t - EPS, [FindingCode.FIGURE_BELOW_TARGET]
            yield name, item_id, t, []
            yield name, item_id, t + EPS, []
        else:
            yield name, item_id, lv + 1, []


CASES = list(_cases())


@pytest.mark.parametrize(("name", "item_id", "value", "expected"), CASES,
                         ids=[f"{c[0]}={c[2]}" for c in CASES])
def test_each_check_around_its_level_and_guide(rubric, name, item_id, value, expected):
    base = score_proposal(rubric, graded())
    r = score_proposal(rubric, with_figure(graded(), item_id, name, value))
    assert check_codes(r, item_id) == expected
    # Only a reminder: same grade, same points, same band, nothing new blocks.
    assert r.total == base.total and r.band_id == base.band_id and r.blocking == base.blocking == ()
    assert all(f.severity is Severity.REMINDER for f in r.findings if f.code in CHECK_CODES)
    (check,) = [c for c in r.item(item_id).checks if c.check.figure == name]
    assert check.value == value and check.source is FigureSource.ENTRY


def test_the_2_5_reminder_says_strict_assessment_with_the_figures(rubric):
    r = score_proposal(rubric, with_figure(graded(), "2-5", "intl_student_ratio_2020", Decimal("8")))
    (f,) = [f for f in r.findings if f.code is FindingCode.FIGURE_BELOW_LEVEL_STRICT]
    text = finding_message(rubric, f)
    assert "観点②の水準（最低10%）に達しない計画：厳しい評価を行うこととされています" in text
    assert "8%" in text and "留学生比率" in text
    assert f.detail["value"] == "8" and f.detail["level"] == "10" and f.detail["target"] == "20"


def test_below_the_guide_says_the_guide_and_that_the_level_is_met(rubric):
    r = score_proposal(rubric, with_figure(graded(), "2-5", "foreign_faculty_ratio_2020", Decimal("7.5")))
    (f,) = [f for f in r.findings if f.code is FindingCode.FIGURE_BELOW_TARGET]
    text = finding_message(rubric, f)
    assert "観点③" in text and "10%" in text and "7.5%" in text and "最低5%" in text


def test_a_record_below_the_level_is_a_plain_reminder_for_1_4(rubric, monkeypatch):
    r = score_proposal(rubric, with_figure(graded(), "1-4", "accepted_countries", Decimal(3)))
    (f,) = [f for f in r.findings if f.code is FindingCode.FIGURE_BELOW_LEVEL]
    text = finding_message(rubric, f)
    assert "観点①" in text and "最低5カ国" in text and "3カ国" in text and "厳しい評価" not in text
    from reviewer_app import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    assert "at least 5カ国" in finding_message(rubric, f)


def test_figures_from_the_proposal_metadata_count_and_the_reviewer_s_reading_wins(rubric):
    meta = {"intl_students_2020": Decimal(2000), "office_countries": Decimal(3)}
    r = score_proposal(rubric, graded(), meta)
    assert check_codes(r, "2-5") == [FindingCode.FIGURE_BELOW_LEVEL_STRICT]
    (c,) = [c for c in r.item("2-5").checks if c.check.figure == "intl_students_2020"]
    assert c.source is FigureSource.PROPOSAL and c.value == 2000
    r = score_proposal(rubric, with_figure(graded(), "2-5", "intl_students_2020", Decimal(2600)), meta)
    assert check_codes(r, "2-5") == []
    (c,) = [c for c in r.item("2-5").checks if c.check.figure == "intl_students_2020"]
    assert c.source is FigureSource.ENTRY and c.status is CheckStatus.MET


def test_no_figure_means_no_reminder_and_an_unknown_status(rubric):
    r = score_proposal(rubric, graded())
    assert not [f for f in r.findings if f.code in CHECK_CODES]
    assert {c.status for i in r.items for c in i.checks} == {CheckStatus.UNKNOWN}
    assert sum(len(i.checks) for i in r.items) == len(SEED_CHECKS)


def test_a_check_reminds_even_before_the_item_is_graded(rubric):
    r = score_proposal(rubric, [Entry("2-2", None, "", named_figures={"focus_countries": Decimal(1)})])
    assert FindingCode.FIGURE_BELOW_LEVEL in check_codes(r, "2-2")
    assert r.item("2-2").points is None


@pytest.mark.parametrize(("entry", "code"), [
    (Entry("2-2", "b", "x", named_figures={"no_such_figure": Decimal(1)}), "entry.unknown_figure"),
    (Entry("2-2", "b", "x", named_figures={"intl_students_2020": Decimal(1)}), "entry.figure_of_other_item"),
    (Entry("2-2", "b", "x", named_figures={"focus_countries": Decimal(-1)}), "entry.figure_negative"),
    (Entry("2-2", "b", "x", named_figures={"focus_countries": Decimal("Infinity")}), "entry.figure_not_finite"),
])
def test_impossible_named_figures_are_refused(rubric, entry, code):
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [entry])
    assert info.value.code == code


def test_impossible_metadata_figures_are_refused(rubric):
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [], {"nope": Decimal(1)})
    assert info.value.code == "entry.unknown_figure"
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [], {"focus_countries": Decimal("NaN")})
    assert info.value.code == "entry.figure_not_finite"
