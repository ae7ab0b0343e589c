"""The canonical-JSON check asks orjson first: its bytes must be exactly ``canonical_json``'s.

``parse_canonical`` accepts a document when orjson's sorted compact encoding equals the
bytes; that is only sound if, for every document ``json.loads`` can return, orjson writes the
same bytes as the definition (``json.dumps`` with sorted keys, no spaces, UTF-8) or refuses.
"""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer_app.core.bundle import container as c
from reviewer_app.core.errors import BundleFormatError


def fast(doc: object) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def test_every_code_point_is_escaped_or_written_as_the_definition_says() -> None:
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    assert fast(chars) == c.canonical_json(chars)
    assert fast({ch: ch for ch in chars}) == c.canonical_json({ch: ch for ch in chars})  # keys too, in code point order


def test_keys_sort_by_code_point_not_by_utf16() -> None:
    doc = {"\U00010000": 1, "\uffff": 2, "\ue000": 3, "a": 4, "": 5, "\x00": 6}
    assert fast(doc) == c.canonical_json(doc) == '{"":5,"\\u0000":6,"a":4,"\ue000":3,"\uffff":2,"\U00010000":1}'.encode()


@pytest.mark.parametrize("n", [0, 1, -1, 2**53, 2**63 - 1, -(2**63), 2**64 - 1])
def test_integers_are_written_alike(n: int) -> None:
    assert fast({"n": n}) == c.canonical_json({"n": n})


@pytest.mark.parametrize("doc", [{"n": 2**64}, {"n": -(2**63) - 1}, {"n": [1, {"m": 10**40}]}])
def test_integers_orjson_cannot_encode_are_left_to_the_definition(doc) -> None:
    with pytest.raises(orjson.JSONEncodeError):
        fast(doc)
    assert c._encodes_to(doc, c.canonical_json(doc))
    assert c.parse_canonical(c.canonical_json(doc), "x") == doc


def test_a_lone_surrogate_is_refused_by_both() -> None:
    with pytest.raises(orjson.JSONEncodeError):
        fast({"s": "\ud800"})
    with pytest.raises(BundleFormatError):
        c.parse_canonical(b'{"s":"\\ud800"}', "x")


def test_nesting_beyond_orjsons_limit_is_decided_by_the_definition() -> None:
    doc: dict = {}
    inner = doc
    for _ in range(300):
        inner["a"] = {}
        inner = inner["a"]
    data = c.canonical_json(doc)
    assert c.parse_canonical(data, "x") == doc
    with pytest.raises(BundleFormatError):
        c.parse_canonical(data.replace(b":", b": ", 1), "x")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_values, max_size=6))
def test_any_document_encodes_to_the_same_bytes(doc: dict) -> None:
    assert fast(doc) == c.canonical_json(doc)
    assert c.parse_canonical(c.canonical_json(doc), "x") == doc


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_values, min_size=1, max_size=6))
def test_other_byte_forms_of_a_document_are_refused(doc: dict) -> None:
    spaced = json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()  # ", " and ": "
    escaped = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    for other in {spaced, escaped} - {c.canonical_json(doc)}:
        with pytest.raises(BundleFormatError):
            c.parse_canonical(other, "x")


# The quick parse (orjson) must take exactly the canonical documents the careful one takes, or defer.

def careful(data: bytes) -> object:
    """What the definition decides: the document, or the refusal."""
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=c._refuse_number, parse_float=c._refuse_number)
    except (ValueError, RecursionError):
        return "refused"
    return doc if isinstance(doc, dict) and c.canonical_json(doc) == data else "refused"


def decided(data: bytes) -> object:
    try:
        return c.parse_canonical(data, "x")
    except BundleFormatError:
        return "refused"


number_like_text = st.from_regex(r"[:,\[\]{}\"0-9.eE+\- a-z]{0,16}", fullmatch=True)
with_floats = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=8) | number_like_text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=6) | number_like_text, with_floats, max_size=6))
def test_the_quick_parse_decides_as_the_definition_on_documents_with_fractions(doc: dict) -> None:
    # Written as the definition would, had it allowed floats: a float must be refused wherever it sits.
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert decided(data) == careful(data)
    quick = c._parse_quickly(data)
    assert quick is None or quick == careful(data)


@pytest.mark.parametrize("number", ["1.0", "1.5", "-0.0", "0.00001", "1e+16", "5e-324", "1.2345678901234568e+17", "1e5",
                                    "1E5", "1.0e5", "1e400", "-1e400", "-0", "01"])
@pytest.mark.parametrize("where", ['{"a":%s}', '{"a":[%s]}', '{"a":[1,%s,2]}', '{"a":{"b":%s},"c":1}',
                                   '{"t":"2026-01-01T09:00:00.123456+00:00","x":%s}'])
def test_a_number_other_than_an_integer_in_its_one_form_is_refused_wherever_it_sits(number: str, where: str) -> None:
    data = (where % number).encode()
    assert c._parse_quickly(data) is None
    with pytest.raises(BundleFormatError):
        c.parse_canonical(data, "x")


@pytest.mark.parametrize("text", ["2026-01-01T09:00:00.123456+00:00", "x:1.5,", "[1.5]", "1e+16", "12.5", "see p.3", ":0.5}"])
def test_texts_that_look_like_fractions_are_kept_as_texts(text: str) -> None:
    data = c.canonical_json({"a": text, "n": 3})
    assert c.parse_canonical(data, "x") == {"a": text, "n": 3}


def test_an_integer_beyond_64_bits_is_left_to_the_careful_parse_and_taken() -> None:
    data = b'{"a":[1,100000000000000000000,2]}'
    assert c._parse_quickly(data) is None  # orjson reads it as a float
    assert c.parse_canonical(data, "x") == {"a": [1, 10**20, 2]}
