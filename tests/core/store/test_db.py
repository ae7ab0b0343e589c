"""Opening the store: durability settings, constraints, versions and the v1 → current upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from reviewer_app.core.errors import SchemaTooNewError, StoreError
from reviewer_app.core.store import MIGRATIONS, SCHEMA_VERSIONS, integrity_ok, open_store, verify_chain
from reviewer_app.core.store.db import schema_version

V1_FIXTURE = Path(__file__).parent / "fixtures" / "workspace-v1.sql"
V1_BUNDLE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def _load_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_FIXTURE.read_text(encoding="utf-8"))
    conn.close()


def test_a_new_store_uses_wal_full_sync_and_foreign_keys(tmp_path: Path):
    s = open_store(tmp_path / "w.db")
    pragma = {p: s.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("journal_mode", "synchronous", "foreign_keys")}
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}  # 2 = FULL
    assert schema_version(s) == len(SCHEMA_VERSIONS) and integrity_ok(s)


def test_foreign_keys_refuse_an_entry_for_a_proposal_that_does_not_exist(tmp_path: Path):
    s = open_store(tmp_path / "w.db")
    with pytest.raises(sqlite3.IntegrityError):
        s.conn.execute("INSERT INTO entries (bundle_id, proposal_id, item_id, updated_at) VALUES ('x','y','2-1','t')")


def test_the_audit_table_refuses_updates_and_deletes(tmp_path: Path):
    s = open_store(tmp_path / "w.db")
    s.conn.execute("INSERT INTO audit (seq, at, field, prev_hash, hash) VALUES (1, 't', 'f', 'p', 'h')")
    for sql in ("UPDATE audit SET field = 'g'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            s.conn.execute(sql)


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path):
    path = tmp_path / "w.db"
    s = open_store(path)
    s.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, '0099_future', 'x')",
                   (MIGRATIONS.name,))
    s.conn.commit()
    s.close()
    with pytest.raises(SchemaTooNewError):
        open_store(path)


def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path: Path):
    path = tmp_path / "w.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert err.value.code == "store.unusable"


def test_the_released_v1_migration_still_builds_the_v1_fixture_schema(tmp_path: Path):
    """Editing a released migration would leave old databases behind: the schema must not drift."""
    fresh = tmp_path / "fresh.db"
    db = Database(sqlite3.connect(fresh))
    MIGRATIONS.apply(db, stop_before=SCHEMA_VERSIONS[1])
    _load_v1(tmp_path / "fixture.db")

    def schema(p: Path) -> list[tuple[str, str]]:
        c = sqlite3.connect(p)
        rows = c.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").fetchall()
        c.close()
        return [(n, " ".join(s.split()).replace('"', "")) for n, s in rows]

    assert schema(fresh) == schema(tmp_path / "fixture.db")


def test_a_v1_database_upgrades_on_open_and_keeps_everything(tmp_path: Path):
    path = tmp_path / "w.db"
    _load_v1(path)
    s = open_store(path)
    assert schema_version(s) == len(SCHEMA_VERSIONS)
    assert integrity_ok(s)
    assert verify_chain(s.conn).events == 9
    marks = dict(s.conn.execute("SELECT item_id, mark FROM entries WHERE proposal_id = 'P001'").fetchall())
    assert marks == {"2-1": "a", "2-2": "b", "1-1": "4"}
    # v2 added the audit head of each export; exports made under v1 simply do not know it.
    assert s.conn.execute("SELECT revision, audit_head FROM exports").fetchall() == [(1, None)]
    assert "idx_audit_bundle" in {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    s.close()
    # Opening again is a no-op: nothing re-applied, nothing lost.
    again = open_store(path)
    assert schema_version(again) == len(SCHEMA_VERSIONS) and verify_chain(again.conn).events == 9


def test_the_workspace_carries_on_where_a_v1_database_left_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from reviewer_app.services.workspace import ProposalStatus, Workspace
    from reviewer_app.services.workspace.base import DB_NAME

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("REVIEWER_APP_HOME", str(home))
    _load_v1(home / DB_NAME)
    with Workspace() as ws:
        status = {r.proposal_id: r.status for r in ws.proposals(V1_BUNDLE)}
        assert status == {"P001": ProposalStatus.IN_PROGRESS, "P002": ProposalStatus.CONFLICT}
        assert ws.note(V1_BUNDLE, "P001") == "要確認"
        assert not ws.changed_since_export(V1_BUNDLE)  # nothing changed after the v1 export
        ws.record_comment(V1_BUNDLE, "P001", "2-2", "計画は妥当")
        assert ws.changed_since_export(V1_BUNDLE)
        assert [h.revision for h in ws.export_history(V1_BUNDLE)] == [1]
        assert ws.verify_audit().events == 10


def test_the_version_list_names_every_migration_in_order(tmp_path: Path):
    """The start-up check reads SCHEMA_VERSIONS; a migration missing from it would never be applied."""
    db = Database(sqlite3.connect(tmp_path / "empty.db"))
    assert tuple(m.name for m in MIGRATIONS.pending(db)) == SCHEMA_VERSIONS


def test_opening_an_up_to_date_store_does_not_load_sqlite_utils(tmp_path: Path):
    """Start-up cost: sqlite-utils (and its plugin scan) is loaded only when a migration is pending."""
    import subprocess
    import sys

    path = tmp_path / "w.db"
    open_store(path).close()
    code = (
        "import sys\n"
        "from reviewer_app.core.store.db import open_store, schema_version\n"
        f"s = open_store({str(path)!r})\n"
        "print(schema_version(s), 'sqlite_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(SCHEMA_VERSIONS)), "False"]
    code_new = code.replace(repr(str(path)), repr(str(tmp_path / "new.db")))
    out = subprocess.run([sys.executable, "-c", code_new], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(SCHEMA_VERSIONS)), "True"]  # a new store is built by the migrations
