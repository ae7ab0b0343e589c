"""The secretariat's record of issued assignment bundles and imported results (one sqlite file).

Verification needs it to say "not issued" and to refuse replays; a later issue builds full
round setup on top, so the tables stay small and append-only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreError

if TYPE_CHECKING:
    from .model import AssignmentSpec, VerifyReport

_SCHEMA = """
CREATE TABLE IF NOT EXISTS issued (
    bundle_id TEXT PRIMARY KEY, round_id TEXT NOT NULL, reviewer_id TEXT NOT NULL, reviewer_name TEXT NOT NULL,
    rubric_digest TEXT NOT NULL, proposal_ids TEXT NOT NULL, file_digest TEXT NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    bundle_id TEXT NOT NULL REFERENCES issued(bundle_id), revision INTEGER NOT NULL, payload_digest TEXT NOT NULL,
    file_digest TEXT NOT NULL, reviewer_key TEXT NOT NULL, imported_at TEXT NOT NULL,
    PRIMARY KEY (bundle_id, revision));
"""


@dataclass(frozen=True)
class IssuedBundle:
    bundle_id: str
    round_id: str
    reviewer_id: str
    reviewer_name: str
    rubric_digest: str
    proposal_ids: tuple[str, ...]
    file_digest: str
    issued_at: str


class IssuedRegistry:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError("store.registry", path=str(path), detail=str(exc)) from None

    def close(self) -> None:
        self._db.close()

    def record_issued(self, bundle_id: str, spec: AssignmentSpec, file_digest: str) -> None:
        import hashlib

        with self._db:
            self._db.execute(
                "INSERT INTO issued VALUES (?,?,?,?,?,?,?,?)",
                (bundle_id, spec.settings.round_id, spec.reviewer.reviewer_id, spec.reviewer.name,
                 hashlib.sha256(spec.rubric_bytes).hexdigest(), json.dumps([p.proposal_id for p in spec.proposals]),
                 file_digest, _now()),
            )

    def issued(self, bundle_id: str) -> IssuedBundle | None:
        row = self._db.execute("SELECT * FROM issued WHERE bundle_id = ?", (bundle_id,)).fetchone()
        if row is None:
            return None
        return IssuedBundle(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), row[6], row[7])

    def all_issued(self) -> list[IssuedBundle]:
        ids = [r[0] for r in self._db.execute("SELECT bundle_id FROM issued ORDER BY issued_at, bundle_id")]
        return [b for b in (self.issued(i) for i in ids) if b is not None]

    def latest_import(self, bundle_id: str) -> tuple[int, str] | None:
        row = self._db.execute(
            "SELECT revision, payload_digest FROM imports WHERE bundle_id = ? ORDER BY revision DESC LIMIT 1", (bundle_id,)
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def record_import(self, report: VerifyReport) -> None:
        from .result import payload_digest

        p = report.payload
        assert p is not None
        with self._db:
            self._db.execute(
                "INSERT INTO imports VALUES (?,?,?,?,?,?)",
                (p.bundle_id, p.revision, payload_digest(p), report.file_digest, report.reviewer_key_fingerprint, _now()),
            )


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
