"""The reviewer's workspace: edit-to-durable latency, a 100-proposal export, kill -9 runs.

Latency is measured beside a bare ``sqlite3`` upsert + commit with the same durability
settings (WAL, synchronous=FULL) in the same folder and run, so the figure shows what the
service adds (checks, audit event, hash chain) over the disk's own fsync cost.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ._util import best_of, percentiles

EDITS = 2000
Rows = list[tuple[str, float, str]]


@contextmanager
def _fresh_home() -> Iterator[Path]:
    """A data folder and an in-memory keyring of our own (never the developer's real keyring)."""
    from tests.workspace_fixtures import MemoryKeyring

    old = os.environ.get("REVIEWER_APP_HOME")
    home = Path(tempfile.mkdtemp(prefix="reviewer-bench-ws-"))
    os.environ["REVIEWER_APP_HOME"] = str(home / "app")
    MemoryKeyring.install()
    try:
        yield home
    finally:
        MemoryKeyring.remove()
        if old is None:
            os.environ.pop("REVIEWER_APP_HOME", None)
        else:
            os.environ["REVIEWER_APP_HOME"] = old


def _ready(home: Path, n: int):
    from reviewer_app.services.workspace import Workspace
    from tests.workspace_fixtures import PASSPHRASE, make_assignment

    built = make_assignment(home / "secretariat", n=n)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    return ws, built


def _timed(fn: Callable[[int], object], n: int) -> list[float]:
    samples = []
    for k in range(n):
        t0 = time.perf_counter()
        fn(k)
        samples.append(time.perf_counter() - t0)
    return samples


def bench_edit_latency() -> Rows:
    with _fresh_home() as home:
        ws, built = _ready(home, 5)
        items = [i.id for i in ws.round_info(built.bundle_id).rubric.items]
        pids = list(built.proposal_ids)

        def edit(k: int) -> None:
            ws.record_comment(built.bundle_id, pids[k % len(pids)], items[k % len(items)], f"所見 {k}")

        svc = _timed(edit, EDITS)
        ws.close()

        conn = sqlite3.connect(home / "bare.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE e (p TEXT, i TEXT, comment TEXT, PRIMARY KEY (p, i))")

        def bare(k: int) -> None:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO e VALUES (?,?,?) ON CONFLICT (p, i) DO UPDATE SET comment = excluded.comment",
                         (pids[k % len(pids)], items[k % len(items)], f"所見 {k}"))
            conn.execute("COMMIT")

        raw = _timed(bare, EDITS)
        conn.close()
    s_med, s_p99 = percentiles(svc)
    r_med, r_p99 = percentiles(raw)
    return [
        ("workspace.edit_to_durable.median", s_med * 1000, "ms"),
        ("workspace.edit_to_durable.p99", s_p99 * 1000, "ms"),
        ("sqlite3.bare_upsert_commit_full.median", r_med * 1000, "ms"),
        ("sqlite3.bare_upsert_commit_full.p99", r_p99 * 1000, "ms"),
    ]


def bench_export_100() -> Rows:
    with _fresh_home() as home:
        ws, built = _ready(home, 100)
        b = built.bundle_id
        rubric = ws.round_info(b).rubric
        for pid in built.proposal_ids:  # grades that need no comment: nothing blocks
            for item in rubric.items:
                ws.record_grade(b, pid, item.id, rubric.scale_of(item).codes[1])
        from tests.workspace_fixtures import PASSPHRASE

        out = home / "result.rvb"
        t = best_of(lambda: ws.export(b, out, PASSPHRASE), 3)
        size = out.stat().st_size
        ws.close()
    return [("workspace.export_100_proposals", t * 1000, "ms"), ("workspace.export_100_proposals.size", size / 1024, "KiB")]


def bench_crash(edit_runs: int, export_runs: int) -> Callable[[], Rows]:
    def run() -> Rows:
        from tests.crash.harness import RUN_STRIDE, EditLedger, Zygote, check_store, kill_plans
        from tests.workspace_fixtures import PASSPHRASE, grade_everything, secretariat_reads

        with _fresh_home() as home:
            app = Path(os.environ["REVIEWER_APP_HOME"])
            ws, built = _ready(home, 3)
            rubric = ws.round_info(built.bundle_id).rubric
            items = [i.id for i in rubric.items]
            levels = [i.id for i in rubric.items if rubric.scale_of(i).kind == "level"]
            grade_everything(ws, built.bundle_id, built.proposal_ids)
            ws.close()
            z = Zygote(home / "child-stderr.txt")
            rng = random.Random(1)
            ledger = EditLedger()
            t0 = time.perf_counter()
            for n, plan in enumerate(kill_plans(rng, edit_runs, most=8)):
                r = z.run({"job": "edits", "home": str(app), "bundle": built.bundle_id, "start": n * RUN_STRIDE}, plan)
                ledger.acked.extend(int(a.split()[1]) for a in r.acks)
                check_store(app)
                ledger.check(app, built.bundle_id, list(built.proposal_ids), items, levels)
            out = home / "result.rvb"
            exports = 0
            for plan in kill_plans(rng, export_runs, most=2, p_start=0.3):
                r = z.run({"job": "export", "home": str(app), "bundle": built.bundle_id, "out": str(out),
                           "passphrase": PASSPHRASE}, plan)
                exports += len(r.acks)
                check_store(app)
                if out.exists():
                    assert secretariat_reads(out, built).ok, "partial result file in place"
            elapsed = time.perf_counter() - t0
            z.close()
        return [
            ("crash.sigkill_edit_runs", edit_runs, "runs"),
            ("crash.acknowledged_edits_verified", len(ledger.acked), "edits"),
            ("crash.sigkill_export_runs", export_runs, "runs"),
            ("crash.exports_completed_between_kills", exports, "exports"),
            ("crash.total_time", elapsed, "s"),
        ]

    return run


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "workspace.edit_latency", bench_edit_latency
    yield "workspace.export", bench_export_100
    yield "crash", bench_crash(1000, 200) if long else bench_crash(200, 30)
