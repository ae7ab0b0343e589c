"""Smaller rules the GUI relies on: deadlines, two writers on one workspace, errors across threads."""

from __future__ import annotations

import pickle
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewer_app.core.errors import ExportBlockedError
from reviewer_app.services.workspace import Workspace
from reviewer_app.services.workspace.base import deadline_passed
from tests.workspace_fixtures import PASSPHRASE, make_assignment


def test_a_date_only_deadline_lasts_to_the_end_of_that_day_in_japan():
    assert not deadline_passed("2026-03-31", datetime(2026, 3, 31, 14, 59, tzinfo=UTC))  # 23:59 JST
    assert deadline_passed("2026-03-31", datetime(2026, 3, 31, 15, 0, tzinfo=UTC))  # 24:00 JST
    assert deadline_passed("2026-03-31T12:00:00+09:00", datetime(2026, 3, 31, 3, 0, tzinfo=UTC))
    assert not deadline_passed("not a date", datetime(2030, 1, 1, tzinfo=UTC))  # unreadable: never blocks


def test_two_workspaces_writing_at_once_keep_one_valid_history(tmp_path: Path):
    built = make_assignment(tmp_path / "sec", n=2)
    with Workspace() as first:
        first.add_bundle(built.path)
        first.unlock(built.bundle_id, PASSPHRASE)
    a, b = Workspace(), Workspace()  # e.g. the GUI and a script

    def write(ws: Workspace, pid: str) -> None:
        for k in range(60):
            ws.record_comment(built.bundle_id, pid, "2-1", f"{pid}-{k}")

    threads = [threading.Thread(target=write, args=(a, "P001")), threading.Thread(target=write, args=(b, "P002"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    status = a.verify_audit()
    assert status.events == 2 + 120  # added, unlocked, and every edit of both writers
    assert a.entries(built.bundle_id, "P002")["2-1"].comment == "P002-59"
    a.close()
    b.close()


def test_an_export_refusal_crosses_a_worker_boundary_intact(tmp_path: Path):
    built = make_assignment(tmp_path / "sec", n=1)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        with pytest.raises(ExportBlockedError) as err:
            ws.export(built.bundle_id, tmp_path / "r.rvb", PASSPHRASE)
        back = pickle.loads(pickle.dumps(err.value))
        assert back.params["count"] == 14 and back.params["findings"] == err.value.params["findings"]
