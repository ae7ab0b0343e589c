"""Opening the workspace database with the settings durability depends on.

Durability choice: WAL with ``synchronous=FULL``. In WAL mode NORMAL already survives a
killed process (committed frames are in the OS page cache and the WAL is replayed on
the next open), but it may lose the last commits on power loss or an OS crash, which is
exactly "the laptop dies mid-sentence". FULL fsyncs the WAL at every commit, so once a
recording service returns, the edit is on the disk. The cost is measured by the
workspace benchmark (edit-to-durable latency beside a bare sqlite3 upsert+commit).

The database holds every score and comment, so it is owner-only whatever the umask: the
file is created 0600 before SQLite opens it (SQLite gives its ``-wal`` and ``-shm`` files
the database file's permissions), and an older, wider file is narrowed on open.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SchemaTooNewError, StoreError
from .schema import SCHEMA_VERSIONS, applied_names

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000
OWNER_ONLY = 0o600


@dataclass
class Store:
    """One open workspace database; the lock serialises callers sharing it across threads.

    The services speak SQL through ``conn``. ``db`` (a sqlite-utils view of the same
    connection, for migrations and tests) is made on first use, so opening a store at
    start-up does not pay for importing sqlite-utils.
    """

    conn: sqlite3.Connection
    path: Path
    lock: threading.RLock = field(default_factory=threading.RLock)

    @cached_property
    def db(self) -> Database:
        return wrap_connection(self.conn)

    def close(self) -> None:
        self.conn.close()


def wrap_connection(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over ``conn``, without running third-party sqlite-utils plugins on our data."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


def _connect(path: Path) -> sqlite3.Connection:
    # check_same_thread=False: the GUI runs slow work (export) off the UI thread; Store.lock
    # keeps one statement sequence at a time.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA recursive_triggers=ON")  # as sqlite-utils' Database sets it, store-wide
    return conn


def enable_wal(conn: sqlite3.Connection) -> None:
    """Write-ahead logging (kept in the file once set; changing it needs no open transaction)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode=wal")


def open_store(path: str | Path, *, upgrade: bool = True) -> Store:
    """Open (creating or upgrading) the database at ``path``.

    ``upgrade=False`` exists for tests that need a database frozen at an older version.
    """
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _owner_only(p)
        conn = _connect(p)
        enable_wal(conn)
        conn.execute("PRAGMA synchronous=FULL")
        applied = _refuse_newer(conn)
        if upgrade and any(name not in applied for name in SCHEMA_VERSIONS):
            from .migrations import MIGRATIONS  # sqlite-utils only when there is something to apply

            MIGRATIONS.apply(wrap_connection(conn))
        if conn.execute("PRAGMA foreign_keys").fetchone()[0] != 1:
            raise StoreError("store.error")
    except sqlite3.DatabaseError as exc:
        raise StoreError("store.unusable", path=str(p), detail=str(exc)) from None
    except OSError as exc:  # the folder or file cannot be created or opened at all
        raise StoreError("store.unusable", path=str(p), detail=exc.strerror or str(exc)) from None
    return Store(conn, p)


def _owner_only(path: Path) -> None:
    """Create the database file 0600 (its WAL and SHM inherit that) and narrow existing files."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), OWNER_ONLY))
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if f.stat().st_mode & 0o077:
                os.chmod(f, OWNER_ONLY)
        except FileNotFoundError:
            pass


def _refuse_newer(conn: sqlite3.Connection) -> set[str]:
    """The applied migrations' names; a name this app does not know means a newer app wrote it."""
    applied = applied_names(conn)
    unknown = [name for name in applied if name not in SCHEMA_VERSIONS]
    if unknown:
        raise SchemaTooNewError(migration=unknown[-1])
    return set(applied)


def schema_version(store: Store) -> int:
    applied = set(applied_names(store.conn))
    return sum(1 for name in SCHEMA_VERSIONS if name in applied)


@contextmanager
def write_transaction(store: Store) -> Iterator[sqlite3.Connection]:
    """One durable write: ``BEGIN IMMEDIATE`` … ``COMMIT`` (fsynced, see module doc).

    IMMEDIATE takes the write lock before anything is read, so two processes on the same
    workspace (the GUI and a script) cannot both read the same audit head and fork the
    chain; the second waits up to the busy timeout instead.
    """
    with store.lock:
        conn = store.conn
        if conn.in_transaction:  # nested use would silently widen a transaction
            raise StoreError("store.error")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError("store.busy", detail=str(exc)) from None
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError("store.write_failed", detail=str(exc)) from None


def integrity_ok(store: Store) -> bool:
    rows = store.conn.execute("PRAGMA integrity_check").fetchall()
    return rows == [("ok",)]
