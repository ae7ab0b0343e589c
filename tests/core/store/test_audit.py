"""The audit hash chain: its exact hash (a second implementation must agree) and tamper detection."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from reviewer_app.core.errors import AuditChainError
from reviewer_app.core.store import GENESIS, Store, append_event, audit_head, open_store, verify_chain, write_transaction
from reviewer_app.core.store.audit import event_hash


def test_event_hash_matches_the_documented_construction():
    # docs/workspace.md: sha256("reviewer-app-audit-v1\n" + compact JSON array of the fields).
    fields = [1, "2026-01-10T09:00:00+00:00", "B1", "P001", "2-1", "entry.mark", None, "a", GENESIS]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256(b"reviewer-app-audit-v1\n" + text.encode("utf-8")).hexdigest()
    assert event_hash(*fields) == expected
    # A fixed vector, so the construction cannot drift silently.
    assert event_hash(1, "t", None, None, None, "bundle.added", None, "x", GENESIS) == (
        "3142d40240eee31d248c9f3b88cd237f5d4ab8f4448af262220b424a27dc61aa"
    )


def _store(tmp_path: Path, n: int = 5) -> Store:
    s = open_store(tmp_path / "w.db")
    for i in range(n):
        with write_transaction(s) as conn:
            append_event(conn, at=f"t{i}", field="entry.comment", old=None if i == 0 else f"v{i - 1}", new=f"v{i}",
                         bundle_id="B", proposal_id="P", item_id="2-1")
    return s


def test_the_chain_links_every_event_to_the_previous_one(tmp_path: Path):
    s = _store(tmp_path)
    rows = s.conn.execute("SELECT seq, prev_hash, hash FROM audit ORDER BY seq").fetchall()
    assert rows[0][1] == GENESIS
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, len(rows)))
    status = verify_chain(s.conn)
    assert status.events == 5 and status.head == rows[-1][2] == audit_head(s.conn)


def test_an_empty_log_has_the_genesis_head(tmp_path: Path):
    s = open_store(tmp_path / "w.db")
    assert verify_chain(s.conn).head == GENESIS == audit_head(s.conn)


def test_appending_outside_a_transaction_is_a_programming_error(tmp_path: Path):
    s = open_store(tmp_path / "w.db")
    with pytest.raises(AssertionError):
        append_event(s.conn, at="t", field="f", old=None, new="x")


def _tamper(s: Store, sql: str) -> None:
    s.conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    s.conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    s.conn.execute(sql)
    s.conn.commit()


@pytest.mark.parametrize(
    ("sql", "seq", "problem"),
    [
        ("UPDATE audit SET new_value = 'forged' WHERE seq = 3", 3, "hash"),
        ("UPDATE audit SET old_value = NULL WHERE seq = 2", 2, "hash"),
        ("DELETE FROM audit WHERE seq = 2", 2, "missing"),
        ("DELETE FROM audit WHERE seq = 1", 1, "missing"),
    ],
)
def test_any_edit_or_removal_of_history_is_detected(tmp_path: Path, sql: str, seq: int, problem: str):
    s = _store(tmp_path)
    _tamper(s, sql)
    with pytest.raises(AuditChainError) as err:
        verify_chain(s.conn)
    assert err.value.params == {"seq": seq, "problem": problem}


def test_rewriting_an_event_with_a_fresh_hash_breaks_the_next_link(tmp_path: Path):
    s = _store(tmp_path)
    at, prev = s.conn.execute("SELECT at, prev_hash FROM audit WHERE seq = 2").fetchone()
    forged = event_hash(2, at, "B", "P", "2-1", "entry.comment", "v0", "forged", prev)
    _tamper(s, f"UPDATE audit SET new_value = 'forged', hash = '{forged}' WHERE seq = 2")
    with pytest.raises(AuditChainError) as err:
        verify_chain(s.conn)
    assert err.value.params == {"seq": 3, "problem": "link"}


def test_a_failed_change_leaves_no_audit_event(tmp_path: Path):
    s = _store(tmp_path, 1)
    with pytest.raises(sqlite3.IntegrityError):
        with write_transaction(s) as conn:
            append_event(conn, at="t", field="entry.mark", old=None, new="a", bundle_id="B")
            conn.execute("INSERT INTO entries (bundle_id, proposal_id, item_id, updated_at) VALUES ('B','P','1','t')")
    assert verify_chain(s.conn).events == 1
