"""Hostile or malformed rubric files: a typed RubricError at once, never a crash or a hang.

Every kind issue 10 (point 5) names: deep nesting, a 1,000-deep group chain, devices and
FIFOs, a BOM (accepted), non-integer versions, an unjudgeable grade that is not the
lowest, control characters, duplicate labels, the viewpoint/group conflict, top-level
errors naming the top level; and the 観点 figure checks' own mistakes.
"""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer_app.cli import main
from reviewer_app.core.errors import RubricError
from reviewer_app.core.rubric import load_rubric, load_rubric_bytes
from reviewer_app.core.rubric_load import MAX_GROUP_DEPTH
from reviewer_app.i18n import describe_error
from reviewer_app.paths import resource_path

SHIPPED = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_text(encoding="utf-8")


def refused(text: str | bytes) -> RubricError:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(RubricError) as info:
        load_rubric_bytes(data, "hostile.toml")
    message = describe_error(info.value)
    assert "hostile.toml" in message and "{" not in message, message
    return info.value


def swap(old: str, new: str, text: str = SHIPPED) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def minimal(groups: str, item_group: str, extra_item: str = "") -> str:
    """A small valid rubric with one viewpoint whose groups are given (each worth 10)."""
    return f'''
format = "reviewer-app-rubric"
format_version = 1
id = "t"
title = "t"
total_points = 10
[scales.abcd]
kind = "grade"
title = "g"
unjudgeable_mark = "d"
marks = [{{ code = "a", label = "a", fraction = 1 }}, {{ code = "d", label = "d", fraction = 0.25 }}]
[[viewpoints]]
id = "1"
label = "視点1"
title = "v"
points = 10
{groups}
[[items]]
id = "1-1"
group = "{item_group}"
label = "①"
title = "i"
points = 10
scale = "abcd"
{extra_item}
'''


def chain(n: int, reverse: bool = False) -> str:
    blocks = ['[[groups]]\nid = "g0"\nviewpoint = "1"\nlabel = "g0"\ntitle = "g"\npoints = 10\n']
    blocks += [f'[[groups]]\nid = "g{k}"\nparent = "g{k - 1}"\nlabel = "g{k}"\ntitle = "g"\npoints = 10\n'
               for k in range(1, n)]
    return "\n".join(reversed(blocks) if reverse else blocks)


# --- nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("nested", [
    "x = " + "[" * 5000 + "]" * 5000,
    "x = " + "{a = " * 3000 + "1" + "}" * 3000,
    "x = [" + "{a = [" * 1500 + "]}" * 1500 + "]",
])
def test_deeply_nested_toml_is_a_typed_error_not_a_recursion_error(nested):
    err = refused(nested + "\n" + SHIPPED)
    assert err.code == "rubric.too_deep" and err.params["where"] == "top level"


@pytest.mark.parametrize("reverse", [False, True], ids=["parents first", "children first"])
def test_a_thousand_deep_group_chain_is_refused(reverse):
    err = refused(minimal(chain(1000, reverse), "g999"))
    assert err.code == "rubric.too_deep" and err.params["where"].startswith("group g")


def test_group_chains_up_to_the_limit_load_and_show_in_order():
    r = load_rubric_bytes(minimal(chain(MAX_GROUP_DEPTH), f"g{MAX_GROUP_DEPTH - 1}").encode(), "ok.toml")
    from reviewer_app.core.rubric import iter_item_tree

    depths = [(d, getattr(n, "id", None)) for d, n in iter_item_tree(r)]
    assert depths[-1] == (MAX_GROUP_DEPTH + 1, "1-1")
    assert [d for d, _ in depths] == list(range(MAX_GROUP_DEPTH + 2))
    err = refused(minimal(chain(MAX_GROUP_DEPTH + 1), f"g{MAX_GROUP_DEPTH}"))
    assert err.code == "rubric.too_deep" and err.params["where"] == f"group g{MAX_GROUP_DEPTH}"


