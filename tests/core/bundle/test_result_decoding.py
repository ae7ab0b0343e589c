"""The result payload's strict decoder and the payload digest the verifier cuts from the manifest.

The verifier decodes into tuples and hashes the payload's bytes inside the signed manifest
instead of re-encoding the decoded payload; these tests hold both to the definitions: the
decoded payload is exactly what was written, the digest is ``payload_digest`` of it, and a
payload with several problems always names the first in the documented order.
"""

from __future__ import annotations

import copy
import os
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer_app.core.bundle import crypto, fields
from reviewer_app.core.bundle.assignment import ResultTarget
from reviewer_app.core.bundle.model import ResultEntry, ResultPayload, ResultProposal, VerifyOutcome
from reviewer_app.core.bundle.registry import IssuedBundle
from reviewer_app.core.bundle.result import (
    payload_digest,
    payload_json,
    record_from_json,
    verify_result,
    verify_result_bytes,
    write_result,
)
from reviewer_app.core.errors import BundleFormatError
from reviewer_app.core.keys import ReviewerKey, SecretariatKeys

KEYS = SecretariatKeys.generate()
REVIEWER = ReviewerKey.generate()
STAMP = "2009-06-20T01:00:00.123456+00:00"


class OneBundle:
    """A registry that issued exactly the bundle the payload answers (and recorded no import)."""

    def __init__(self, payload: ResultPayload) -> None:
        self.bundle = IssuedBundle(payload.bundle_id, payload.round_id, payload.reviewer_id, "審査委員",
                                   payload.rubric_digest, tuple(p.proposal_id for p in payload.proposals), "0" * 64, STAMP)

    def issued(self, bundle_id: str) -> IssuedBundle | None:
        return self.bundle if bundle_id == self.bundle.bundle_id else None

    def latest_import(self, bundle_id: str) -> tuple[int, str] | None:
        return None


def sealed(payload: ResultPayload) -> bytes:
    target = ResultTarget(payload.bundle_id, payload.round_id, payload.reviewer_id, payload.rubric_digest,
                          tuple(p.proposal_id for p in payload.proposals), KEYS.public.encryption,
                          crypto.binding_key(KEYS.binding_master, payload.bundle_id))
    return write_result(target, payload, REVIEWER)


# Any text JSON can carry (controls, quotes, backslashes, U+2028, non-BMP); hypothesis leaves out lone surrogates.
texts = st.text(max_size=12)
ids = st.text(min_size=1, max_size=6)
decimals = st.from_regex(fields.DECIMAL_RE, fullmatch=True).filter(lambda s: len(s) <= fields.MAX_DECIMAL_CHARS)
entries = st.lists(
    st.tuples(ids, st.none() | ids, st.none() | decimals, texts, st.booleans(), texts),
    max_size=4, unique_by=lambda e: e[0],
).map(lambda es: tuple(ResultEntry(i, m, None if d is None else Decimal(d), c, u, r) for i, m, d, c, u, r in es))
proposals = st.lists(st.tuples(ids, entries, st.booleans(), texts), min_size=1, max_size=3, unique_by=lambda p: p[0]).map(
    lambda ps: tuple(ResultProposal(pid, es, coi, reason) for pid, es, coi, reason in ps))
payloads = st.builds(
    ResultPayload,
    bundle_id=st.just("ab" * 16), round_id=ids, reviewer_id=ids, rubric_digest=st.just("cd" * 32),
    revision=st.integers(1, 2**53 - 1), proposals=proposals, distribution_justification=texts,
    audit_digest=st.just("0" * 64), created_at=st.just(STAMP), started_at=st.just(STAMP),
)


@settings(max_examples=60, deadline=None)
@given(payloads)
def test_a_verified_payload_is_what_was_written_and_its_digest_is_the_payload_digest(payload: ResultPayload) -> None:
    verified = verify_result_bytes(sealed(payload), KEYS, OneBundle(payload))
    assert verified.outcome is VerifyOutcome.OK, verified.code
    assert verified.record is not None
    decoded = verified.record.to_payload()
    assert decoded == payload
    assert payload_json(decoded) == payload_json(payload)  # decimals keep their exact text ("0.10", "0.000")
    assert verified.payload_digest == payload_digest(payload)


