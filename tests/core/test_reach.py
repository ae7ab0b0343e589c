"""Every 視点2 band reachable: the shipped default, and ``rubric check``'s warning otherwise."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer_app.cli import main
from reviewer_app.core.reach import reachable_totals, unreachable_bands, viewpoint_ranges
from reviewer_app.core.rubric import load_rubric_bytes
from reviewer_app.paths import resource_path
from tests.core.rubric_oracle import shipped_oracle

SHIPPED = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_text(encoding="utf-8")
OLD_FRACTIONS = SHIPPED.replace("fraction = 0.75 }", "fraction = 0.8 }").replace(
    "fraction = 0.5 }", "fraction = 0.6 }").replace("fraction = 0.25 }", "fraction = 0.4 }")


def test_for_the_shipped_rubric_every_band_has_a_reachable_grade_combination():
    """Enumerate every combination of 視点2 grades from the TOML data (an oracle independent of the app)."""
    o = shipped_oracle()
    items = [i for i in o.items if i.viewpoint == o.banded]
    witnesses: dict[str, tuple[str, ...]] = {}
    for combo in itertools.product(*(i.codes for i in items)):
        total = sum((i.points * i.fractions[c] for i, c in zip(items, combo)), Fraction(0))
        witnesses.setdefault(o.band(total), combo)
    assert set(witnesses) == {b for b, _ in o.bands}
    # The uniform combinations of DOMAIN.md land in the four bands in order.
    uniform = {c: o.band(sum((i.points * i.fractions[c] for i in items), Fraction(0))) for c in "abcd"}
    assert uniform == {"a": "190+", "b": "140-189", "c": "90-139", "d": "0-89"}


def test_the_engine_finds_no_unreachable_band_in_the_shipped_rubric(rubric):
    assert unreachable_bands(rubric) == ()
    ranges = {r.viewpoint_id: (r.lowest, r.highest) for r in viewpoint_ranges(rubric)}
    assert ranges["2"] == (Decimal("57.5"), 230)
    assert ranges["1"] == (Decimal("0.2") * 195 + Decimal("0.25") * 75, 270)


def test_the_old_default_leaves_the_lowest_band_unreachable_and_says_so():
    r = load_rubric_bytes(OLD_FRACTIONS.encode(), "old.toml")
    (u,) = unreachable_bands(r)
    assert (u.band_id, u.low, u.high, u.lowest, u.highest) == ("0-89", 0, 90, 92, 230)


def test_rubric_check_warns_with_the_numbers_but_accepts_the_file(tmp_path, capsys):
    p = tmp_path / "old.toml"
    p.write_text(OLD_FRACTIONS, encoding="utf-8")
    assert main(["rubric", "check", str(p)]) == 0
    out = capsys.readouterr()
    assert "有効な審査基準" in out.out and "視点2：取りうる合計は最低 92 点・最高 230 点" in out.out
    assert "警告" in out.err and "90点未満" in out.err and "92" in out.err and "230" in out.err
    assert main(["rubric", "check"]) == 0
    out = capsys.readouterr()
    assert "警告" not in out.err and "最低 57.5 点" in out.out


def test_a_band_in_a_gap_between_totals_is_found():
    # With b = c = d = 0 the 視点2 totals are the subset sums of 50/50/30/50/50:
    # 0, 30, 50, 80, 100, 130, 150, 180, 200, 230. A band 185–190 lies inside the range
    # (0–230) but in a gap: only the exact set of totals can tell.
    text = OLD_FRACTIONS.replace("fraction = 0.8 }", "fraction = 0 }").replace(
        "fraction = 0.6 }", "fraction = 0 }").replace("fraction = 0.4 }", "fraction = 0 }")
    text = text.replace("min = 140 }", "min = 185 }")
    r = load_rubric_bytes(text.encode(), "gap.toml")
    assert reachable_totals(r, "2") == {Decimal(t) for t in (0, 30, 50, 80, 100, 130, 150, 180, 200, 230)}
    (u,) = unreachable_bands(r)
    assert (u.band_id, u.low, u.high, u.lowest, u.highest) == ("140-189", 185, 190, 0, 230)


@settings(max_examples=60)
@example([Decimal("0.9"), Decimal("0.7"), Decimal("0.5")], [140, 1, 2])  # a new minimum equal to an old one
@given(
    st.lists(st.sampled_from([Decimal("0.9"), Decimal("0.7"), Decimal("0.5"), Decimal("0.3"), Decimal("0.1")]),
             min_size=3, max_size=3, unique=True),
    st.lists(st.integers(1, 229), min_size=3, max_size=3, unique=True),
)
def test_reachability_matches_brute_force_for_other_fractions_and_bands(fractions, mins):
    b, c, d = sorted(fractions, reverse=True)
    hi, mid, lo = sorted(mins, reverse=True)
    text = SHIPPED.replace("fraction = 0.75 }", "fraction = @B }").replace(
        "fraction = 0.5 }", "fraction = @C }").replace("fraction = 0.25 }", "fraction = @D }")
    text = text.replace("@B", str(b)).replace("@C", str(c)).replace("@D", str(d))
    # Placeholders first, so a new minimum equal to an old one is not replaced twice.
    text = text.replace("min = 190 }", "min = @HI }").replace("min = 140 }", "min = @MID }").replace(
        "min = 90 }", "min = @LO }")
    text = text.replace("@HI", str(hi)).replace("@MID", str(mid)).replace("@LO", str(lo))
    r = load_rubric_bytes(text.encode(), "random.toml")
    items = r.items_of("2")
    pts = [[i.points * m.fraction for m in r.scale_of(i).marks] for i in items]
    totals = {sum(combo, Decimal(0)) for combo in itertools.product(*pts)}
    assert reachable_totals(r, "2") == totals
    bounds = [(hi, None), (mid, hi), (lo, mid), (0, lo)]
    ids = [band.id for band in r.bands.bands]
    brute = {bid for bid, (low, high) in zip(ids, bounds)
             if not any(t >= low and (high is None or t < high) for t in totals)}
    assert {u.band_id for u in unreachable_bands(r)} == brute


def test_a_rubric_too_large_to_enumerate_falls_back_to_the_range(monkeypatch):
    import reviewer_app.core.reach as reach

    r = load_rubric_bytes(OLD_FRACTIONS.encode(), "old.toml")
    monkeypatch.setattr(reach, "MAX_REACH_WORK", 10)
    assert reachable_totals(r, "2") is None
    # The range alone still shows the lowest band out of reach (92 > 90).
    assert [u.band_id for u in unreachable_bands(r)] == ["0-89"]