def test_a_thousand_long_group_cycle_is_reported_as_a_cycle():
    blocks = [f'[[groups]]\nid = "g{k}"\nparent = "g{(k + 1) % 1000}"\nlabel = "g"\ntitle = "g"\npoints = 10\n'
              for k in range(1000)]
    assert refused(minimal("\n".join(blocks), "g0")).code == "rubric.group_cycle"


def test_a_group_that_is_its_own_parent_is_a_cycle():
    groups = '[[groups]]\nid = "g0"\nparent = "g0"\nlabel = "g"\ntitle = "g"\npoints = 10\n'
    assert refused(minimal(groups, "g0")).code == "rubric.group_cycle"


# --- files that are not regular files -------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_before_reading():
    with pytest.raises(RubricError) as info:
        load_rubric("/dev/zero")
    assert info.value.code == "rubric.not_regular"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "rubric.toml"
    os.mkfifo(fifo)
    with pytest.raises(RubricError) as info:
        load_rubric(fifo)  # a blocking open would hang here: no writer ever comes
    assert info.value.code == "rubric.not_regular"


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(RubricError) as info:
        load_rubric(tmp_path)
    assert info.value.code == "rubric.not_regular"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_rubric_check_of_a_device_says_what_to_do(capsys):
    assert main(["rubric", "check", "/dev/zero"]) == 3
    err = capsys.readouterr().err
    assert "/dev/zero" in err and "通常のファイルではありません" in err and "Traceback" not in err


def test_a_file_larger_than_the_limit_is_refused(tmp_path):
    from reviewer_app.core.rubric import MAX_RUBRIC_BYTES

    big = tmp_path / "big.toml"
    big.write_bytes(SHIPPED.encode() + b"#" * MAX_RUBRIC_BYTES)
    with pytest.raises(RubricError) as info:
        load_rubric(big)
    assert info.value.code == "rubric.too_large"


# --- encoding and version -------------------------------------------------------------


def test_a_utf8_bom_is_accepted_and_the_digest_is_of_the_file_bytes(tmp_path):
    import hashlib

    data = codecs.BOM_UTF8 + SHIPPED.encode("utf-8")
    p = tmp_path / "bom.toml"
    p.write_bytes(data)
    r = load_rubric(p)
    assert len(r.items) == 14 and r.digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("value", ["1.0", "true", '"1"', "2", "0", "-1"])
def test_format_version_must_be_the_integer_1(value):
    err = refused(swap("format_version = 1", f"format_version = {value}"))
    assert err.code == "rubric.unsupported_version" and err.params["where"] == "top level"


def test_missing_format_version_names_the_top_level():
    err = refused(swap("format_version = 1\n", ""))
    assert err.code == "rubric.missing_field" and err.params["where"] == "top level"


@pytest.mark.parametrize("field", ['id = "kokusaika-kyoten-2009"\n', "total_points = 500\n"])
def test_top_level_errors_name_the_top_level(field):
    err = refused(swap(field, ""))
    assert err.params["where"] == "top level" and err.code == "rubric.missing_field"


# --- the scales -----------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "lowest"), [
    ('unjudgeable_mark = "d"', 'unjudgeable_mark = "c"', "d"),
    ('unjudgeable_mark = "d"', 'unjudgeable_mark = "a"', "d"),
    ('unjudgeable_mark = "1"', 'unjudgeable_mark = "2"', "1"),
])
def test_the_forced_unjudgeable_grade_must_be_the_lowest(old, new, lowest):
    err = refused(swap(old, new))
    assert err.code == "rubric.unjudgeable_not_lowest" and err.params["lowest"] == lowest


# --- texts ----------------------------------------------------------------------------

ITEM_TITLE = 'title = "構想の実施体制の強化"'
DESCRIPTION_START = 'description = "国際化拠点の実施体制の強化が'


@pytest.mark.parametrize("char", ["\\u0000", "\\u001b", "\\u0007", "\\u007f", "\\u0085", "\\u202e", "\\u2066",
                                  "\\u2028", "\\r", "\\t"])
def test_control_characters_in_a_title_are_refused(char):
    err = refused(swap(ITEM_TITLE, f'title = "構想の{char}実施体制の強化"'))
    assert err.code == "rubric.control_character" and err.params["field"] == "title"
    assert err.params["where"] == "item 2-3"


