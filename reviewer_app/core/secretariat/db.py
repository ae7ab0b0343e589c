"""Opening the secretariat's database: the same durability settings and write transactions as the workspace.

The secretariat's data folder is ``<user data>/secretariat`` (``REVIEWER_APP_HOME`` moves it),
beside but apart from a reviewer's workspace on the same machine. WAL with
``synchronous=FULL``: a decision or an import acknowledged to the clerk is on the disk.
Long imports commit in batches (see ``services/secretariat/importing.py``): a batch is
all-or-nothing, so is each of its files, and the fsync cost is paid per batch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import SchemaTooNewError, StoreError
from ..store.db import BUSY_TIMEOUT_MS, Store, wrap_connection
from .migrations import MIGRATIONS, SCHEMA_VERSIONS

DB_NAME = "secretariat.sqlite3"


def open_secretariat_store(path: str | Path) -> Store:
    """Open (creating or upgrading) the secretariat database at ``path``; owner-only permissions."""
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not p.exists():
            p.touch(mode=0o600)
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        db = wrap_connection(conn)
        db.enable_wal()
        conn.execute("PRAGMA synchronous=FULL")
        unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in set(SCHEMA_VERSIONS)]
        if unknown:
            raise SchemaTooNewError(migration=unknown[-1])
        MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError("secretariat.store_unusable", path=str(p), detail=str(exc)) from None
    return Store(conn, p)
