"""The rules the software enforces (DOMAIN.md) through the scoring engine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer_app.core.errors import EntryError
from reviewer_app.core.scoring import (
    Entry,
    FindingCode,
    Severity,
    apply_unjudgeable,
    score_proposal,
    suggest_mark,
    to_figure,
)

ABCD = ["1-4", "1-6", "1-8", "1-9", "2-1", "2-2", "2-3", "2-4", "2-5"]
LEVEL = ["1-1", "1-2", "1-3", "1-5", "1-7"]


def full(mark_abcd: str = "b", level: str = "4", comment: str = "所見あり。") -> list[Entry]:
    return [Entry(i, mark_abcd, comment) for i in ABCD] + [Entry(i, level, comment) for i in LEVEL]


def codes(result, item_id: str | None = None) -> set[FindingCode]:
    return {f.code for f in result.findings if item_id is None or f.item_id == item_id}


def replace(entries: list[Entry], new: Entry) -> list[Entry]:
    return [new if e.item_id == new.item_id else e for e in entries]


# --- points and totals ---------------------------------------------------------------


def test_all_best_grades_give_500(rubric):
    r = score_proposal(rubric, full("a", "5"))
    assert r.total == 500 and r.viewpoint_totals == {"1": 270, "2": 230}
    assert r.complete and r.band_id == "190+"
    assert r.findings == ()


def test_default_fractions_put_all_a_b_c_d_each_in_its_own_band(rubric):
    # DOMAIN.md: with a/b/c/d = 100/75/50/25 % all-a lands in 190以上, all-b in 140–190,
    # all-c in 90–140 and all-d below 90 (視点2 items are worth 50/50/30/50/50 = 230).
    expected = {"a": (230, "190+"), "b": (Decimal("172.5"), "140-189"), "c": (115, "90-139"), "d": (Decimal("57.5"), "0-89")}
    for mark, (total, band) in expected.items():
        r = score_proposal(rubric, full(mark, "3"))
        assert (r.viewpoint_totals["2"], r.band_id) == (total, band), mark
    all_d = score_proposal(rubric, full("d", "1"))
    assert all_d.viewpoint_totals["1"] == Decimal("0.2") * 195 + Decimal("0.25") * 75  # level items 195, a–d items 75


def test_the_lowest_band_is_reachable_where_the_old_default_made_it_impossible(rubric):
    # With 100/80/60/40 the lowest 視点2 total was 92: 「90点未満」 could never happen.
    r = score_proposal(rubric, full("d", "1"))
    assert r.viewpoint_totals["2"] < 90 and r.band_id == "0-89"


def test_item_points(rubric):
    r = score_proposal(rubric, replace(full(), Entry("1-5", "3", "x")))
    assert r.item("1-5").points == 9 and r.item("1-5").max_points == 15
    assert r.item("2-3").points == Decimal("22.5")  # b = 75 % of 30


def test_band_edges(rubric):
    # 視点2 items 2-1..2-5 are worth 50/50/30/50/50.
    entries = full("a")
    r = score_proposal(rubric, entries)
    assert r.band_id == "190+"
    # exactly 190: 2-1 a 50 + 2-2 a 50 + 2-3 c 15 + 2-4 b 37.5 + 2-5 b 37.5
    entries = replace(entries, Entry("2-3", "c", "x"))
    entries = replace(entries, Entry("2-4", "b", "x"))
    entries = replace(entries, Entry("2-5", "b", "x"))
    r = score_proposal(rubric, entries)
    assert r.viewpoint_totals["2"] == 190 and r.band_id == "190+"
    entries = replace(entries, Entry("2-3", "d", "x"))  # 15 -> 7.5: 182.5
    r = score_proposal(rubric, entries)
    assert r.viewpoint_totals["2"] == Decimal("182.5") and r.band_id == "140-189"


def test_band_waits_until_viewpoint_is_complete(rubric):
    entries = [e for e in full() if e.item_id != "2-3"]
    r = score_proposal(rubric, entries)
    assert r.band_id is None and not r.complete
    entries = [e for e in full() if e.item_id != "1-3"]
    r = score_proposal(rubric, entries)
    assert r.band_id == "140-189" and not r.complete


# --- rule 2: a or d needs a comment ----------------------------------------------------


@pytest.mark.parametrize("mark", ["a", "d"])
@pytest.mark.parametrize("comment", ["", "   ", "\u3000\u3000", "\n\t"])
def test_a_or_d_without_comment_blocks(rubric, mark, comment):
    r = score_proposal(rubric, replace(full(), Entry("2-2", mark, comment)))
    (f,) = [f for f in r.findings if f.item_id == "2-2"]
    assert f.code is FindingCode.COMMENT_REQUIRED and f.severity is Severity.BLOCKING
    assert f.detail["mark"] == mark


@pytest.mark.parametrize("mark", ["a", "d"])
def test_a_or_d_with_comment_is_clean(rubric, mark):
    r = score_proposal(rubric, replace(full(), Entry("2-2", mark, "具体的な根拠。")))
    assert codes(r, "2-2") == set()


@pytest.mark.parametrize("mark", ["b", "c"])
def test_b_or_c_without_comment_is_only_a_reminder(rubric, mark):
    r = score_proposal(rubric, replace(full(), Entry("1-8", mark, "")))
    (f,) = [f for f in r.findings if f.item_id == "1-8"]
    assert f.code is FindingCode.COMMENT_RECOMMENDED and f.severity is Severity.REMINDER
    assert r.blocking == ()


def test_missing_grade_blocks(rubric):
    r = score_proposal(rubric, [e for e in full() if e.item_id != "1-9"] + [Entry("1-9", None, "途中")])
    assert codes(r, "1-9") == {FindingCode.MISSING_GRADE}
    assert r.blocking[0].severity is Severity.BLOCKING
    assert not r.complete
    r = score_proposal(rubric, [])
    assert len(r.blocking) == 14 and r.total == 0


# --- rule 3: unjudgeable entries -------------------------------------------------------


def test_unjudgeable_forces_d_and_needs_a_reason(rubric):
    e = apply_unjudgeable(rubric, Entry("2-4", "a", "良い"), True, "")
    assert e.mark == "d" and e.unjudgeable
    r = score_proposal(rubric, replace(full(), e))
    assert codes(r, "2-4") == {FindingCode.UNJUDGEABLE_REASON_REQUIRED}
    assert r.item("2-4").unjudgeable and r.item("2-4").points == Decimal("12.5")  # d = 25 % of 50
    e = apply_unjudgeable(rubric, e, True, "構想調書 2-(4) の記載が欠落しており判断できない。")
    r = score_proposal(rubric, replace(full(), e))
    assert codes(r, "2-4") == set()


def test_unjudgeable_level_item_gets_the_lowest_level(rubric):
    e = apply_unjudgeable(rubric, Entry("1-1", "5", "", figure=Decimal(900)), True, "数値が記載されていない。")
    assert e.mark == "1"
    r = score_proposal(rubric, replace(full(), e))
    assert r.item("1-1").points == 10 and codes(r, "1-1") == set()


def test_unjudgeable_with_another_grade_is_graded_d_and_the_contradiction_blocks(rubric):
    r = score_proposal(rubric, replace(full(), Entry("2-1", "b", "", True, "記載不備")))
    (f,) = [f for f in r.findings if f.item_id == "2-1"]
    assert f.code is FindingCode.UNJUDGEABLE_GRADE_MISMATCH and f.severity is Severity.BLOCKING
    assert f.detail["mark"] == "d"
    # The grade that counts is the forced one, for every consumer, while the flag stays visible.
    item = r.item("2-1")
    assert (item.mark, item.points, item.unjudgeable, item.entered_mark) == ("d", Decimal("12.5"), True, "b")


# Issue 10, point 1: the examples that scored the entered grade, or nothing, before.


def test_unjudgeable_entry_marked_a_scores_d_points_not_a(rubric):
    r = score_proposal(rubric, [Entry("2-2", "a", "", True, "記載不備")])
    item = r.item("2-2")
    assert item.mark == "d" and item.points == Decimal("12.5") and item.unjudgeable
    assert r.viewpoint_totals["2"] == Decimal("12.5") and r.total == Decimal("12.5")


def test_unjudgeable_entry_without_a_grade_is_graded_with_the_lowest_level(rubric):
    r = score_proposal(rubric, [Entry("1-7", None, "", True, "x")])
    item = r.item("1-7")
    assert item.mark == "1" and item.points == 10 and item.unjudgeable and item.entered_mark is None
    assert codes(r, "1-7") == set()  # graded (forced) with a reason: nothing to fix
    assert r.viewpoint_totals["1"] == 10


def test_forced_grade_counts_towards_completeness_and_the_band(rubric):
    entries = [e for e in full("a", "5") if e.item_id not in ("2-3", "1-1")]
    entries += [Entry("2-3", None, "", True, "記載なし"), Entry("1-1", None, "", True, "記載なし")]
    r = score_proposal(rubric, entries)
    assert r.complete and r.blocking == ()
    assert r.viewpoint_totals["2"] == 200 + Decimal("7.5") and r.band_id == "190+"


def test_clearing_unjudgeable_keeps_grade_and_drops_reason(rubric):
    e = apply_unjudgeable(rubric, Entry("2-1", "b", "c"), True, "理由")
    e = apply_unjudgeable(rubric, e, False)
    assert not e.unjudgeable and e.unjudgeable_reason == "" and e.mark == "d" and e.comment == "c"


# --- 5-level suggestions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "level"),
    [(680, "5"), (679, "4"), (510, "4"), (509, "3"), (340, "3"), (339, "2"), (170, "2"), (169, "1"), (0, "1"), (10_000, "5")],
)
def test_suggested_level_from_figure_over_basis_340(rubric, figure, level):
    assert suggest_mark(rubric, "1-1", figure) == level


def test_suggestion_uses_each_items_own_basis(rubric):
    assert suggest_mark(rubric, "1-7", 46) == "3"  # 46 foreign faculty = basis
    assert suggest_mark(rubric, "1-7", 92) == "5"
    assert suggest_mark(rubric, "1-5", "74.9") == "3" and suggest_mark(rubric, "1-5", "75") == "4"
    assert suggest_mark(rubric, "2-1", 100) is None
    assert suggest_mark(rubric, "1-1", None) is None


def test_level_differing_from_figure_is_a_reminder_unless_explained(rubric):
    e = Entry("1-2", "5", "", figure=Decimal(140))  # 140/130 → 3
    r = score_proposal(rubric, replace(full(), e))
    assert r.item("1-2").suggested_mark == "3"
    (f,) = [f for f in r.findings if f.item_id == "1-2"]
    assert f.code is FindingCode.LEVEL_DIFFERS_FROM_FIGURE and f.severity is Severity.REMINDER
    assert f.detail == {"mark": "5", "suggested": "3"}
    r = score_proposal(rubric, replace(full(), Entry("1-2", "5", "新規採択の伸びを考慮。", figure=Decimal(140))))
    assert codes(r, "1-2") == set()


def test_figures_typed_by_people(rubric):
    assert to_figure("1,234") == 1234 and to_figure(" 340.5 ") == Decimal("340.5") and to_figure("２") == 2
    for bad in ("abc", "-1", "", "NaN", "1e999999999"):
        with pytest.raises(EntryError):
            to_figure(bad)


@pytest.mark.parametrize(("figure", "level"), [
    ("509.99999999999999999", "3"),  # a float would round this to 510 and suggest 4
    ("510", "4"),
    ("679.9999999999999999999999999999999", "4"),  # below 2.0 × 340 by 1e-31: beyond 28-digit division
    ("680", "5"),
    ("169.99999999999999999999999999999", "1"),
])
def test_suggestion_compares_exactly_at_the_thresholds(rubric, figure, level):
    assert suggest_mark(rubric, "1-1", figure) == level
    r = score_proposal(rubric, [Entry("1-1", level, "x", figure=to_figure(figure))])
    assert r.item("1-1").suggested_mark == level


def test_two_entries_for_one_item_are_refused(rubric):
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("2-1", "a", "x"), Entry("2-1", "b", "y")])
    assert info.value.code == "entry.duplicate_item" and info.value.params["item"] == "2-1"


@pytest.mark.parametrize(("value", "code"), [
    (Decimal("NaN"), "entry.figure_not_finite"), (Decimal("-1"), "entry.figure_negative"),
    (Decimal("-0"), "entry.figure_negative"), (Decimal(10) ** 10, "entry.figure_too_large"),
])
def test_an_impossible_figure_in_an_entry_is_refused_by_the_engine(rubric, value, code):
    # Entries decoded elsewhere (a result bundle at import) meet the same rule as typed ones.
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("1-1", "3", "x", figure=value)])
    assert info.value.code == code


# --- entries that cannot be stored -----------------------------------------------------


def test_unknown_item_and_mark_are_typed_errors(rubric):
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("3-1", "a")])
    assert info.value.code == "entry.unknown_item"
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("2-1", "e")])
    assert info.value.code == "entry.unknown_mark" and info.value.params["allowed"] == "a, b, c, d"
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("1-1", "a")])  # a–d grade on a level item
    assert info.value.code == "entry.unknown_mark"
    with pytest.raises(EntryError) as info:
        score_proposal(rubric, [Entry("2-1", "a", "x", figure=Decimal(3))])
    assert info.value.code == "entry.figure_not_applicable"


# --- properties ------------------------------------------------------------------------

COMMENTS = st.sampled_from(["", " ", "\u3000", "根拠あり。", "x"])


@st.composite
def entry_sets(draw):
    out = []
    for item_id in ABCD + LEVEL:
        if draw(st.integers(0, 9)) == 0:
            continue  # item left out entirely
        marks = ["a", "b", "c", "d"] if item_id in ABCD else ["5", "4", "3", "2", "1"]
        mark = draw(st.none() | st.sampled_from(marks))
        figure = draw(st.none() | st.integers(0, 2000).map(Decimal)) if item_id in LEVEL else None
        out.append(
            Entry(item_id, mark, draw(COMMENTS), draw(st.booleans()), draw(COMMENTS), figure)
        )
    return out


def _nonblank(s: str) -> bool:
    return s.strip() != ""


def oracle_valid(entries: list[Entry]) -> bool:
    """The criteria, written out independently of the engine."""
    by = {e.item_id: e for e in entries}
    for item_id in ABCD + LEVEL:
        e = by.get(item_id)
        if e is None:
            return False
        forced = "d" if item_id in ABCD else "1"
        if e.unjudgeable:
            # The grade is forced; a different grade stored beside the flag must be resolved.
            if e.mark not in (None, forced) or not _nonblank(e.unjudgeable_reason):
                return False
        elif e.mark is None:
            return False
        elif e.mark in ("a", "d") and not _nonblank(e.comment):
            return False
    return True


def oracle_clean(rubric, entries: list[Entry]) -> bool:
    if not oracle_valid(entries):
        return False
    return all(e.unjudgeable or _nonblank(e.comment) for e in entries)


@given(entry_sets())
def test_total_is_always_between_0_and_500(rubric, entries):
    r = score_proposal(rubric, entries)
    assert 0 <= r.total <= 500
    assert r.total == sum(r.viewpoint_totals.values())
    assert all(0 <= (i.points or 0) <= i.max_points for i in r.items)


@given(entry_sets(), st.sampled_from(ABCD + LEVEL), COMMENTS)
def test_forcing_unjudgeable_always_yields_the_forced_grade(rubric, entries, item_id, reason):
    base = next((e for e in entries if e.item_id == item_id), Entry(item_id))
    forced = apply_unjudgeable(rubric, base, True, reason)
    assert forced.mark == ("d" if item_id in ABCD else "1")
    r = score_proposal(rubric, replace(entries, forced) if base in entries else [*entries, forced])
    assert FindingCode.UNJUDGEABLE_GRADE_MISMATCH not in codes(r, item_id)
    assert (FindingCode.UNJUDGEABLE_REASON_REQUIRED in codes(r, item_id)) == (not _nonblank(reason))


@given(entry_sets())
def test_no_blocking_findings_exactly_when_complete_and_valid(rubric, entries):
    r = score_proposal(rubric, entries)
    assert (r.blocking == ()) == oracle_valid(entries)
    if r.blocking == ():
        assert r.complete


@given(entry_sets())
def test_no_findings_at_all_exactly_when_valid_and_every_entry_commented(rubric, entries):
    r = score_proposal(rubric, entries)
    assert (r.findings == ()) == oracle_clean(rubric, entries)
