"""The engine against an independent reading of the criteria, on random entry sets.

The oracle (``rubric_oracle``) reads the shipped TOML itself and computes with exact
fractions; nothing here calls the engine's helpers. Whatever the entries hold, the engine's
points, totals, band and suggestions must be the oracle's — in particular an unjudgeable
entry counts with the forced lowest grade, whatever mark it carries (or none).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reviewer_app.core.scoring import Entry, score_proposal
from tests.core.rubric_oracle import shipped_oracle

ORACLE = shipped_oracle()

# Figures around every threshold of every 5-level item, plus arbitrary ones.
_THRESHOLDS = sorted({r * i.basis for i in ORACLE.items if i.basis for r in i.min_ratios.values()})


def _near(t: Fraction) -> st.SearchStrategy[Decimal]:
    base = Decimal(t.numerator) / Decimal(t.denominator)
    return st.sampled_from([Decimal("-1e-20"), Decimal("-0.1"), Decimal(0), Decimal("1e-20"), Decimal("0.5")]).map(
        lambda d: max(Decimal(0), base + d))


FIGURES = st.one_of(
    st.none(),
    st.integers(0, 3000).map(Decimal),
    st.decimals(min_value=0, max_value=5000, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(_THRESHOLDS).flatmap(_near),
)
TEXTS = st.sampled_from(["", " ", "\u3000", "根拠。"])


@st.composite
def entry_sets(draw: st.DrawFn) -> list[Entry]:
    out = []
    for item in ORACLE.items:
        if draw(st.integers(0, 7)) == 0:
            continue
        mark = draw(st.none() | st.sampled_from(item.codes))
        figure = draw(FIGURES) if item.basis is not None else None
        out.append(Entry(item.id, mark, draw(TEXTS), draw(st.booleans()), draw(TEXTS), figure))
    return out


def _frac(d: Decimal | None) -> Fraction | None:
    return None if d is None else Fraction(d)


@given(entry_sets())
def test_every_item_score_total_band_and_suggestion_agree_with_the_criteria(rubric, entries):
    r = score_proposal(rubric, entries)
    by_id = {e.item_id: e for e in entries}
    totals = {v: Fraction(0) for v in {i.viewpoint for i in ORACLE.items}}
    graded = {v: True for v in totals}
    for item in ORACLE.items:
        e = by_id.get(item.id)
        got = r.item(item.id)
        want = ORACLE.points(item, e.mark, e.unjudgeable) if e else None
        assert _frac(got.points) == want, (item.id, e)
        assert got.mark == (ORACLE.effective(item, e.mark, e.unjudgeable) if e else None)
        assert got.unjudgeable == bool(e and e.unjudgeable)  # the flag stays visible as such
        if want is None:
            graded[item.viewpoint] = False
        else:
            totals[item.viewpoint] += want
        want_suggestion = ORACLE.suggest(item, Fraction(e.figure)) if e and e.figure is not None else None
        assert got.suggested_mark == want_suggestion, (item.id, e and e.figure)
    assert {k: Fraction(v) for k, v in r.viewpoint_totals.items()} == totals
    assert Fraction(r.total) == sum(totals.values())
    assert r.complete == all(graded.values())
    want_band = ORACLE.band(totals[ORACLE.banded]) if graded[ORACLE.banded] else None
    assert r.band_id == want_band


@given(entry_sets())
def test_total_is_the_sum_of_the_effective_grades_points(rubric, entries):
    """The property the issue names: total = Σ points of the effective (forced when unjudgeable) grade."""
    r = score_proposal(rubric, entries)
    expected = Fraction(0)
    for e in entries:
        item = ORACLE.item(e.item_id)
        code = item.lowest if e.unjudgeable else e.mark
        if code is not None:
            expected += item.points * item.fractions[code]
    assert Fraction(r.total) == expected
