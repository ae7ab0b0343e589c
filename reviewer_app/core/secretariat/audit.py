"""The secretariat's append-only audit log: who did what to which round, hash-chained.

Same construction as the reviewer's log (``core/store/audit.py``) with its own domain label
and fields: each event's hash covers its fields and the previous hash, so editing, removing
or reordering a past event breaks every later link; triggers refuse UPDATE and DELETE.

Hash of event n (hex SHA-256)::

    sha256( b"reviewer-app-secretariat-audit-v1\\n" +
            utf8(json([seq, at, round_id, actor, action, subject, detail, prev_hash])) )

JSON with ``ensure_ascii=False`` and ``separators=(",", ":")``; ``prev_hash`` of the first
event is 64 zeros. ``detail`` is a JSON text chosen by the action (never a passphrase).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import AuditChainError

GENESIS = "0" * 64
_DOMAIN = b"reviewer-app-secretariat-audit-v1\n"


@dataclass(frozen=True)
class SecretariatEvent:
    seq: int
    at: str
    round_id: str | None
    actor: str
    action: str
    subject: str | None
    detail: str | None
    prev_hash: str
    hash: str


def event_hash(seq: int, at: str, round_id: str | None, actor: str, action: str, subject: str | None,
               detail: str | None, prev_hash: str) -> str:
    payload = json.dumps([seq, at, round_id, actor, action, subject, detail, prev_hash],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(_DOMAIN + payload.encode("utf-8")).hexdigest()


def record(conn: sqlite3.Connection, *, at: str, actor: str, action: str, round_id: str | None = None,
           subject: str | None = None, detail: dict[str, Any] | None = None) -> str:
    """Append one event inside the caller's transaction (atomic with the change it records)."""
    return Chain(conn).record(at=at, actor=actor, action=action, round_id=round_id, subject=subject, detail=detail)


class Chain:
    """Appends events inside one transaction, reading the log's head once instead of once per event.

    For a writer that records many events in one transaction (the import: one per file). The
    head is read when the first event is made and advanced by each event, so the transaction
    must append events through this chain alone; after anything rolled back to a savepoint,
    a new chain reads the head again. ``prepare`` makes
    an event's row without writing it, for a writer that inserts many rows at once
    (``insert``): the rows prepared must all be inserted, in order, in this transaction.
    """

    __slots__ = ("_conn", "_head")

    def __init__(self, conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:
            raise AssertionError("audit events are appended inside the change's transaction")
        self._conn = conn
        self._head: tuple[int, str] | None = None

    def prepare(self, *, at: str, actor: str, action: str, round_id: str | None = None, subject: str | None = None,
                detail: dict[str, Any] | None = None) -> tuple[Any, ...]:
        """The next event's row (seq, at, round_id, actor, action, subject, detail, prev_hash, hash); the head moves past it."""
        conn = self._conn
        if not conn.in_transaction:
            raise AssertionError("audit events are appended inside the change's transaction")
        if self._head is None:
            row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            self._head = (row[0], row[1]) if row else (0, GENESIS)
        seq, prev = self._head[0] + 1, self._head[1]
        text = None if detail is None else json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        h = event_hash(seq, at, round_id, actor, action, subject, text, prev)
        self._head = (seq, h)
        return (seq, at, round_id, actor, action, subject, text, prev, h)

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Write rows made by ``prepare``, in the order they were made."""
        self._conn.executemany("INSERT INTO audit (seq, at, round_id, actor, action, subject, detail, prev_hash, hash)"
                               " VALUES (?,?,?,?,?,?,?,?,?)", rows)

    def record(self, *, at: str, actor: str, action: str, round_id: str | None = None, subject: str | None = None,
               detail: dict[str, Any] | None = None) -> str:
        row = self.prepare(at=at, actor=actor, action=action, round_id=round_id, subject=subject, detail=detail)
        try:
            self.insert([row])
        except BaseException:
            self._head = None  # the event is not in the log: read the head again
            raise
        return str(row[-1])


def events(conn: sqlite3.Connection, round_id: str | None = None) -> list[SecretariatEvent]:
    sql = "SELECT seq, at, round_id, actor, action, subject, detail, prev_hash, hash FROM audit"
    if round_id is None:
        return [SecretariatEvent(*r) for r in conn.execute(sql + " ORDER BY seq")]
    return [SecretariatEvent(*r) for r in conn.execute(sql + " WHERE round_id = ? ORDER BY seq", (round_id,))]


def verify(conn: sqlite3.Connection) -> tuple[int, str]:
    """(events, head hash); raises ``AuditChainError`` at the first broken link."""
    prev, expected = GENESIS, 1
    for ev in events(conn):
        if ev.seq != expected:
            raise AuditChainError(seq=expected, problem="missing")
        if ev.prev_hash != prev:
            raise AuditChainError(seq=ev.seq, problem="link")
        if event_hash(ev.seq, ev.at, ev.round_id, ev.actor, ev.action, ev.subject, ev.detail, ev.prev_hash) != ev.hash:
            raise AuditChainError(seq=ev.seq, problem="hash")
        prev = ev.hash
        expected += 1
    return expected - 1, prev
