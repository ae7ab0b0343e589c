"""The result payload's codec: the manifest's ``payload`` as the reviewer writes it and the secretariat reads it.

The grammar is docs/bundle-format.md, "Result payload". The strict decoder names the first
field that breaks it; a well-formed payload is read column by column (``_proposals_at_once``),
and its entries' columns are handed on with the record, so the secretariat's content check
reads them without taking the entries apart again.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ..errors import BundleFormatError
from . import container as c
from . import fields as f
from .model import EntryColumns, EntryRecord, PayloadRecord, ProposalRecord, ResultPayload

#: The keys of the payload, a proposal and an entry (docs/bundle-format.md, "Result payload").
PAYLOAD_KEYS = frozenset({"bundle_id", "round_id", "reviewer_id", "rubric_digest", "revision", "distribution_justification",
                          "audit_digest", "created_at", "started_at", "proposals"})
PROPOSAL_KEYS = frozenset({"proposal_id", "conflict_of_interest", "coi_reason", "entries"})
ENTRY_KEYS = frozenset({"item_id", "mark", "figure", "comment", "unjudgeable", "unjudgeable_reason"})
#: Revisions stay exact in every JSON reader (IEEE doubles hold integers below 2**53 exactly).
MAX_REVISION = 2**53 - 1


def payload_json(p: ResultPayload) -> dict[str, Any]:
    """The payload as the manifest carries it; figures in plain decimal notation."""
    def dec(v: Decimal | None, where: str) -> str | None:
        return None if v is None else f.decimal_text(v, where)

    return {
        "bundle_id": p.bundle_id, "round_id": p.round_id, "reviewer_id": p.reviewer_id,
        "rubric_digest": p.rubric_digest, "revision": p.revision,
        "distribution_justification": p.distribution_justification, "audit_digest": p.audit_digest,
        "created_at": p.created_at, "started_at": p.started_at,
        "proposals": [
            {"proposal_id": r.proposal_id, "conflict_of_interest": r.conflict_of_interest, "coi_reason": r.coi_reason,
             "entries": [{"item_id": e.item_id, "mark": e.mark, "figure": dec(e.figure, f"proposals[{i}].entries[{j}].figure"),
                          "comment": e.comment, "unjudgeable": e.unjudgeable, "unjudgeable_reason": e.unjudgeable_reason}
                         for j, e in enumerate(r.entries)]}
            for i, r in enumerate(p.proposals)
        ],
    }


def payload_from_json(d: Any) -> ResultPayload:
    """Strict decoding: every field present with its type and grammar, nothing extra."""
    return record_from_json(d).to_payload()


def record_from_json(d: Any) -> PayloadRecord:
    """``payload_from_json`` with proposals and entries as plain tuples (the import's form)."""
    try:
        return _decode_payload(d)
    except f.FieldProblem as exc:
        part = exc.field if exc.field == "payload" else f"payload.{exc.field}"
        raise BundleFormatError("bundle.format.malformed", part=part) from None


def _decode_payload(d: Any) -> PayloadRecord:
    """The grammar of docs/bundle-format.md ("Result payload"); the first field found wrong is named.

    Fields are checked in a fixed order (the payload's keys, ``revision``, each proposal's keys,
    its entries in order, its id, flag and reason, then the payload's other fields), so a file
    with several problems always names the same one. Field names are built only for the error.
    """
    f.exact_keys(d, PAYLOAD_KEYS, "payload")
    revision = d["revision"]
    if type(revision) is not int or not 1 <= revision <= MAX_REVISION:
        raise f.FieldProblem("revision")
    at_once = _proposals_at_once(d["proposals"])
    proposals, columns = (_proposals_one_by_one(d["proposals"]), None) if at_once is None else at_once
    return PayloadRecord(
        f.hex_digest(d["bundle_id"], "bundle_id", 32), f.text(d["round_id"], "round_id", nonempty=True),
        f.text(d["reviewer_id"], "reviewer_id", nonempty=True), f.hex_digest(d["rubric_digest"], "rubric_digest"),
        revision, proposals, f.text(d["distribution_justification"], "distribution_justification"),
        f.hex_digest(d["audit_digest"], "audit_digest"), f.utc_timestamp(d["created_at"], "created_at"),
        f.utc_timestamp(d["started_at"], "started_at"), columns,
    )


_NONE = type(None)
_NO_ENTRIES = EntryColumns((), (), (), (), (), ())
#: An entry's values in the decoder's order (``EntryRecord``).
_ENTRY_FIELDS = itemgetter("item_id", "mark", "figure", "comment", "unjudgeable", "unjudgeable_reason")


def _proposals_at_once(raw: Any) -> tuple[tuple[ProposalRecord, ...], EntryColumns] | None:
    """The proposals and all their entries checked column by column, with those columns; None if anything is not as it
    should be.

    The grammar is ``_proposals_one_by_one``'s, which names the first field that breaks it.
    Here every rule is asked of the whole payload at once (a result carries about 175
    entries; read one by one, the decoder was a large part of the import's time). Whenever
    every proposal and entry is well-formed the answer is the same; anything else returns
    None and is read one by one, so a problem is named exactly as it always was
    (tests/core/bundle/test_result_decoding.py compares the two on generated payloads).
    """
    if type(raw) is not list or not raw or set(map(type, raw)) != {dict} or set(map(len, raw)) != {len(PROPOSAL_KEYS)}:
        return None
    try:  # four keys, each of the four present: exactly PROPOSAL_KEYS
        pids = [r["proposal_id"] for r in raw]
        cois = [r["conflict_of_interest"] for r in raw]
        reasons = [r["coi_reason"] for r in raw]
        lists = [r["entries"] for r in raw]
    except KeyError:
        return None
    if (set(map(type, pids)) != {str} or "" in pids or len(set(pids)) != len(pids) or set(map(type, cois)) != {bool}
            or set(map(type, reasons)) != {str} or set(map(type, lists)) != {list}):
        return None
    flat = [e for entries in lists for e in entries]
    if not flat:
        return tuple((pid, coi, reason, ()) for pid, coi, reason in zip(pids, cois, reasons, strict=True)), _NO_ENTRIES
    if set(map(type, flat)) != {dict} or set(map(len, flat)) != {len(ENTRY_KEYS)}:
        return None
    try:  # six keys, each of the six present: exactly ENTRY_KEYS
        rows = list(map(_ENTRY_FIELDS, flat))
    except KeyError:
        return None
    item_ids, marks, figures, comments, flags, notes = zip(*rows, strict=True)
    if (set(map(type, item_ids)) != {str} or "" in item_ids or not set(map(type, marks)) <= {str, _NONE} or "" in marks
            or set(map(type, comments)) != {str} or set(map(type, flags)) != {bool} or set(map(type, notes)) != {str}):
        return None
    if figures.count(None) != len(figures):  # a figure is a decimal string of the grammar
        try:
            rows = [r if r[2] is None else (r[0], r[1], f.parse_decimal(r[2], "figure"), *r[3:]) for r in rows]
        except f.FieldProblem:
            return None
        figures = tuple(r[2] for r in rows)
    out: list[ProposalRecord] = []
    start = 0
    for pid, coi, reason, entries in zip(pids, cois, reasons, lists, strict=True):
        end = start + len(entries)
        if len(set(item_ids[start:end])) != end - start:  # item ids unique within the proposal
            return None
        out.append((pid, coi, reason, tuple(rows[start:end])))
        start = end
    return tuple(out), EntryColumns(item_ids, marks, figures, comments, flags, notes)


def _proposals_one_by_one(raw: Any) -> tuple[ProposalRecord, ...]:
    """Each proposal in order, its entries first (``_decode_entries``), then its id, flag and reason."""
    proposals: list[ProposalRecord] = []
    seen: set[str] = set()
    for i, r in enumerate(f.array(raw, "proposals")):
        if not isinstance(r, dict) or r.keys() != PROPOSAL_KEYS:
            raise f.FieldProblem(f"proposals[{i}]")
        entries = _decode_entries(r["entries"], i)
        pid = r["proposal_id"]
        if not isinstance(pid, str) or not pid or pid in seen:
            raise f.FieldProblem(f"proposals[{i}].proposal_id")
        seen.add(pid)
        coi = r["conflict_of_interest"]
        if not isinstance(coi, bool):
            raise f.FieldProblem(f"proposals[{i}].conflict_of_interest")
        proposals.append((pid, coi, f.text(r["coi_reason"], f"proposals[{i}].coi_reason"), entries))
    return tuple(proposals)


def _decode_entries(raw: Any, i: int) -> tuple[EntryRecord, ...]:
    """One proposal's entries: exactly their keys; item ids non-empty and unique; each value of its type."""
    if not isinstance(raw, list):
        raise f.FieldProblem(f"proposals[{i}].entries")
    out: list[EntryRecord] = []
    items: set[str] = set()
    for j, e in enumerate(raw):
        if not isinstance(e, dict) or e.keys() != ENTRY_KEYS:
            raise _entry_problem(i, j, "")
        item_id = e["item_id"]
        if not isinstance(item_id, str) or not item_id or item_id in items:
            raise _entry_problem(i, j, ".item_id")
        items.add(item_id)
        mark = e["mark"]
        if mark is not None and (not isinstance(mark, str) or not mark):
            raise _entry_problem(i, j, ".mark")
        figure = e["figure"]
        if figure is not None:
            try:
                figure = f.parse_decimal(figure, "figure")
            except f.FieldProblem:
                raise _entry_problem(i, j, ".figure") from None
        comment = e["comment"]
        if not isinstance(comment, str):
            raise _entry_problem(i, j, ".comment")
        unjudgeable = e["unjudgeable"]
        if not isinstance(unjudgeable, bool):
            raise _entry_problem(i, j, ".unjudgeable")
        reason = e["unjudgeable_reason"]
        if not isinstance(reason, str):
            raise _entry_problem(i, j, ".unjudgeable_reason")
        out.append((item_id, mark, figure, comment, unjudgeable, reason))
    return tuple(out)


def _entry_problem(i: int, j: int, field: str) -> f.FieldProblem:
    return f.FieldProblem(f"proposals[{i}].entries[{j}]{field}")


def payload_digest(p: ResultPayload) -> str:
    return hashlib.sha256(c.canonical_json(payload_json(p))).hexdigest()