def test_verifying_a_path_and_its_bytes_gives_the_same_report(tmp_path) -> None:
    payload = ResultPayload("ab" * 16, "R1", "rv", "cd" * 32, 3, (
        ResultProposal("P1", (ResultEntry("1-1", "4", Decimal("412.50"), "所見\n\"引用\""),
                              ResultEntry("2-1", None, None, "", True, "記載なし"))),
        ResultProposal("P2", (), True, "親族")), "説明", "0" * 64, STAMP, STAMP)
    path = tmp_path / "r.rvb"
    path.write_bytes(sealed(payload))
    report = verify_result(path, KEYS, OneBundle(payload))
    assert report.ok and report.payload == payload and report.payload_digest == payload_digest(payload)
    assert report == verify_result_bytes(path.read_bytes(), KEYS, OneBundle(payload), name=str(path)).report()


def base_doc() -> dict:
    payload = ResultPayload("ab" * 16, "R1", "rv", "cd" * 32, 1, tuple(
        ResultProposal(pid, (ResultEntry("1-1", "4", Decimal("412"), "所見"), ResultEntry("2-1", "a", None, "優れている")))
        for pid in ("P1", "P2")), "", "0" * 64, STAMP, STAMP)
    return payload_json(payload)


def entry(doc: dict, p: int, e: int) -> dict:
    return doc["proposals"][p]["entries"][e]


# (edits, the part named): with several problems the first in the decoder's order is named.
CASES = [
    ([lambda d: entry(d, 1, 0).update(item_id="")], "proposals[1].entries[0].item_id"),
    ([lambda d: entry(d, 0, 1).update(mark="")], "proposals[0].entries[1].mark"),
    ([lambda d: entry(d, 0, 1).update(mark=1)], "proposals[0].entries[1].mark"),
    ([lambda d: entry(d, 0, 0).update(figure="1e3")], "proposals[0].entries[0].figure"),
    ([lambda d: entry(d, 0, 0).update(figure="0" + "1" * 40)], "proposals[0].entries[0].figure"),
    ([lambda d: entry(d, 0, 0).update(comment=None)], "proposals[0].entries[0].comment"),
    ([lambda d: entry(d, 0, 0).update(unjudgeable=0)], "proposals[0].entries[0].unjudgeable"),
    ([lambda d: entry(d, 0, 0).update(unjudgeable_reason=None)], "proposals[0].entries[0].unjudgeable_reason"),
    ([lambda d: entry(d, 0, 0).pop("comment")], "proposals[0].entries[0]"),
    ([lambda d: d["proposals"][0].update(entries=[[]])], "proposals[0].entries[0]"),
    ([lambda d: d["proposals"][0].update(entries={})], "proposals[0].entries"),
    ([lambda d: d["proposals"][1].update(conflict_of_interest=1)], "proposals[1].conflict_of_interest"),
    ([lambda d: d["proposals"][1].update(coi_reason=None)], "proposals[1].coi_reason"),
    ([lambda d: d["proposals"][1].pop("coi_reason")], "proposals[1]"),
    ([lambda d: d.update(proposals={})], "proposals"),
    # Two problems: the entries come before the proposal's own fields, proposals before the payload's fields,
    # the revision before everything but the payload's keys, earlier entries before later ones.
    ([lambda d: d["proposals"][0].update(proposal_id=""), lambda d: entry(d, 0, 1).update(comment=1)],
     "proposals[0].entries[1].comment"),
    ([lambda d: d.update(bundle_id="x"), lambda d: d["proposals"][1].update(proposal_id="P1")], "proposals[1].proposal_id"),
    ([lambda d: d.update(revision=0), lambda d: entry(d, 0, 0).update(mark=None, comment=None)], "revision"),
    ([lambda d: entry(d, 0, 1).update(item_id="1-1"), lambda d: entry(d, 1, 0).update(mark="")],
     "proposals[0].entries[1].item_id"),
    ([lambda d: entry(d, 0, 0).update(mark=""), lambda d: entry(d, 0, 0).update(figure=1)], "proposals[0].entries[0].mark"),
    ([lambda d: d.update(started_at="x"), lambda d: d.update(round_id="")], "round_id"),
    ([lambda d: d.update(extra=1), lambda d: d.update(revision=0)], "payload"),
]


