"""A fraction anywhere in a result's manifest is refused as check 6 of the spec, whatever else is wrong.

The result reader skips check 6's scan for fractions because every value of the manifest has its
type checked afterwards, and reads the manifest again with every rule when anything fails. These
tests put a number with a fraction or an exponent in place of every value of a genuine,
validly signed result (and beside every list's items), and check that each is refused with
``bundle.format.malformed`` for ``manifest``, as the careful reading alone would refuse it.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from reviewer_app.core.bundle import container as c
from reviewer_app.core.bundle import envelope
from reviewer_app.core.bundle.model import ResultEntry, ResultPayload, ResultProposal, VerifyOutcome
from reviewer_app.core.bundle.result import verify_result_bytes
from tests.core.bundle.test_result_decoding import KEYS, STAMP, OneBundle, sealed

PAYLOAD = ResultPayload(
    "ab" * 16, "R1", "rv", "cd" * 32, 3,
    (ResultProposal("P1", (ResultEntry("1-1", "a", None, "所見", False, ""),
                           ResultEntry("1-2", "d", Decimal("12.5"), "", True, "判断できない"))),
     ResultProposal("P2", (), True, "親族")),
    "理由", "0" * 64, STAMP, STAMP)


def paths(value: Any, at: tuple = ()) -> list[tuple]:
    """Every place of the document that holds a value, as a path of keys and indexes (the root excluded)."""
    out = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append((*at, key))
        out.extend(paths(child, (*at, key)))
    return out


def lists(value: Any, at: tuple = ()) -> list[tuple]:
    found = [at] if isinstance(value, list) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        found.extend(lists(child, (*at, key)))
    return found


def at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def captured(edit) -> tuple[dict[str, Any], bytes]:
    """A genuine result bundle whose manifest went through ``edit`` just before it was encoded and signed."""
    seen: dict[str, Any] = {}
    real = c.canonical_json

    def encode(doc: Any) -> bytes:
        if isinstance(doc, dict) and "payload" in doc and "reviewer_key" in doc:
            doc = edit(copy.deepcopy(doc))
            seen["doc"] = doc
        return real(doc)

    envelope.c.canonical_json = encode  # type: ignore[assignment]
    try:
        data = sealed(PAYLOAD)
    finally:
        envelope.c.canonical_json = real  # type: ignore[assignment]
    return seen["doc"], data


def outcome(data: bytes) -> tuple[VerifyOutcome, str, dict[str, object]]:
    report = verify_result_bytes(data, KEYS, OneBundle(PAYLOAD))
    return report.outcome, report.code, report.params


GENUINE, _ = captured(lambda doc: doc)
MALFORMED = (VerifyOutcome.CORRUPT, "bundle.format.malformed", {"part": "manifest"})


def test_the_genuine_result_is_accepted() -> None:
    _, data = captured(lambda doc: doc)
    assert outcome(data)[0] is VerifyOutcome.OK


@pytest.mark.parametrize("path", paths(GENUINE), ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("number", [1.5, 1.0, 1e16])
def test_a_fraction_in_place_of_any_value_is_refused_as_check_6(path: tuple, number: float) -> None:
    def edit(doc: dict[str, Any]) -> dict[str, Any]:
        at(doc, path[:-1])[path[-1]] = number
        return doc

    assert outcome(captured(edit)[1]) == MALFORMED


@pytest.mark.parametrize("path", lists(GENUINE), ids=lambda p: ".".join(map(str, p)) or "root")
def test_a_fraction_beside_the_items_of_any_list_is_refused_as_check_6(path: tuple) -> None:
    def edit(doc: dict[str, Any]) -> dict[str, Any]:
        at(doc, path).append(0.5)
        return doc

    assert outcome(captured(edit)[1]) == MALFORMED


def test_a_fraction_with_a_bad_signature_is_still_refused_as_check_6() -> None:
    """The signature (check 7) would fail too; the fraction (check 6) comes first."""
    def edit(doc: dict[str, Any]) -> dict[str, Any]:
        doc["payload"]["revision"] = 2.5
        doc["reviewer_key"]["ed25519"] = GENUINE["reviewer_key"]["binding_mac"]  # another key than the signer's
        return doc

    assert outcome(captured(edit)[1]) == MALFORMED
