"""Driving the crash child and checking the workspace after every kill (tests and benchmark)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reviewer_app.core.store import integrity_ok, open_store, verify_chain
from reviewer_app.services.workspace.base import DB_NAME

from .child import edit_value

ROOT = Path(__file__).resolve().parents[2]
#: Edit numbers of run n start at n × RUN_STRIDE, so values stay unique across runs (a run
#: lasts well under a second, far from 100,000 edits) and figures stay below scoring.MAX_FIGURE
#: even for the benchmark's thousands of runs.
RUN_STRIDE = 100_000


@dataclass
class Run:
    pid: int
    acks: list[str]
    killed: bool


class Zygote:
    """One long-lived child process; each ``run`` forks a worker and kills it after ``delay`` s."""

    def __init__(self, stderr_path: Path) -> None:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        self._stderr: IO[bytes] = stderr_path.open("wb")
        self.stderr_path = stderr_path
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.child"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
        )

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if not line:
            raise RuntimeError(f"crash child died: {self.stderr_path.read_text(errors='replace')[-2000:]}")
        return line.strip()

    def run(self, job: dict[str, Any], delay: float) -> Run:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        acks: list[str] = []
        line = self._line()
        while not line.startswith("pid "):
            acks.append(line)
            line = self._line()
        pid = int(line.split()[1])
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        line = self._line()
        while not line.startswith("done "):
            acks.append(line)
            line = self._line()
        status = int(line.split()[2])
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        if not killed:
            raise AssertionError(f"worker ended on its own (status {status}): "
                                 f"{self.stderr_path.read_text(errors='replace')[-2000:]}")
        return Run(pid, [a for a in acks if a.startswith("ack ")], killed)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self._stderr.close()


def check_store(home: Path) -> int:
    """After a kill: the database is intact and its history verifies. Returns the event count."""
    store = open_store(home / DB_NAME)
    try:
        assert integrity_ok(store), "PRAGMA integrity_check failed"
        return verify_chain(store.conn).events
    finally:
        store.close()


@dataclass
class EditLedger:
    """Every acknowledged edit, to be found in the database after any kill."""

    acked: list[int] = field(default_factory=list)

    def check(self, home: Path, bundle: str, pids: list[str], items: list[str], level_items: list[str]) -> None:
        store = open_store(home / DB_NAME)
        try:
            audited = {r[0] for r in store.conn.execute("SELECT new_value FROM audit WHERE bundle_id = ?", (bundle,))}
            comments = {(p, i): c for p, i, c in store.conn.execute(
                "SELECT proposal_id, item_id, comment FROM entries WHERE bundle_id = ?", (bundle,))}
            figures = {(p, i): f for p, i, f in store.conn.execute(
                "SELECT proposal_id, item_id, figure FROM entries WHERE bundle_id = ?", (bundle,))}
            notes = dict(store.conn.execute("SELECT proposal_id, text FROM notes WHERE bundle_id = ?", (bundle,)))
        finally:
            store.close()
        latest: dict[tuple[str, str, str], int] = {}
        for k in self.acked:
            kind, p, i, value = edit_value(k)
            assert value in audited, f"acknowledged edit {k} ({kind}) missing from the audit log"
            pid = pids[p % len(pids)]
            cell = (kind, pid, items[i % len(items)] if kind == "comment" else
                    level_items[i % len(level_items)] if kind == "figure" else "")
            latest[cell] = max(latest.get(cell, -1), k)
        for (kind, pid, item), k in latest.items():
            stored = (comments.get((pid, item)) if kind == "comment" else
                      notes.get(pid) if kind == "note" else figures.get((pid, item)))
            assert stored is not None, f"acknowledged edit {k} lost"
            number = int(stored.lstrip("cn"))
            # A later edit may have committed without its ack reaching us; an earlier one may not win.
            assert number >= k, f"acknowledged edit {k} overwritten by older {number}"


def random_delays(rng: random.Random, n: int, longest: float) -> list[float]:
    """Kill moments spread from "before the store is open" to "deep in the loop"."""
    return [rng.random() ** 2 * longest for _ in range(n)]
