"""The versioned schema of the workspace database, as sqlite-utils ``Migrations``.

Each migration is applied once, inside a transaction, and recorded by name in
``_sqlite_migrations``; a database written by a newer app carries names this list does
not know, which :func:`reviewer_app.core.store.db.open_store` refuses rather than guess.
The names and the version check live in :mod:`.schema` (no sqlite-utils): this module is
imported only when a migration is pending.
Never edit a released migration: add a new one (a v1 database must upgrade on open).
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .schema import MIGRATION_SET, SCHEMA_VERSIONS  # noqa: F401 - SCHEMA_VERSIONS re-exported

MIGRATIONS = Migrations(MIGRATION_SET)

# v1: everything the first release needs. Proposal titles, institutions and PDFs are
# deliberately absent: they stay inside the encrypted bundle and are read into memory
# on demand, so the database never holds a proposal's confidential content.
_V1 = """
CREATE TABLE bundles (
    bundle_id        TEXT PRIMARY KEY,
    stored_file      TEXT NOT NULL,          -- relative to the data folder; still encrypted
    file_sha256      TEXT NOT NULL UNIQUE,
    added_at         TEXT NOT NULL,
    round_id         TEXT,                   -- the fields below are known once unlocked
    reviewer_id      TEXT,
    reviewer_name    TEXT,
    deadline         TEXT,
    settings_json    TEXT,
    rubric_digest    TEXT,
    rubric_bytes     BLOB,
    signer_fingerprint TEXT,                 -- the secretariat key pinned for this round
    unlocked_at      TEXT,
    result_revision  INTEGER NOT NULL DEFAULT 0 CHECK (result_revision >= 0)
);
CREATE TABLE proposals (
    bundle_id    TEXT NOT NULL REFERENCES bundles(bundle_id) ON DELETE CASCADE,
    proposal_id  TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (bundle_id, proposal_id)
);
CREATE TABLE entries (
    bundle_id           TEXT NOT NULL,
    proposal_id         TEXT NOT NULL,
    item_id             TEXT NOT NULL,
    mark                TEXT,
    figure              TEXT,                -- a Decimal as text: exact, never a float
    comment             TEXT NOT NULL DEFAULT '',
    unjudgeable         INTEGER NOT NULL DEFAULT 0 CHECK (unjudgeable IN (0, 1)),
    unjudgeable_reason  TEXT NOT NULL DEFAULT '',
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (bundle_id, proposal_id, item_id),
    FOREIGN KEY (bundle_id, proposal_id) REFERENCES proposals(bundle_id, proposal_id) ON DELETE CASCADE
);
CREATE TABLE conflicts (
    bundle_id    TEXT NOT NULL,
    proposal_id  TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    declared_at  TEXT NOT NULL,
    PRIMARY KEY (bundle_id, proposal_id),
    FOREIGN KEY (bundle_id, proposal_id) REFERENCES proposals(bundle_id, proposal_id) ON DELETE CASCADE
);
CREATE TABLE notes (
    bundle_id    TEXT NOT NULL,
    proposal_id  TEXT NOT NULL,
    text         TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (bundle_id, proposal_id),
    FOREIGN KEY (bundle_id, proposal_id) REFERENCES proposals(bundle_id, proposal_id) ON DELETE CASCADE
);
CREATE TABLE justifications (
    bundle_id    TEXT PRIMARY KEY REFERENCES bundles(bundle_id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE TABLE exports (
    bundle_id    TEXT NOT NULL REFERENCES bundles(bundle_id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL,
    digest       TEXT NOT NULL,
    path         TEXT NOT NULL,
    exported_at  TEXT NOT NULL,
    PRIMARY KEY (bundle_id, revision)
);
CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    bundle_id    TEXT,
    proposal_id  TEXT,
    item_id      TEXT,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
-- The log is append-only: the database itself refuses to rewrite history.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""

# v2: the audit head each export carried, so the app can tell "changed since the last
# export" without rebuilding a bundle; and an index for per-bundle history views.
_V2 = """
ALTER TABLE exports ADD COLUMN audit_head TEXT;
CREATE INDEX idx_audit_bundle ON audit(bundle_id, seq);
"""

# v3: the figures the rubric's 観点 checks name (e.g. the planned 留学生比率), as the reviewer
# read them, per item: a JSON object of figure name -> Decimal text (exact, never a float).
_V3 = """
ALTER TABLE entries ADD COLUMN named_figures TEXT NOT NULL DEFAULT '{}';
"""

# v4: the reviewer's 「利害関係なし」 answer per proposal, asked before its PDF is first shown.
# It is a declaration like a conflict, so it lives here (audited) rather than in GUI settings.
_V4 = """
CREATE TABLE coi_confirmations (
    bundle_id     TEXT NOT NULL,
    proposal_id   TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    PRIMARY KEY (bundle_id, proposal_id),
    FOREIGN KEY (bundle_id, proposal_id) REFERENCES proposals(bundle_id, proposal_id) ON DELETE CASCADE
);
"""


def _script(db: Database, sql: str) -> None:
    # executescript() would COMMIT the migration's transaction; run statement by statement.
    for stmt in _split(sql):
        db.conn.execute(stmt)


def _split(sql: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    assert not buf.strip(), "unterminated statement in migration"
    return out


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _script(db, _V1)


@MIGRATIONS(name="0002_export_audit_head")
def m0002_export_audit_head(db: Database) -> None:
    _script(db, _V2)


@MIGRATIONS(name="0003_entry_named_figures")
def m0003_entry_named_figures(db: Database) -> None:
    _script(db, _V3)


@MIGRATIONS(name="0004_coi_confirmations")
def m0004_coi_confirmations(db: Database) -> None:
    _script(db, _V4)
