"""The append-only audit log: every change with its old and new value, hash-chained.

Each event's hash covers its own fields and the previous event's hash, so removing,
reordering or editing any past event breaks every later hash. The head hash (the last
event's) therefore stands for the whole history; result bundles carry it, so the
secretariat can later ask for the log and check it against what was submitted.

Hash of event n (hex SHA-256)::

    sha256( b"reviewer-app-audit-v1\\n" +
            utf8(json([seq, at, bundle_id, proposal_id, item_id, field, old, new, prev_hash])) )

JSON with ``ensure_ascii=False`` and ``separators=(",", ":")``; absent values are
``null``; ``prev_hash`` of the first event is 64 zeros (``GENESIS``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from ..errors import AuditChainError

GENESIS = "0" * 64
_DOMAIN = b"reviewer-app-audit-v1\n"


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: str
    bundle_id: str | None
    proposal_id: str | None
    item_id: str | None
    field: str
    old: str | None
    new: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainStatus:
    events: int
    head: str


def event_hash(
    seq: int, at: str, bundle_id: str | None, proposal_id: str | None, item_id: str | None,
    field: str, old: str | None, new: str | None, prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, at, bundle_id, proposal_id, item_id, field, old, new, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(_DOMAIN + payload.encode("utf-8")).hexdigest()


def audit_head(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def append_event(
    conn: sqlite3.Connection, *, at: str, field: str, old: str | None, new: str | None,
    bundle_id: str | None = None, proposal_id: str | None = None, item_id: str | None = None,
) -> str:
    """Append one event; the caller's write transaction makes it atomic with the change."""
    if not conn.in_transaction:
        raise AssertionError("audit events are appended inside the change's transaction")
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    h = event_hash(seq, at, bundle_id, proposal_id, item_id, field, old, new, prev)
    conn.execute(
        "INSERT INTO audit (seq, at, bundle_id, proposal_id, item_id, field, old_value, new_value, prev_hash, hash)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        (seq, at, bundle_id, proposal_id, item_id, field, old, new, prev, h),
    )
    return h


def iter_events(conn: sqlite3.Connection, bundle_id: str | None = None) -> list[AuditEvent]:
    sql = "SELECT seq, at, bundle_id, proposal_id, item_id, field, old_value, new_value, prev_hash, hash FROM audit"
    params: tuple[str, ...] = ()
    if bundle_id is not None:
        sql += " WHERE bundle_id = ?"
        params = (bundle_id,)
    return [AuditEvent(*r) for r in conn.execute(sql + " ORDER BY seq", params)]


def verify_chain(conn: sqlite3.Connection) -> ChainStatus:
    """Recompute every hash; raise :class:`AuditChainError` at the first broken link."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for ev in iter_events(conn):
        if ev.seq != expected_seq:
            raise AuditChainError(seq=expected_seq, problem="missing")
        if ev.prev_hash != prev:
            raise AuditChainError(seq=ev.seq, problem="link")
        if event_hash(ev.seq, ev.at, ev.bundle_id, ev.proposal_id, ev.item_id, ev.field, ev.old, ev.new, ev.prev_hash) != ev.hash:
            raise AuditChainError(seq=ev.seq, problem="hash")
        prev = ev.hash
        expected_seq += 1
        count += 1
    return ChainStatus(count, prev)
