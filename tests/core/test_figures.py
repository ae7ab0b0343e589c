"""Figures are read exactly and refused with the reason: issue 10, point 4."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewer_app.core.errors import EntryError
from reviewer_app.core.figures import MAX_FIGURE, JsonNumber, to_figure
from reviewer_app.i18n import describe_error


@pytest.mark.parametrize(("text", "value"), [
    ("340", Decimal(340)), ("1,234", Decimal(1234)), ("1,234,567.5", Decimal("1234567.5")),
    (" 340.5 ", Decimal("340.5")), ("0", Decimal(0)), ("0.000", Decimal(0)),
    ("509.99999999999999999", Decimal("509.99999999999999999")),
    ("１２３", Decimal(123)), ("１，２３４．５", Decimal("1234.5")), ("\u3000４６\u3000", Decimal(46)),
    ("1000000000", MAX_FIGURE),
])
def test_what_people_type(text, value):
    d = to_figure(text)
    assert d == value
    assert str(d) == str(value) or d == value  # exact, never through a float


def test_a_long_decimal_is_not_rounded():
    assert to_figure("509.99999999999999999") < 510
    assert to_figure(JsonNumber("509.99999999999999999")) < 510


@pytest.mark.parametrize(("value", "code"), [
    ("-1", "entry.figure_negative"), ("-0", "entry.figure_negative"), ("－３", "entry.figure_negative"),
    ("-0.0", "entry.figure_negative"), (Decimal("-0"), "entry.figure_negative"), (-5, "entry.figure_negative"),
    (-0.0, "entry.figure_negative"), (JsonNumber("-0"), "entry.figure_negative"),
    ("NaN", "entry.figure_not_finite"), ("inf", "entry.figure_not_finite"), ("-Infinity", "entry.figure_not_finite"),
    (Decimal("NaN"), "entry.figure_not_finite"), (float("inf"), "entry.figure_not_finite"),
    ("1000000000.1", "entry.figure_too_large"), (10**10, "entry.figure_too_large"),
    (JsonNumber("12345678901"), "entry.figure_too_large"),
    ("1e5", "entry.bad_figure"), (JsonNumber("1e5"), "entry.bad_figure"), (JsonNumber("1E+2"), "entry.bad_figure"),
    ("1_000", "entry.bad_figure"), ("+3", "entry.bad_figure"), ("", "entry.bad_figure"), ("abc", "entry.bad_figure"),
    ("1,23", "entry.bad_figure"), ("12,34,567", "entry.bad_figure"), (".5", "entry.bad_figure"),
    ("5.", "entry.bad_figure"), ("٣", "entry.bad_figure"), ("0x10", "entry.bad_figure"), ("1 000", "entry.bad_figure"),
    (True, "entry.bad_figure"), ([1], "entry.bad_figure"), ("9" * 100, "entry.bad_figure"),
])
def test_refusals_say_which_problem_it_is(value, code):
    with pytest.raises(EntryError) as info:
        to_figure(value)
    assert info.value.code == code
    message = describe_error(info.value)
    assert "{" not in message


def test_too_large_names_the_limit():
    with pytest.raises(EntryError) as info:
        to_figure("2000000000")
    assert info.value.params["limit"] == "1,000,000,000"
    assert "1,000,000,000" in describe_error(info.value) and "上限" in describe_error(info.value)


def test_negative_and_not_finite_messages_differ_from_not_a_number():
    msgs = set()
    for v in ("-1", "NaN", "abc", "2000000000"):
        with pytest.raises(EntryError) as info:
            to_figure(v)
        msgs.add(describe_error(info.value).replace(v, "…"))
    assert len(msgs) == 4
