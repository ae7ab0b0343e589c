"""Malformed rubric files give a typed RubricError naming the file, the place and the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer_app.core.errors import ReviewerAppError, RubricError
from reviewer_app.core.rubric import load_rubric, load_rubric_bytes
from reviewer_app.i18n import describe_error
from reviewer_app.paths import resource_path

SHIPPED = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_text(encoding="utf-8")


def _item_block(text: str, item_id: str) -> tuple[int, int]:
    start = text.index(f'id = "{item_id}"')
    start = text.rindex("[[items]]", 0, start)
    end = text.find("\n[[", start + 1)
    return start, end


def mutate_item(item_id: str, old: str, new: str) -> str:
    start, end = _item_block(SHIPPED, item_id)
    block = SHIPPED[start:end]
    assert old in block, (item_id, old)
    return SHIPPED[:start] + block.replace(old, new, 1) + SHIPPED[end:]


def load(text: str) -> RubricError:
    with pytest.raises(RubricError) as info:
        load_rubric_bytes(text.encode("utf-8"), "broken.toml")
    err = info.value
    assert err.params["file"] == "broken.toml"
    message = describe_error(err)
    assert "broken.toml" in message and "{" not in message
    return err


CASES = [
    # (name, mutated text, expected code, expected place)
    ("points do not add up", mutate_item("2-3", "points = 30", "points = 35"), "rubric.points_mismatch", "group 2c"),
    ("duplicate item id", mutate_item("1-2", 'id = "1-2"', 'id = "1-1"'), "rubric.duplicate_id", "1-1"),
    ("unknown scale", mutate_item("1-6", 'scale = "abcd"', 'scale = "abcde"'), "rubric.unknown_scale", "item 1-6"),
    (
        "non-monotonic thresholds",
        SHIPPED.replace('fraction = 0.6, min_ratio = 1.0', 'fraction = 0.6, min_ratio = 1.6'),
        "rubric.non_monotonic_thresholds",
        "scales.level5",
    ),
    ("level item without basis", mutate_item("1-7", "basis = {", "# basis = {"), "rubric.basis_required", "item 1-7"),
    ("basis on an a–d item", mutate_item("1-6", 'scale = "abcd"', 'scale = "abcd"\nbasis = { count = 3, counts = "x" }'),
     "rubric.basis_not_allowed", "item 1-6"),
    ("missing title", mutate_item("2-2", 'title = "留学生の受入計画と体制整備"', ""), "rubric.missing_field", "item 2-2"),
    ("wrong type", mutate_item("2-2", "points = 50", 'points = "50"'), "rubric.wrong_type", "item 2-2"),
    ("unknown field (typo)", mutate_item("2-4", "notes = [", "note = ["), "rubric.unknown_field", "item 2-4"),
    ("unknown group", mutate_item("1-9", 'group = "1c"', 'group = "1z"'), "rubric.unknown_reference", "item 1-9"),
    ("empty title", mutate_item("2-1", 'title = "英語による授業のみで学位を取得できるコースの設置"', 'title = "  "'),
     "rubric.empty_field", "item 2-1"),
    ("negative points", mutate_item("2-1", "points = 50", "points = -50"), "rubric.not_positive", "item 2-1"),
    ("fraction above 1", SHIPPED.replace('code = "b", label = "優れている。", fraction = 0.75', 'code = "b", label = "優れている。", fraction = 1.8'),
     "rubric.fraction_out_of_range", "scales.abcd.marks[1]"),
    ("comment rule names an unknown grade", SHIPPED.replace('comment_required = ["a", "d"]', 'comment_required = ["a", "e"]'),
     "rubric.unknown_mark", "scales.abcd"),
    ("unjudgeable grade not on the scale", SHIPPED.replace('unjudgeable_mark = "d"', 'unjudgeable_mark = "x"'),
     "rubric.unknown_mark", "scales.abcd"),
    ("viewpoint total wrong", SHIPPED.replace("points = 230", "points = 240", 1), "rubric.points_mismatch", "viewpoint 2"),
    ("declared total wrong", SHIPPED.replace("total_points = 500", "total_points = 510"), "rubric.points_mismatch", "total_points"),
    ("unknown format version", SHIPPED.replace("format_version = 1", "format_version = 9"), "rubric.unsupported_version", "top level"),
    ("not a rubric", SHIPPED.replace('format = "reviewer-app-rubric"', 'format = "something-else"'), "rubric.not_a_rubric", "top level"),
    ("TOML syntax error", SHIPPED.replace('title = "国際化拠点整備事業 審査基準"', 'title = "国際化拠点整備事業'), "rubric.syntax", "top level"),
    ("band thresholds out of order", SHIPPED.replace('min = 140 }', 'min = 195 }'), "rubric.non_monotonic_thresholds", "band 140-189"),
    ("band share above 100%", SHIPPED.replace('label = "190点以上", min = 190', 'label = "190点以上", min = 190, target_share = 1.5'),
     "rubric.fraction_out_of_range", "band 190+"),
    ("group cycle", SHIPPED.replace('id = "1b-a"\nparent = "1b"', 'id = "1b-a"\nparent = "1b-b"').replace(
        'id = "1b-b"\nparent = "1b"', 'id = "1b-b"\nparent = "1b-a"'), "rubric.group_cycle", None),
    ("better grade worth less", SHIPPED.replace('code = "c", label = "妥当である。", fraction = 0.5', 'code = "c", label = "妥当である。", fraction = 0.9'),
     "rubric.non_monotonic_fractions", "scales.abcd"),
]


@pytest.mark.parametrize(("name", "text", "code", "where"), CASES, ids=[c[0] for c in CASES])
def test_malformed_rubric(name, text, code, where):
    assert text != SHIPPED, "the mutation must change the file"
    err = load(text)
    assert err.code == code
    if where is not None:
        assert err.params["where"] == where


def test_not_utf8():
    err = load_rubric_err(b"\xff\xfe" + SHIPPED.encode("utf-16-le"))
    assert err.code == "rubric.encoding"


def load_rubric_err(data: bytes) -> RubricError:
    with pytest.raises(RubricError) as info:
        load_rubric_bytes(data, "broken.toml")
    return info.value


def test_too_large_is_refused_before_parsing():
    err = load_rubric_err(b"#" * (3 * 1024 * 1024))
    assert err.code == "rubric.too_large"


def test_missing_file(tmp_path: Path):
    with pytest.raises(RubricError) as info:
        load_rubric(tmp_path / "nope.toml")
    assert info.value.code == "rubric.not_found"


def test_a_table_where_an_array_is_expected():
    text = re.sub(r"^\[\[viewpoints\]\]", "[viewpoints_x]", SHIPPED, count=1, flags=re.M)
    err = load(text)
    assert err.code in {"rubric.unknown_field", "rubric.wrong_type"}


def test_arbitrary_garbage_never_escapes_as_a_bare_exception():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
    def check(data: bytes) -> None:
        try:
            load_rubric_bytes(data, "fuzz.toml")
        except ReviewerAppError:
            pass

    check()


def test_structural_mutations_of_the_shipped_file_only_raise_typed_errors():
    """Deleting any single line of the shipped rubric either still loads or gives a RubricError."""
    lines = SHIPPED.splitlines(keepends=True)
    outcomes = set()
    for n in range(len(lines)):
        text = "".join(lines[:n] + lines[n + 1:])
        try:
            load_rubric_bytes(text.encode(), "cut.toml")
            outcomes.add("ok")
        except RubricError as err:
            outcomes.add(err.code)
    assert {"rubric.missing_field", "rubric.syntax", "ok"} <= outcomes
