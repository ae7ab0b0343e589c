"""Issued bundles and imported results in the secretariat's database.

``RegistryView`` lets the bundle verifier (``core/bundle/result.py`` ``verify_result``) ask this
database "was this bundle issued, to whom, in which round, with which rubric and proposals"
exactly as it asks the standalone registry. Which revision becomes current is the importer's
decision (it also keeps older revisions as history), so the view reports no previous import.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import orjson

from ..bundle.registry import IssuedBundle
from ..bundle.result import record_from_json
from ..errors import ReviewerAppError, StoreError
from ..rubric import Rubric
from .aggregate import ReviewScore
from .payload_check import CheckedResult, entry_points
from .rounds_repo import targets_from_json


@dataclass(frozen=True)
class IssuedRecord:
    bundle_id: str
    round_id: str
    reviewer_id: str
    reviewer_name: str
    rubric_digest: str
    proposal_ids: tuple[str, ...]
    band_targets: dict[str, Decimal | None]
    file_name: str
    file_digest: str
    issued_at: str
    superseded_at: str | None
    superseded_by: str | None
    pinned_key: str | None
    current_revision: int | None
    current_result: int | None

    @property
    def superseded(self) -> bool:
        return self.superseded_at is not None


_ISSUED_COLS = ("bundle_id, round_id, reviewer_id, reviewer_name, rubric_digest, proposal_ids, band_targets, file_name,"
                " file_digest, issued_at, superseded_at, superseded_by, pinned_key, current_revision, current_result")


def _issued(r: tuple[Any, ...]) -> IssuedRecord:
    return IssuedRecord(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), targets_from_json(r[6]), r[7], r[8], r[9],
                        r[10], r[11], r[12], r[13], r[14])


def record_issued(conn: sqlite3.Connection, *, bundle_id: str, round_id: str, reviewer_id: str, reviewer_name: str,
                  rubric_digest: str, proposal_ids: tuple[str, ...], band_targets: dict[str, Decimal | None],
                  file_name: str, file_digest: str, at: str) -> None:
    conn.execute(f"INSERT INTO issued ({_ISSUED_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,NULL,NULL,NULL,NULL,NULL)",
                 (bundle_id, round_id, reviewer_id, reviewer_name, rubric_digest, json.dumps(list(proposal_ids)),
                  json.dumps({k: None if v is None else str(v) for k, v in band_targets.items()}, sort_keys=True),
                  file_name, file_digest, at))


def supersede(conn: sqlite3.Connection, bundle_id: str, by: str, at: str) -> None:
    conn.execute("UPDATE issued SET superseded_at = ?, superseded_by = ? WHERE bundle_id = ? AND superseded_at IS NULL",
                 (at, by, bundle_id))


def issued_in_round(conn: sqlite3.Connection, round_id: str, *, current_only: bool = False) -> list[IssuedRecord]:
    sql = f"SELECT {_ISSUED_COLS} FROM issued WHERE round_id = ?"
    if current_only:
        sql += " AND superseded_at IS NULL"
    return [_issued(r) for r in conn.execute(sql + " ORDER BY issued_at, bundle_id", (round_id,))]


def current_issued(conn: sqlite3.Connection, round_id: str) -> dict[str, IssuedRecord]:
    """The live (not superseded) bundle of each reviewer of the round."""
    return {r.reviewer_id: r for r in issued_in_round(conn, round_id, current_only=True)}


class RegistryView:
    """The two questions ``verify_result`` asks of a registry, answered from this database.

    Every issued record is read once, when the view is made (a few thousand small rows), so
    verifying files needs no database access: the import's first pass can run without the
    store's lock. So is the payload digest of every stored revision (``stored``), so the
    first pass can tell a file already imported from a new one.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.records: dict[str, IssuedRecord] = {
            r.bundle_id: r for r in (_issued(row) for row in conn.execute(f"SELECT {_ISSUED_COLS} FROM issued"))}
        self.stored: dict[tuple[str, int], str] = {
            (b, int(n)): str(d) for b, n, d in conn.execute("SELECT bundle_id, revision, payload_digest FROM results")}

    def issued(self, bundle_id: str) -> IssuedBundle | None:
        rec = self.records.get(bundle_id)
        if rec is None:
            return None
        return IssuedBundle(rec.bundle_id, rec.round_id, rec.reviewer_id, rec.reviewer_name, rec.rubric_digest,
                            rec.proposal_ids, rec.file_digest, rec.issued_at)

    def latest_import(self, bundle_id: str) -> tuple[int, str] | None:
        return None