@pytest.mark.parametrize("char", ["\\u0000", "\\u001b", "\\u202e", "\\t"])
def test_control_characters_in_paragraphs_are_refused(char):
    err = refused(swap(DESCRIPTION_START, f'description = "国際化拠点の{char}実施体制の強化が'))
    assert err.code == "rubric.control_character" and err.params["field"] == "description"


def test_a_line_break_is_allowed_in_a_paragraph_but_not_in_a_label():
    r = load_rubric_bytes(swap(DESCRIPTION_START, 'description = "国際化拠点の\\n実施体制の強化が').encode(), "ok.toml")
    assert "\n" in r.item("2-3").description
    err = refused(swap('label = "③"\ntitle = "構想', 'label = "③\\n"\ntitle = "構想'))
    assert err.code == "rubric.control_character" and err.params["field"] == "label"


def test_control_characters_in_a_perspective_or_a_scale_id_are_refused():
    assert refused(swap("観点⑧", "観点\\u001b⑧")).code == "rubric.control_character"
    assert refused(swap("[scales.abcd]", '[scales."ab\\u0000cd"]')).code == "rubric.control_character"


# --- labels and references -------------------------------------------------------------


def test_duplicate_item_labels_in_one_viewpoint_are_refused():
    err = refused(swap('label = "③"\ntitle = "構想', 'label = "②"\ntitle = "構想'))
    assert err.code == "rubric.duplicate_label" and err.params["label"] == "②"
    assert err.params["where"] == "viewpoint 2"


def test_the_same_item_label_in_two_viewpoints_is_fine(rubric):
    assert rubric.display_label(rubric.item("1-1")) != rubric.display_label(rubric.item("2-1"))


def test_duplicate_perspective_labels_are_refused():
    err = refused(swap('{ label = "観点⑧", text = "4月', '{ label = "観点⑦", text = "4月'))
    assert err.code == "rubric.duplicate_label" and err.params["label"] == "観点⑦"
    assert err.params["where"] == "item 2-3"


def test_duplicate_viewpoint_labels_are_refused():
    err = refused(swap('label = "視点2"', 'label = "視点1"'))
    assert err.code == "rubric.duplicate_label"


def test_an_item_whose_viewpoint_contradicts_its_group_is_a_conflict():
    err = refused(swap('id = "2-3"\ngroup = "2c"', 'id = "2-3"\ngroup = "2c"\nviewpoint = "1"'))
    assert err.code == "rubric.viewpoint_group_conflict"
    assert (err.params["viewpoint"], err.params["group"], err.params["group_viewpoint"]) == ("1", "2c", "2")


def test_an_item_outside_groups_must_name_a_known_viewpoint():
    err = refused(swap('id = "2-3"\ngroup = "2c"', 'id = "2-3"\nviewpoint = "9"'))
    assert err.code == "rubric.unknown_reference" and err.params["value"] == "9"


# --- 観点 figure checks ----------------------------------------------------------------

CHECK = '''figure = "focus_countries"
title = "受入重点国の数"
compare = ">="
level = 2
'''


@pytest.mark.parametrize(("old", "new", "code"), [
    ('perspective = "観点①"\n' + CHECK, 'perspective = "観点⑨"\n' + CHECK, "rubric.unknown_reference"),
    ('figure = "focus_countries"', 'figure = "受入 国"', "rubric.bad_figure_name"),
    ('figure = "focus_countries"', 'figure = "office_countries"', "rubric.duplicate_id"),
    ('compare = ">="\nlevel = 2\nunit = "カ国"\n\n[[items]]\nid = "2-3"',
     'compare = "≥"\nlevel = 2\nunit = "カ国"\n\n[[items]]\nid = "2-3"', "rubric.unknown_comparison"),
    (CHECK, CHECK.replace("level = 2", "level = -2"), "rubric.figure_out_of_range"),
    (CHECK, CHECK.replace("level = 2", "level = 2\ntarget = 1"), "rubric.target_not_beyond_level"),
    (CHECK, CHECK.replace("level = 2", "level = 2\ntarget = 2"), "rubric.target_not_beyond_level"),
    (CHECK, CHECK.replace("level = 2", "level = 2\nstrict = 1"), "rubric.wrong_type"),
    (CHECK, CHECK.replace("level = 2", "level = 2\nminimum = 2"), "rubric.unknown_field"),
    (CHECK, CHECK.replace("level = 2\n", ""), "rubric.missing_field"),
    (CHECK, CHECK.replace("level = 2", 'level = "2"'), "rubric.wrong_type"),
])
def test_malformed_figure_checks(old, new, code):
    err = refused(swap(old, new))
    assert err.code == code


