"""The versioned schema of the secretariat's database, as sqlite-utils ``Migrations`` (like the workspace's).

Never edit a released migration: add a new one. Imported results, their history, decisions
and the audit log are append-only (triggers refuse UPDATE and DELETE), so the record of what
reviewers submitted and what the secretariat decided can only grow.

Scale: a KAKENHI-sized round is ~8,000 result bundles, 100,000 reviews, 1.4 million item
entries. Per-review totals are computed once at import and kept in ``result_proposals`` so
aggregation never re-reads the entries. The entries themselves are read from the payload the
reviewer signed, kept whole in ``results.payload`` (since ``0002_signed_payload``; before, a
row each in ``result_entries``, which still holds those of results imported then).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ..store.migrations import _split

MIGRATIONS = Migrations("reviewer_app.secretariat")

_V1 = """
CREATE TABLE rounds (
    round_id       TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    deadline       TEXT,
    language       TEXT NOT NULL,
    rubric_name    TEXT NOT NULL,
    rubric_digest  TEXT NOT NULL,
    rubric_bytes   BLOB NOT NULL,          -- exactly what the bundles embed (grade points applied)
    band_targets   TEXT NOT NULL,          -- JSON {band id: "0.1" | null}
    grade_points   TEXT NOT NULL,          -- JSON {scale: {mark: "75"}} as set in round.toml
    setup_folder   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE TABLE proposals (
    round_id          TEXT NOT NULL REFERENCES rounds(round_id),
    proposal_id       TEXT NOT NULL,
    position          INTEGER NOT NULL,
    title             TEXT NOT NULL,
    institution       TEXT NOT NULL,
    institution_type  TEXT NOT NULL,
    region            TEXT NOT NULL,
    figures           TEXT NOT NULL,        -- JSON {item id: "412"} (decimals as text)
    pdf_path          TEXT NOT NULL,
    pdf_sha256        TEXT NOT NULL,
    pdf_size          INTEGER NOT NULL,
    PRIMARY KEY (round_id, proposal_id)
);
CREATE TABLE reviewers (
    round_id     TEXT NOT NULL REFERENCES rounds(round_id),
    reviewer_id  TEXT NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    affiliation  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, reviewer_id)
);
CREATE TABLE assignments (
    round_id     TEXT NOT NULL,
    reviewer_id  TEXT NOT NULL,
    proposal_id  TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (round_id, reviewer_id, proposal_id),
    FOREIGN KEY (round_id, reviewer_id) REFERENCES reviewers(round_id, reviewer_id),
    FOREIGN KEY (round_id, proposal_id) REFERENCES proposals(round_id, proposal_id)
);
CREATE INDEX assignments_by_proposal ON assignments(round_id, proposal_id);
CREATE TABLE conflicts (
    round_id     TEXT NOT NULL,
    reviewer_id  TEXT NOT NULL,
    proposal_id  TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, reviewer_id, proposal_id)
);
CREATE TABLE issued (
    bundle_id        TEXT PRIMARY KEY,
    round_id         TEXT NOT NULL REFERENCES rounds(round_id),
    reviewer_id      TEXT NOT NULL,
    reviewer_name    TEXT NOT NULL,
    rubric_digest    TEXT NOT NULL,
    proposal_ids     TEXT NOT NULL,         -- JSON list, the bundle's order
    band_targets     TEXT NOT NULL,         -- JSON, as the bundle carried them (the reviewer's own check)
    file_name        TEXT NOT NULL,
    file_digest      TEXT NOT NULL,
    issued_at        TEXT NOT NULL,
    superseded_at    TEXT,                  -- re-issued: results answering this bundle are refused
    superseded_by    TEXT,
    pinned_key       TEXT,                  -- reviewer key of the first accepted result
    current_revision INTEGER,
    current_result   INTEGER
);
CREATE INDEX issued_by_reviewer ON issued(round_id, reviewer_id, issued_at);
CREATE TABLE results (
    result_id       INTEGER PRIMARY KEY,
    round_id        TEXT NOT NULL,
    bundle_id       TEXT NOT NULL REFERENCES issued(bundle_id),
    reviewer_id     TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    payload_digest  TEXT NOT NULL,
    file_digest     TEXT NOT NULL,
    source_name     TEXT NOT NULL,
    reviewer_key    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    audit_digest    TEXT NOT NULL,
    justification   TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    UNIQUE (bundle_id, revision)
);
CREATE INDEX results_by_round ON results(round_id, reviewer_id);
CREATE TABLE result_proposals (
    result_id        INTEGER NOT NULL REFERENCES results(result_id),
    proposal_id      TEXT NOT NULL,
    coi              INTEGER NOT NULL CHECK (coi IN (0, 1)),
    coi_reason       TEXT NOT NULL,
    total            TEXT,                  -- decimals as text; NULL for a conflict of interest
    viewpoint_totals TEXT,                  -- JSON {viewpoint id: "182.5"}
    band_id          TEXT,
    unjudgeable      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (result_id, proposal_id)
) WITHOUT ROWID;
CREATE TABLE result_entries (
    result_id    INTEGER NOT NULL,
    proposal_id  TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    mark         TEXT NOT NULL,
    figure       TEXT,
    points       TEXT NOT NULL,
    comment      TEXT NOT NULL,
    unjudgeable  INTEGER NOT NULL CHECK (unjudgeable IN (0, 1)),
    reason       TEXT NOT NULL,
    PRIMARY KEY (result_id, proposal_id, item_id)
) WITHOUT ROWID;
CREATE TABLE decisions (
    decision_id  INTEGER PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES rounds(round_id),
    proposal_id  TEXT NOT NULL,
    table_id     TEXT NOT NULL,
    code         TEXT NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX decisions_by_proposal ON decisions(round_id, table_id, proposal_id, decision_id);
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    round_id   TEXT,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT,
    detail     TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_round ON audit(round_id, seq);
CREATE TRIGGER results_no_update BEFORE UPDATE ON results BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER results_no_delete BEFORE DELETE ON results BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER result_proposals_no_update BEFORE UPDATE ON result_proposals
    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER result_proposals_no_delete BEFORE DELETE ON result_proposals
    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER result_entries_no_update BEFORE UPDATE ON result_entries
    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER result_entries_no_delete BEFORE DELETE ON result_entries
    BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


@MIGRATIONS(name="0001_initial")
def m0001_initial(db: Database) -> None:
    # executescript() would COMMIT the migration's transaction; run statement by statement.
    for stmt in _split(_V1):
        db.conn.execute(stmt)


@MIGRATIONS(name="0002_signed_payload")
def m0002_signed_payload(db: Database) -> None:
    """``results.payload``: the payload exactly as the reviewer signed it (its SHA-256 is ``payload_digest``).

    Results imported from now on keep their entries there and no longer in ``result_entries``
    (writing 175 rows a result was most of an import's database time). Results imported
    before keep theirs in ``result_entries`` (``payload`` NULL); nothing is rewritten.
    """
    db.conn.execute("ALTER TABLE results ADD COLUMN payload BLOB")


#: Names of the known migrations, oldest first; the schema version is their count.
SCHEMA_VERSIONS: tuple[str, ...] = ("0001_initial", "0002_signed_payload")