@dataclass(frozen=True, slots=True)
class StagedResult:
    """A checked result reduced to the rows the database takes: small, picklable, no Decimals.

    The import keeps these (compressed) between its passes instead of the checked objects.
    """

    bundle_id: str
    round_id: str
    reviewer_id: str
    revision: int
    created_at: str
    started_at: str
    audit_digest: str
    justification: str
    proposals: tuple[tuple[Any, ...], ...]  # (proposal, coi, reason, total, viewpoint totals JSON, band, unjudgeable)
    #: The payload's canonical JSON exactly as signed: the review entries are read from it.
    payload: bytes


def _totals_json(totals: Mapping[str, Decimal]) -> str:
    """``{"viewpoint":"182.5"}``: sorted keys, compact (earlier versions wrote ``", "`` spacing; both are read with
    ``json.loads``)."""
    return orjson.dumps({k: str(v) for k, v in totals.items()}, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def stage(r: CheckedResult, payload: bytes) -> StagedResult:
    """The rows of a checked result (every decimal as its exact text) and the signed payload it was checked from."""
    return StagedResult(
        r.bundle_id, r.round_id, r.reviewer_id, r.revision, r.created_at, r.started_at, r.audit_digest, r.justification,
        tuple((p.proposal_id, int(p.coi), p.coi_reason, None if p.total is None else str(p.total),
               None if p.coi else _totals_json(p.viewpoint_totals), p.band_id, p.unjudgeable) for p in r.proposals),
        payload)


_STAGED_FIELDS = tuple(f.name for f in fields(StagedResult))


def pack(r: StagedResult) -> bytes:
    """A staged result as compact bytes for the import to keep between its passes (marshal: str, bytes, int, None, tuples)."""
    return b"m" + marshal.dumps(tuple(getattr(r, name) for name in _STAGED_FIELDS))


#: What a staged result holds beyond its payload, per proposal: a row tuple and its few short texts (an estimate
#: on the high side, for the import's memory budget).
_ROW_BYTES = 400


def kept_size(staged: StagedResult | bytes) -> int:
    """About how many bytes keeping ``staged`` (a staged result, or ``pack``'s bytes) holds in memory."""
    if isinstance(staged, bytes):
        return len(staged)
    return len(staged.payload) + _ROW_BYTES * (len(staged.proposals) + 1)


def compress(packed: bytes) -> bytes:
    """``pack``'s bytes, smaller (about a fifth) for a long import that keeps thousands of them."""
    return packed if packed[:1] == b"z" else b"z" + zlib.compress(packed[1:], 1)


def unpack(data: bytes) -> StagedResult:
    """``pack`` (or ``compress``) undone; ``data`` is always bytes made in this process, never read from a file."""
    body = zlib.decompress(data[1:]) if data[:1] == b"z" else data[1:]
    return StagedResult(*marshal.loads(body))


def current_scores(conn: sqlite3.Connection, round_id: str) -> list[ReviewScore]:
    """Every review of the current result of each live bundle of the round."""
    rows = conn.execute(
        "SELECT i.reviewer_id, rp.proposal_id, rp.coi, rp.total, rp.viewpoint_totals, rp.band_id, rp.unjudgeable,"
        " i.current_revision FROM issued i JOIN result_proposals rp ON rp.result_id = i.current_result"
        " WHERE i.round_id = ? AND i.superseded_at IS NULL", (round_id,))
    out = []
    for r in rows:
        vps = {} if r[4] is None else {k: Decimal(v) for k, v in json.loads(r[4]).items()}
        out.append(ReviewScore(r[0], r[1], bool(r[2]), None if r[3] is None else Decimal(r[3]), vps, r[5], int(r[6]),
                               int(r[7] or 0)))
    return out


@dataclass(frozen=True)
class EntryRecord:
    item_id: str
    mark: str
    figure: Decimal | None
    points: Decimal
    comment: str
    unjudgeable: bool
    reason: str


@dataclass(frozen=True)
class ReviewRecord:
    """One reviewer's full review of one proposal from the current result (what the panel reads)."""

    reviewer_id: str
    proposal_id: str
    coi: bool
    coi_reason: str
    result_id: int
    revision: int
    file_digest: str
    reviewer_key: str
    entries: tuple[EntryRecord, ...]


def current_reviews(conn: sqlite3.Connection, round_id: str, rubric: Rubric,
                    proposal_id: str | None = None) -> list[ReviewRecord]:
    """Full current reviews of the round (or of one proposal), entries in the order the reviewer sent them.

    The entries come from the stored signed payload, checked against its digest first; the
    points are the engine's for the round's rubric (the one the result was checked against:
    a round's rubric cannot change once bundles are issued). Results stored before schema 2
    have no payload: their entries are the rows of ``result_entries``.
    """
    sql = ("SELECT i.reviewer_id, rp.proposal_id, rp.coi, rp.coi_reason, r.result_id, r.revision, r.file_digest,"
           " r.reviewer_key, r.payload_digest, r.payload FROM issued i JOIN results r ON r.result_id = i.current_result"
           " JOIN result_proposals rp ON rp.result_id = r.result_id WHERE i.round_id = ? AND i.superseded_at IS NULL")
    params: tuple[str, ...] = (round_id,)
    if proposal_id is not None:
        sql += " AND rp.proposal_id = ?"
        params = (round_id, proposal_id)
    points = entry_points(rubric)
    payloads: dict[int, dict[str, tuple[EntryRecord, ...]]] = {}
    out = []
    for r in conn.execute(sql + " ORDER BY rp.proposal_id, i.reviewer_id", params).fetchall():
        if r[9] is None:
            entries = tuple(
                EntryRecord(e[0], e[1], None if e[2] is None else Decimal(e[2]), Decimal(e[3]), e[4], bool(e[5]), e[6])
                for e in conn.execute("SELECT item_id, mark, figure, points, comment, unjudgeable, reason"
                                      " FROM result_entries WHERE result_id = ? AND proposal_id = ?", (r[4], r[1])))
        else:
            by_proposal = payloads.get(r[4])
            if by_proposal is None:
                by_proposal = payloads[r[4]] = _stored_entries(r[9], r[8], points, reviewer=r[0], revision=r[5])
            entries = by_proposal.get(r[1], ())
        out.append(ReviewRecord(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6], r[7], entries))
    return out