def test_an_at_most_check_needs_its_target_below_the_level():
    text = swap(CHECK, CHECK.replace('compare = ">="\nlevel = 2', 'compare = "<="\nlevel = 2\ntarget = 1'))
    r = load_rubric_bytes(text.encode(), "ok.toml")
    assert r.figure_check("focus_countries").compare == "<="
    err = refused(swap(CHECK, CHECK.replace('compare = ">="\nlevel = 2', 'compare = "<="\nlevel = 2\ntarget = 3')))
    assert err.code == "rubric.target_not_beyond_level"


# --- the malformed-file generator -------------------------------------------------------

_PIECES = ["[", "]", "{", "}", "=", '"', "\n", "[[items]]\n", "[[groups]]\n", "\\u0000", "1.0", "true", "-",
           "\u202e", "\ufeff", "x = 1\n", "[a.b.c.d.e]\n", 'parent = "2c"\n', 'viewpoint = "1"\n', "\x00", "\r"]


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(0, len(SHIPPED)), st.sampled_from(_PIECES) | st.text(max_size=8),
                          st.integers(0, 20)), min_size=1, max_size=6))
def test_random_edits_of_the_shipped_file_only_give_typed_errors(edits):
    text = SHIPPED
    for pos, piece, cut in edits:
        pos = min(pos, len(text))
        text = text[:pos] + piece + text[pos + cut:]
    try:
        load_rubric_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.toml")
    except RubricError as err:
        assert "{" not in describe_error(err)


def test_line_shuffles_and_duplications_only_give_typed_errors():
    rng = random.Random(10)
    lines = SHIPPED.splitlines(keepends=True)
    for _ in range(300):
        mutated = list(lines)
        for _ in range(rng.randint(1, 4)):
            i, j = rng.randrange(len(mutated)), rng.randrange(len(mutated))
            if rng.random() < 0.5:
                mutated[i], mutated[j] = mutated[j], mutated[i]
            else:
                mutated.insert(i, mutated[j])
        try:
            load_rubric_bytes("".join(mutated).encode(), "shuffled.toml")
        except RubricError:
            pass


def test_an_integer_with_thousands_of_digits_is_a_typed_error():
    err = refused(swap(ITEM_1_1_POINTS, ITEM_1_1_POINTS.replace("50", "5" + "0" * 5000)))
    assert err.code == "rubric.number_too_long"


ITEM_1_1_POINTS = 'title = "適切な学位授与の実績"\npoints = 50'


@pytest.mark.parametrize(("value", "code"), [
    ("1e308", "rubric.points_mismatch"),
    ("1e309", "rubric.wrong_type"),  # a TOML float beyond the double range is inf
    ("nan", "rubric.wrong_type"),
    ("-inf", "rubric.wrong_type"),
    ("0.0000000000000000000000000000001", "rubric.points_mismatch"),
    ("99999999999999999999999999999999999999999999", "rubric.points_mismatch"),
])
def test_extreme_numbers_are_typed_errors(value, code):
    err = refused(swap(ITEM_1_1_POINTS, ITEM_1_1_POINTS.replace("50", value)))
    assert err.code == code
    if code == "rubric.points_mismatch":
        assert err.params["where"] == "group 1a"


def test_an_extreme_band_minimum_is_a_typed_error():
    assert refused(swap("min = 140", "min = 1e308")).code == "rubric.non_monotonic_thresholds"
