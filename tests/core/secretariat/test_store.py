"""The secretariat's database: owner-only, versioned, results and decisions append-only, the audit chain tamper-evident."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from reviewer_app.core.errors import AuditChainError, SchemaTooNewError
from reviewer_app.core.secretariat import audit
from reviewer_app.core.secretariat.db import open_secretariat_store
from reviewer_app.core.store import write_transaction


def test_created_owner_only_with_the_current_schema(tmp_path):
    store = open_secretariat_store(tmp_path / "s" / "secretariat.sqlite3")
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"rounds", "proposals", "reviewers", "assignments", "conflicts", "issued", "results", "result_proposals",
            "result_entries", "decisions", "audit"} <= tables
    assert "payload" in {r[1] for r in store.conn.execute("PRAGMA table_info(results)")}
    store.close()


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    store = open_secretariat_store(tmp_path / "db.sqlite3")
    store.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                       " VALUES ('reviewer_app.secretariat', '0099_future', '2030-01-01')")
    store.conn.commit()
    store.close()
    with pytest.raises(SchemaTooNewError):
        open_secretariat_store(tmp_path / "db.sqlite3")


@pytest.mark.parametrize("sql", [
    "UPDATE results SET revision = 9", "UPDATE results SET payload = x'00'", "DELETE FROM results", "DELETE FROM result_entries",
    "UPDATE result_entries SET mark = 'a'", "DELETE FROM decisions", "UPDATE decisions SET code = '○'",
    "DELETE FROM audit", "UPDATE audit SET actor = 'x'",
])
def test_history_cannot_be_rewritten(tmp_path, sql):
    store = open_secretariat_store(tmp_path / "db.sqlite3")
    c = store.conn
    with write_transaction(store) as conn:
        conn.execute("INSERT INTO rounds VALUES ('R', 't', NULL, 'ja', 'r', 'd', x'00', '{}', '{}', '.', 'a', 'a')")
        conn.execute("INSERT INTO issued (bundle_id, round_id, reviewer_id, reviewer_name, rubric_digest, proposal_ids,"
                     " band_targets, file_name, file_digest, issued_at) VALUES ('b', 'R', 'r', 'n', 'd', '[]', '{}', 'f', 'x', 'a')")
        conn.execute("INSERT INTO results (round_id, bundle_id, reviewer_id, revision, payload_digest, file_digest,"
                     " source_name, reviewer_key, created_at, started_at, audit_digest, justification, imported_at)"
                     " VALUES ('R', 'b', 'r', 1, 'p', 'f', 's', 'k', 'c', 's', 'a', '', 'i')")
        conn.execute("INSERT INTO result_entries VALUES (1, 'P', '1-1', '3', NULL, '30', '', 0, '')")
        conn.execute("INSERT INTO decisions (round_id, proposal_id, table_id, code, note, recorded_by, recorded_at)"
                     " VALUES ('R', 'P', 'table1', '×', '', 'me', 'now')")
        audit.record(conn, at="now", actor="me", action="test", round_id="R")
    with pytest.raises(sqlite3.DatabaseError):
        c.execute(sql)
    store.close()


def test_a_chain_appends_many_events_in_one_transaction_linked_as_one_by_one(tmp_path):
    store = open_secretariat_store(tmp_path / "db.sqlite3")
    with write_transaction(store) as conn:
        audit.record(conn, at="t0", actor="事務局", action="round.created", round_id="R")
    with write_transaction(store) as conn:
        chain = audit.Chain(conn)
        for n in range(1, 4):
            chain.record(at=f"t{n}", actor="事務局", action="result.imported", round_id="R", detail={"n": n})
        # One event rolled back to its savepoint after it was written: the chain reads the head again.
        conn.execute("SAVEPOINT lost")
        chain.record(at="t-lost", actor="事務局", action="result.imported", round_id="R")
        conn.execute("ROLLBACK TO lost")
        conn.execute("RELEASE lost")
        chain = audit.Chain(conn)  # the rolled-back event is not in the log: the head is read again
        chain.record(at="t4", actor="事務局", action="result.imported", round_id="R")
    with write_transaction(store) as conn:
        audit.record(conn, at="t5", actor="事務局", action="decision.recorded", round_id="R")
    assert audit.verify(store.conn)[0] == 6
    assert [e.at for e in audit.events(store.conn)] == ["t0", "t1", "t2", "t3", "t4", "t5"]
    store.close()


def test_an_edited_audit_event_breaks_the_chain(tmp_path):
    store = open_secretariat_store(tmp_path / "db.sqlite3")
    with write_transaction(store) as conn:
        for n in range(3):
            audit.record(conn, at=f"t{n}", actor="事務局", action="decision.recorded", round_id="R", detail={"n": n})
    assert audit.verify(store.conn)[0] == 3
    store.conn.execute("DROP TRIGGER audit_no_update")  # someone with the file and sqlite3 at hand
    store.conn.execute("UPDATE audit SET detail = '{\"n\":9}' WHERE seq = 2")
    store.conn.commit()
    with pytest.raises(AuditChainError) as exc:
        audit.verify(store.conn)
    assert exc.value.params == {"seq": 2, "problem": "hash"}
    store.close()


def test_results_imported_before_schema_2_keep_their_entries_and_stay_readable(tmp_path, rubric):
    """0002 adds the signed payload beside the old entry rows; nothing is rewritten, both kinds are read."""
    from decimal import Decimal

    from sqlite_utils import Database

    from reviewer_app.core.secretariat import results_repo
    from reviewer_app.core.secretariat.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0002_signed_payload")
    c = db.conn
    c.execute("INSERT INTO rounds VALUES ('R', 't', NULL, 'ja', 'r', 'd', x'00', '{}', '{}', '.', 'a', 'a')")
    c.execute("INSERT INTO issued (bundle_id, round_id, reviewer_id, reviewer_name, rubric_digest, proposal_ids,"
              " band_targets, file_name, file_digest, issued_at) VALUES ('b', 'R', 'r', 'n', 'd', '[\"P\"]', '{}', 'f', 'x', 'a')")
    c.execute("INSERT INTO results (round_id, bundle_id, reviewer_id, revision, payload_digest, file_digest,"
              " source_name, reviewer_key, created_at, started_at, audit_digest, justification, imported_at)"
              " VALUES ('R', 'b', 'r', 1, 'p', 'f', 's', 'k', 'c', 's', 'a', '', 'i')")
    c.execute("INSERT INTO result_proposals VALUES (1, 'P', 0, '', '70', '{\"1\": \"70\"}', NULL, 0)")
    c.execute("INSERT INTO result_entries VALUES (1, 'P', '1-1', '3', '412', '30', '所見', 0, '')")
    c.execute("INSERT INTO result_entries VALUES (1, 'P', '1-4', 'a', NULL, '20', '優れている', 0, '')")
    c.execute("UPDATE issued SET current_result = 1, current_revision = 1 WHERE bundle_id = 'b'")
    c.commit()
    db.close()

    store = open_secretariat_store(path)
    assert store.conn.execute("SELECT payload FROM results").fetchone() == (None,)
    (review,) = results_repo.current_reviews(store.conn, "R", rubric)
    assert [(e.item_id, e.mark, e.figure, e.points, e.comment) for e in review.entries] == [
        ("1-1", "3", Decimal("412"), Decimal("30"), "所見"), ("1-4", "a", None, Decimal("20"), "優れている")]
    store.close()
