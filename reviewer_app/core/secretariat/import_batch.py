"""The import's second pass for one transaction: each file decided in turn, all of them written together.

The import applies up to ``BATCH`` files per transaction (services/secretariat/importing.py).
Each file's fate (a duplicate, refused, current or history) depends on what is stored for
its bundle, including what earlier files of the same transaction added, so the batch reads
the state of its bundles once and keeps it up to date as files are decided. The rows of
the accepted files (results, their per-proposal totals, the bundles' current result and
pinned key, one audit event each) are then written with one statement per table.

A transaction is all or nothing: if writing fails, no file of the batch is stored and the
error goes to the caller; files of earlier, committed batches stay. The rows are decided
only from the checks above, so no file can fail on its own once it is decided.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, NamedTuple

from . import audit
from .results_repo import StagedResult

#: Bundle ids asked per query (well below SQLite's bound on host parameters).
_IDS_PER_QUERY = 500


class ImportState(NamedTuple):
    """What the import's second pass needs of an issued bundle and one revision of it, as they stand in its transaction."""

    reviewer_id: str
    pinned_key: str | None
    current_revision: int | None
    #: The payload digest already stored for the revision asked about, if any.
    stored_digest: str | None


class ImportBatch:
    """The import's view of its bundles in one transaction, and the rows it will write."""

    def __init__(self, conn: sqlite3.Connection, bundle_ids: Iterable[str]) -> None:
        self.conn = conn
        self.chain = audit.Chain(conn)
        #: bundle id → [reviewer id, pinned key, current revision], as stored plus what this batch decided.
        self._states: dict[str, list[Any]] = {}
        #: (bundle id, revision) → payload digest stored, plus what this batch decided.
        self._stored: dict[tuple[str, int], str] = {}
        ids = sorted(set(bundle_ids))
        for start in range(0, len(ids), _IDS_PER_QUERY):
            part = ids[start:start + _IDS_PER_QUERY]
            marks = ",".join("?" * len(part))
            for b, reviewer, pinned, current in conn.execute(
                    f"SELECT bundle_id, reviewer_id, pinned_key, current_revision FROM issued WHERE bundle_id IN ({marks})",
                    part):
                self._states[b] = [reviewer, pinned, current]
            for b, revision, digest in conn.execute(
                    f"SELECT bundle_id, revision, payload_digest FROM results WHERE bundle_id IN ({marks})", part):
                self._stored[(b, int(revision))] = str(digest)
        row = conn.execute("SELECT coalesce(max(result_id), 0) FROM results").fetchone()
        self._next_id = int(row[0]) + 1
        self._results: list[tuple[Any, ...]] = []
        self._proposals: list[tuple[Any, ...]] = []
        self._current: list[tuple[Any, ...]] = []
        self._events: list[tuple[Any, ...]] = []

    def state(self, bundle_id: str, revision: int) -> ImportState | None:
        """The bundle's state and the digest stored for ``revision`` of it, as this batch stands (None: never issued)."""
        s = self._states.get(bundle_id)
        if s is None:
            return None
        return ImportState(s[0], s[1], s[2], self._stored.get((bundle_id, revision)))

    def add(self, r: StagedResult, *, payload_digest: str, file_digest: str, source_name: str, reviewer_key: str,
            at: str, current: bool, event: dict[str, Any]) -> None:
        """Take one checked result (``current``: it becomes the bundle's current result, pinning its key if none is)."""
        rid = self._next_id
        self._next_id += 1
        self._results.append((rid, r.round_id, r.bundle_id, r.reviewer_id, r.revision, payload_digest, file_digest,
                              source_name, reviewer_key, r.created_at, r.started_at, r.audit_digest, r.justification, at,
                              r.payload))
        self._proposals.extend((rid, *p) for p in r.proposals)
        self._stored[(r.bundle_id, r.revision)] = payload_digest
        if current:
            s = self._states[r.bundle_id]
            s[2] = r.revision
            if s[1] is None:
                s[1] = reviewer_key
            self._current.append((rid, r.revision, reviewer_key, r.bundle_id))
        self._events.append(self.chain.prepare(at=at, **event))

    def write(self) -> None:
        """Every row taken, one statement per table (inside the caller's transaction)."""
        conn = self.conn
        if self._results:
            conn.executemany(
                "INSERT INTO results (result_id, round_id, bundle_id, reviewer_id, revision, payload_digest, file_digest,"
                " source_name, reviewer_key, created_at, started_at, audit_digest, justification, imported_at, payload)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self._results)
            conn.executemany(
                "INSERT INTO result_proposals (result_id, proposal_id, coi, coi_reason, total, viewpoint_totals, band_id,"
                " unjudgeable) VALUES (?,?,?,?,?,?,?,?)", self._proposals)
        if self._current:
            conn.executemany("UPDATE issued SET current_result = ?, current_revision = ?,"
                             " pinned_key = coalesce(pinned_key, ?) WHERE bundle_id = ?", self._current)
        if self._events:
            self.chain.insert(self._events)
        self._results, self._proposals, self._current, self._events = [], [], [], []
