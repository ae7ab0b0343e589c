"""Crash safety: a worker killed by SIGKILL at random moments loses no acknowledged edit,
leaves an intact database whose history verifies, and never a partial result file.

Each kill comes after the worker acknowledged a random number of operations, plus a random
fraction of one operation's duration as measured on this machine (``harness.KillPlan``), so
every run is killed inside an operation however fast or loaded the machine is.

The run counts (200 edit runs and 30 export runs here; thousands with
``python -m tests.benchmarks --long crash``) can be raised with REVIEWER_APP_CRASH_RUNS.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment, secretariat_reads

from .harness import RUN_STRIDE, EditLedger, Zygote, check_store, kill_plans

EDIT_RUNS = int(os.environ.get("REVIEWER_APP_CRASH_RUNS", "200"))
EXPORT_RUNS = max(30, EDIT_RUNS // 6)


def _prepared(tmp_path: Path, home: Path, n: int = 3):
    built = make_assignment(tmp_path / "secretariat", n=n)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        rubric = ws.round_info(built.bundle_id).rubric
    items = [i.id for i in rubric.items]
    levels = [i.id for i in rubric.items if rubric.scale_of(i).kind == "level"]
    return built, items, levels


def test_acknowledged_edits_survive_sigkill_at_random_moments(zygote: Zygote, tmp_path: Path, _isolated_home: Path):
    home = _isolated_home
    built, items, levels = _prepared(tmp_path, home)
    ledger = EditLedger()
    rng = random.Random(20260401)
    events_before = check_store(home)
    plans = kill_plans(rng, EDIT_RUNS, most=8)
    for run_no, plan in enumerate(plans):
        run = zygote.run({"job": "edits", "home": str(home), "bundle": built.bundle_id, "start": run_no * RUN_STRIDE},
                         plan)
        ledger.acked.extend(int(a.split()[1]) for a in run.acks)
        check_store(home)  # integrity_check ok and the hash chain verifies
        ledger.check(home, built.bundle_id, list(built.proposal_ids), items, levels)
    print(f"edit runs: {EDIT_RUNS}, acknowledged edits: {len(ledger.acked)}, "
          f"killed during start-up: {sum(1 for p in plans if p.after == 0)}")
    assert check_store(home) >= events_before + len(ledger.acked)


def test_an_export_killed_at_random_moments_never_replaces_the_good_file(
    zygote: Zygote, tmp_path: Path, _isolated_home: Path
):
    home = _isolated_home
    built, _items, _levels = _prepared(tmp_path, home, n=2)
    with Workspace() as ws:
        grade_everything(ws, built.bundle_id, built.proposal_ids)
    out = home / "outbox" / "result.rvb"
    out.parent.mkdir()
    rng = random.Random(7)
    best_acked = 0
    completed = 0
    for plan in kill_plans(rng, EXPORT_RUNS, most=2, p_start=0.3):
        run = zygote.run({"job": "export", "home": str(home), "bundle": built.bundle_id, "out": str(out),
                          "passphrase": PASSPHRASE}, plan)
        for a in run.acks:
            best_acked = max(best_acked, int(a.split()[1]))
            completed += 1
        check_store(home)
        if best_acked:
            assert out.is_file(), "an acknowledged export disappeared"
        if out.exists():
            report = secretariat_reads(out, built)
            assert report.ok, f"the result file in place is not a complete, valid bundle: {report.outcome}"
            assert report.payload.revision >= best_acked
    print(f"export runs: {EXPORT_RUNS}, completed exports: {completed}")
    with Workspace() as ws:
        history = [h.revision for h in ws.export_history(built.bundle_id)]
        assert history == sorted(set(history))  # strictly increasing, never reused
        final = ws.export(built.bundle_id, out, PASSPHRASE, overwrite=True)
        assert final.revision > max(history, default=0)
    assert secretariat_reads(out, built).payload.revision == final.revision
    assert not [p.name for p in out.parent.iterdir() if p.name != out.name]  # no stale temp files left