def _stored_entries(payload: bytes, digest: str, points: Mapping[str, Mapping[str, Decimal]], *, reviewer: str,
                    revision: int) -> dict[str, tuple[EntryRecord, ...]]:
    """Each proposal's entries from a stored payload; a payload that is not what was imported is refused."""
    try:
        if hashlib.sha256(payload).hexdigest() != digest:
            raise ValueError("digest")
        record = record_from_json(json.loads(payload))
        return {pid: tuple(EntryRecord(item, mark, figure, points[item][mark], comment, unjudgeable, reason)
                           for item, mark, figure, comment, unjudgeable, reason in entries)
                for pid, _coi, _reason, entries in record.proposals}
    except (ValueError, KeyError, TypeError, ReviewerAppError):
        raise StoreError("secretariat.result_damaged", reviewer=reviewer, revision=revision) from None


@dataclass(frozen=True)
class ResultHistoryRow:
    result_id: int
    bundle_id: str
    reviewer_id: str
    revision: int
    file_digest: str
    reviewer_key: str
    source_name: str
    created_at: str
    imported_at: str
    current: bool


def result_history(conn: sqlite3.Connection, round_id: str) -> list[ResultHistoryRow]:
    rows = conn.execute(
        "SELECT r.result_id, r.bundle_id, r.reviewer_id, r.revision, r.file_digest, r.reviewer_key, r.source_name,"
        " r.created_at, r.imported_at, (i.current_result = r.result_id) FROM results r JOIN issued i USING (bundle_id)"
        " WHERE r.round_id = ? ORDER BY r.reviewer_id, r.bundle_id, r.revision", (round_id,))
    return [ResultHistoryRow(*r[:9], bool(r[9])) for r in rows]
