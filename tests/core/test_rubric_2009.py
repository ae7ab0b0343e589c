"""The shipped 2009 rubric against its source document, seed 003 (審査基準, 2009-04-09).

The seed is kept in tests/fixtures so the comparison runs on any checkout. Text is
compared after removing white space and markdown markup, because the seed breaks some
sentences across lines; every character of every title, description, 観点 and note must
appear in the source exactly as transcribed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.core.rubric_oracle import SEED_CHECKS

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed_003_shinsa_kijun.txt"


def _norm(text: str) -> str:
    return re.sub(r"[\s*#]", "", text)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return _norm(SEED.read_text(encoding="utf-8"))


def test_fourteen_items_and_point_totals(rubric):
    assert len(rubric.items) == 14
    by_vp = {v.id: sum((i.points for i in rubric.items_of(v.id)), Decimal(0)) for v in rubric.viewpoints}
    assert by_vp == {"1": 270, "2": 230}
    assert rubric.total_points == 500
    assert [v.points for v in rubric.viewpoints] == [270, 230]


def test_item_points_scales_and_labels_match_the_criteria(rubric):
    expected = {
        "1-1": ("①", 50, "level5"), "1-2": ("②", 50, "level5"), "1-3": ("③", 30, "level5"),
        "1-4": ("④", 20, "abcd"), "1-5": ("⑤", 15, "level5"), "1-6": ("⑥", 15, "abcd"),
        "1-7": ("⑦", 50, "level5"), "1-8": ("⑧", 20, "abcd"), "1-9": ("⑨", 20, "abcd"),
        "2-1": ("①", 50, "abcd"), "2-2": ("②", 50, "abcd"), "2-3": ("③", 30, "abcd"),
        "2-4": ("④", 50, "abcd"), "2-5": ("⑤", 50, "abcd"),
    }
    got = {i.id: (i.label, int(i.points), i.scale_id) for i in rubric.items}
    assert got == expected


def test_group_points_of_viewpoint_1(rubric):
    groups = {g.id: int(g.points) for g in rubric.groups}
    assert groups["1a"] == 100 and groups["1b"] == 80 and groups["1c"] == 90
    assert groups["1b-a"] == 50 and groups["1b-b"] == 30
    assert {i.id for i in rubric.items_in_group("1b-a")} == {"1-3", "1-4"}
    assert {i.id for i in rubric.items_in_group("1b-b")} == {"1-5", "1-6"}


def test_perspective_counts_match_the_seed(rubric):
    counts = {i.id: len(i.perspectives) for i in rubric.items}
    assert counts == {
        "1-1": 0, "1-2": 0, "1-3": 0, "1-4": 2, "1-5": 0, "1-6": 0, "1-7": 0, "1-8": 2, "1-9": 3,
        "2-1": 4, "2-2": 6, "2-3": 8, "2-4": 3, "2-5": 7,
    }
    for item in rubric.items:
        circled = "①②③④⑤⑥⑦⑧"
        assert [p.label for p in item.perspectives] == [f"観点{c}" for c in circled[: len(item.perspectives)]]


def test_five_baselines(rubric):
    bases = {i.id: (int(i.basis.count), i.basis.unit, i.basis.document_ref) for i in rubric.items if i.basis}
    assert bases == {
        "1-1": (340, "件", "5-(1)"),
        "1-2": (130, "件", "5-(2)"),
        "1-3": (300, "人", "5-(3)"),
        "1-5": (50, "人", "5-(4)"),
        "1-7": (46, "人", "5-(5)"),
    }


def test_every_text_is_verbatim_from_the_seed(rubric, seed_text):
    texts: list[str] = [rubric.title, rubric.issuer, *rubric.guidance]
    for v in rubric.viewpoints:
        texts.append(v.title)
    for g in rubric.groups:
        texts.append(g.title)
    for item in rubric.items:
        texts += [item.title, *item.notes]
        texts += [p.label + p.text for p in item.perspectives]
        # A description is its paragraph followed by its (構想調書 …) reference; in the source
        # 2-⑤'s reference closes the paragraph after the description (after its note), so the
        # two parts are checked separately.
        paragraph, ref = item.description.rsplit("(構想調書", 1)
        texts += [paragraph, "(構想調書" + ref]
        if item.basis:
            texts.append(item.basis.counts)
    for table in rubric.decision_tables:
        texts += [o.label for o in table.options]
    missing = [t for t in texts if _norm(t) not in seed_text]
    assert missing == []


def test_item_headings_carry_their_points_in_the_seed(rubric, seed_text):
    for item in rubric.items:
        heading = _norm(f"審査項目{item.label}{item.title}({int(item.points)}点)")
        assert heading in seed_text, item.id


def test_notes_of_2_4_and_2_5(rubric):
    assert rubric.item("2-4").notes == (
        "※ 戦略的に重要であるが事務所の設置・運営に困難を生じやすい国・地域(中東・アフリカ・中南米等)において"
        "行われる構想については積極的に評価すること。",
    )
    assert "厳しい評価" in rubric.item("2-5").notes[0]


def test_2_5_perspectives_carry_the_checkable_numbers(rubric):
    text = " ".join(p.text for p in rubric.item("2-5").perspectives)
    for fragment in ("20%を目安に少なくとも10%", "1,000人以上", "2,600人以上", "10%程度を目安とし、最低でも5%"):
        assert fragment in text


def test_document_references(rubric):
    assert rubric.item("1-4").document_refs == ("1-(1)", "5-(3)")
    assert rubric.item("2-1").document_refs == ("2-(1)-①", "2-(1)-②", "4-(1)", "4-(2)", "4-(3)", "4-(4)", "6.")
    assert rubric.item("2-4").document_refs == ("2-(4)", "5-(7)")
    assert rubric.item("2-5").document_refs == ("2-(5)", "2-(6)-①", "3.")


def test_default_scales_are_the_stated_assumptions(rubric):
    abcd = rubric.scales["abcd"]
    assert [(m.code, m.fraction) for m in abcd.marks] == [
        ("a", Decimal("1.0")), ("b", Decimal("0.75")), ("c", Decimal("0.5")), ("d", Decimal("0.25"))
    ]
    assert [m.label for m in abcd.marks] == ["非常に優れている。", "優れている。", "妥当である。", "不十分である。"]
    assert abcd.comment_required == {"a", "d"} and abcd.unjudgeable_mark == "d"
    level = rubric.scales["level5"]
    assert [(m.code, m.min_ratio) for m in level.marks] == [
        ("5", Decimal("2.0")), ("4", Decimal("1.5")), ("3", Decimal("1.0")), ("2", Decimal("0.5")), ("1", Decimal("0.0"))
    ]
    assert level.unjudgeable_mark == "1"
    assert rubric.assumptions, "the open choices must be labelled as assumptions"


def test_bands_and_decision_tables(rubric):
    assert rubric.bands is not None and rubric.bands.viewpoint_id == "2"
    assert [(b.label, int(b.min_points), b.target_share) for b in rubric.bands.bands] == [
        ("190点以上", 190, None), ("190点未満140点以上", 140, None), ("140点未満90点以上", 90, None), ("90点未満", 0, None)
    ]
    assert [t.title for t in rubric.decision_tables] == ["表1", "表2", "表3", "表4"]
    assert [o.code for o in rubric.decision_table("table3").options] == ["○", "△", "×"]


def test_digest_is_of_the_file_bytes(rubric):
    import hashlib

    from reviewer_app.paths import resource_path

    raw = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_bytes()
    assert rubric.digest == hashlib.sha256(raw).hexdigest()
    assert rubric.source_bytes == raw


def test_every_description_ends_with_its_document_reference(rubric, seed_text):
    """Issue 10 point 6: 2-⑤ keeps its (構想調書 2-(5)、2-(6)-①、3. の項目を評価) like the other 13."""
    for item in rubric.items:
        assert item.description.endswith("の項目を評価)") or item.description.endswith("の項目を点数化)"), item.id
        ref = "(構想調書" + item.description.rsplit("(構想調書", 1)[1]
        assert _norm(ref) in seed_text, item.id
    assert rubric.item("2-5").description.endswith("(構想調書 2-(5)、2-(6)-①、3. の項目を評価)")


def test_every_numeric_perspective_declares_its_check(rubric):
    got = {c.figure: (c.item_id, c.perspective, c.level, c.target, c.unit, c.strict) for c in rubric.figure_checks}
    assert got == SEED_CHECKS
    assert all(c.compare == ">=" for c in rubric.figure_checks)
    for c in rubric.figure_checks:
        # Each check hangs off the 観点 whose text states its number.
        text = next(p.text for p in rubric.item(c.item_id).perspectives if p.label == c.perspective)
        assert f"{c.level:,}" in text or f"{c.level}" in text, c.figure
        assert c in rubric.item(c.item_id).checks
