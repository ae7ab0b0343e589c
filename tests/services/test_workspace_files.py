"""The workspace's files are owner-only: the database with its WAL and SHM, and the log folder."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.core.store import open_store
from reviewer_app.paths import user_data_dir
from reviewer_app.services.workspace import Workspace


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def wide_umask():
    old = os.umask(0o022)  # what most desktops use: new files readable by everyone
    try:
        yield
    finally:
        os.umask(old)


def test_database_wal_and_shm_are_owner_only_whatever_the_umask(wide_umask):
    with Workspace() as ws:  # creating the schema writes the WAL
        db = ws.store.path
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        assert all(f.exists() for f in files)  # WAL mode: all three exist while it is open
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_an_older_readable_database_is_narrowed_when_opened(tmp_path, wide_umask):
    db = tmp_path / "old.sqlite3"
    open_store(db).close()
    os.chmod(db, 0o644)
    store = open_store(db)
    try:
        assert mode(db) == 0o600
    finally:
        store.close()


def test_the_log_folder_and_log_file_are_owner_only(wide_umask, capsys):
    root = logging.getLogger("reviewer_app")
    saved = list(root.handlers)
    for h in saved:
        root.removeHandler(h)
    folder = user_data_dir() / "logs"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    try:
        assert main(["review", "list"]) == 0
        logging.getLogger("reviewer_app").error("a line, so the file exists")
        log_files = list(folder.iterdir())
        assert mode(folder) == 0o700 and log_files and all(mode(f) == 0o600 for f in log_files)
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
            h.close()
        for h in saved:
            root.addHandler(h)
