"""Atomic writes: the old file or the new one, never a mix, and no temp file left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reviewer_app.core.atomic import atomic_output, remove_stale_temps, stale_temps, temp_path, write_atomically


def test_replaces_the_file_with_owner_only_permissions(tmp_path: Path):
    target = tmp_path / "result.rvb"
    target.write_bytes(b"old")
    write_atomically(target, b"new content")
    assert target.read_bytes() == b"new content"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stale_temps(target) == []


def test_a_failure_mid_write_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"good old sheet")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write(b"half a sheet")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"good old sheet"
    assert list(tmp_path.iterdir()) == [target]


def test_leftovers_of_a_killed_writer_are_found_and_removed(tmp_path: Path):
    target = tmp_path / "R01 [draft].rvb"  # glob metacharacters in the name
    leftover = temp_path(target).with_name(f".{target.name}.tmp-99999")
    leftover.write_bytes(b"partial")
    unrelated = tmp_path / ".other.rvb.tmp-1"
    unrelated.write_bytes(b"x")
    assert stale_temps(target) == [leftover]
    remove_stale_temps(target)
    assert not leftover.exists() and unrelated.exists()