@pytest.mark.parametrize("edits,part", CASES)
def test_the_first_problem_in_the_documented_order_is_named(edits, part) -> None:
    doc = copy.deepcopy(base_doc())
    for edit in edits:
        edit(doc)
    with pytest.raises(BundleFormatError) as exc:
        record_from_json(doc)
    assert (exc.value.code, exc.value.params) == ("bundle.format.malformed", {"part": f"payload.{part}" if part != "payload"
                                                                             else "payload"})


def test_a_result_file_that_grows_while_read_is_refused(tmp_path, monkeypatch) -> None:
    from reviewer_app.core.bundle import result as r

    payload = ResultPayload("ab" * 16, "R1", "rv", "cd" * 32, 1, (ResultProposal("P1", (), True, ""),), "", "0" * 64,
                            STAMP, STAMP)
    path = tmp_path / "r.rvb"
    data = sealed(payload)
    path.write_bytes(data)
    monkeypatch.setattr(r, "file_size", lambda fh: len(data) - 10)  # fstat saw a smaller file than the read finds
    report = verify_result(path, KEYS, OneBundle(payload))
    assert (report.outcome, report.code) == (VerifyOutcome.CORRUPT, "bundle.integrity.changed")
    monkeypatch.setattr(r, "file_size", lambda fh: len(data) + 10)  # … or a larger one (it shrank)
    report = verify_result(path, KEYS, OneBundle(payload))
    assert (report.outcome, report.code) == (VerifyOutcome.CORRUPT, "bundle.format.truncated")
    assert os.path.getsize(path) == len(data)


# --- the whole-payload decoder against the one-by-one reading ----------------------------------

from reviewer_app.core.bundle import result_payload as result_module  # noqa: E402

json_values = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3), lambda inner:
                           st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
                           max_leaves=4)
ENTRY_FIELDS = ("item_id", "mark", "figure", "comment", "unjudgeable", "unjudgeable_reason")
PROPOSAL_FIELDS = ("proposal_id", "conflict_of_interest", "coi_reason", "entries")


@st.composite
def proposal_docs(draw) -> object:
    """The proposals of a payload as JSON: mostly well-formed, each field sometimes of a wrong value or kind."""
    doc = copy.deepcopy(payload_json(draw(payloads))["proposals"])
    for _ in range(draw(st.integers(0, 3))):
        if not doc:
            break
        p = doc[draw(st.integers(0, len(doc) - 1))]
        if not isinstance(p, dict):
            continue
        target = p
        fields_ = PROPOSAL_FIELDS
        entries_ = p.get("entries")
        if isinstance(entries_, list) and entries_ and isinstance(entries_[0], dict) and draw(st.booleans()):
            target = entries_[draw(st.integers(0, len(entries_) - 1))]
            if not isinstance(target, dict):
                continue
            fields_ = ENTRY_FIELDS
        action = draw(st.sampled_from(("value", "drop", "extra", "duplicate", "replace")))
        name = draw(st.sampled_from(fields_))
        if action == "value":
            target[name] = draw(json_values | st.sampled_from(("", "0.10", "1e3", "-1", "01", True)))
        elif action == "drop":
            target.pop(name, None)
        elif action == "extra":
            target["extra"] = 1
        elif action == "duplicate" and target is not p and isinstance(p.get("entries"), list):
            p["entries"].append(dict(target))
        elif action == "duplicate":
            doc.append(copy.deepcopy(p))
        else:
            doc[doc.index(p)] = draw(json_values)
    return doc


@settings(max_examples=400, deadline=None)
@given(proposal_docs())
def test_the_whole_payload_reading_answers_as_the_one_by_one_reading(doc) -> None:
    at_once = result_module._proposals_at_once(doc)
    try:
        careful = result_module._proposals_one_by_one(doc)
    except fields.FieldProblem:
        assert at_once is None  # refused one by one: the fast reading must not accept it
        return
    if at_once is None:
        return
    fast, columns = at_once
    assert fast == careful
    assert [type(x) for p in fast for e in p[3] for x in e] == [type(x) for p in careful for e in p[3] for x in e]
    # The columns handed on with the record are the entries, proposal after proposal, field by field.
    entries = [e for p in careful for e in p[3]]
    assert tuple(columns) == (tuple(zip(*entries, strict=True)) if entries else ((),) * 6)
    assert [type(x) for col in columns for x in col] == [type(x) for col in zip(*entries, strict=True) for x in col]
