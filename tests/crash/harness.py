"""Driving the crash child and checking the workspace after every kill (tests and benchmark).

Kill moments are chosen relative to the worker's own progress, never as fixed wall-clock
windows: a run is killed after the worker has acknowledged ``k`` operations (``k`` random),
plus a random fraction of the duration one operation takes on this machine, measured in
the same session (the time between acknowledgements; for ``k = 0`` the time from start to
the first one). So on a fast or a loaded machine alike, every run ends with a kill at a
random point inside an operation: opening the store, an edit, or an export's signing,
writing, renaming or recording.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise
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


@dataclass(frozen=True)
class KillPlan:
    """Kill after ``after`` acknowledgements, then ``fraction`` of one operation's measured duration."""

    after: int
    fraction: float


def kill_plans(rng: random.Random, n: int, most: int, p_start: float = 0.2) -> list[KillPlan]:
    """``n`` plans: with probability ``p_start`` during start-up and the first operation, else after 1…``most`` acks.

    The first plan always waits for one acknowledgement, so the durations are measured before
    a plan needs them.
    """
    plans = []
    for i in range(n):
        after = 0 if i and rng.random() < p_start else rng.randint(1, most)
        plans.append(KillPlan(after, rng.random()))
    return plans


class Zygote:
    """One long-lived child process; each ``run`` forks a worker and kills it as a ``KillPlan`` says."""

    def __init__(self, stderr_path: Path) -> None:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        self._stderr: IO[bytes] = stderr_path.open("wb")
        self.stderr_path = stderr_path
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.child"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
        )
        #: Measured durations by job kind: from start to the first ack, and between acks.
        self.first: dict[str, deque[float]] = {}
        self.between: dict[str, deque[float]] = {}

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        if not line:
            raise RuntimeError(f"crash child died: {self.stderr_path.read_text(errors='replace')[-2000:]}")
        return line.strip()

    def run(self, job: dict[str, Any], plan: KillPlan) -> Run:
        """Start a worker on ``job`` and SIGKILL it as ``plan`` says (see the module doc)."""
        assert self.proc.stdin is not None
        kind = job["job"]
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        line = self._line()
        while not line.startswith("pid "):
            line = self._line()
        pid = int(line.split()[1])
        started = time.monotonic()
        acks: list[str] = []
        times: list[float] = []
        try:
            while len(acks) < plan.after:
                line = self._line()
                if line.startswith("done "):
                    self._ended_on_its_own(line)
                acks.append(line)
                times.append(time.monotonic())
            time.sleep(plan.fraction * self._duration(kind, started, times))
        finally:
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
            self._ended_on_its_own(line)
        if times:
            self.first.setdefault(kind, deque(maxlen=50)).append(times[0] - started)
            self.between.setdefault(kind, deque(maxlen=200)).extend(b - a for a, b in pairwise(times))
        return Run(pid, [a for a in acks if a.startswith("ack ")], killed)

    def _duration(self, kind: str, started: float, times: list[float]) -> float:
        """How long the operation the worker is now in takes here: the median of what earlier runs
        measured, or what this run has shown so far (its first plan waits for an ack)."""
        if not times:
            measured = list(self.first.get(kind, ()))
        else:
            measured = list(self.between.get(kind, ())) or [b - a for a, b in pairwise(times)] or [times[0] - started]
        if not measured:
            raise AssertionError("the first kill plan must wait for an acknowledgement, to measure a duration")
        return statistics.median(measured)

    def _ended_on_its_own(self, done_line: str) -> None:
        raise AssertionError(f"worker ended on its own ({done_line}): "
                             f"{self.stderr_path.read_text(errors='replace')[-2000:]}")

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

