"""Command-line start-up: each command beside the floor it cannot go below, in the same run.

- ``reviewer-app review grade …`` beside ``python -c "import sqlite_utils"`` (the store library
  every recording command needs). Goal (issue 11): at most 2×.
- ``reviewer-app rubric suggest 1-1 412`` beside ``python -c pass``. Goal: at most 12×.
- one proposal's 56 edits as 56 ``review grade``/``comment``/``figure`` commands (the session
  the issue measured at 66 s).

Commands run as fresh processes, alternately with their baselines, best of several runs;
ratios are given in wall time and in the child processes' CPU time, which the other
processes of a loaded machine disturb far less. Bytecode is cached in a temp folder (``PYTHONPYCACHEPREFIX``) and warmed first, as an
installed app has compiled bytecode; the checkout's folders are not touched.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPEAT = 7
Rows = list[tuple[str, float, str]]


def _env(home: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(REVIEWER_APP_HOME=str(home), PYTHONPYCACHEPREFIX=str(cache),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


def _app() -> list[str]:
    script = Path(sys.executable).with_name("reviewer-app")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reviewer_app"]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``argv`` as a fresh process."""
    t0, c0 = time.perf_counter(), _children_cpu()
    subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0, _children_cpu() - c0


def _best(commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) of each command, the commands run alternately ``REPEAT`` times."""
    wall = dict.fromkeys(commands, float("inf"))
    cpu = dict.fromkeys(commands, float("inf"))
    for _ in range(REPEAT):
        for name, argv in commands.items():
            w, c = _timed(argv, env)
            wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
    return {name: (wall[name], cpu[name]) for name in commands}


def _workspace(home: Path) -> tuple[str, list[str]]:
    """An unlocked assignment in ``home``; returns its id and the rubric's item ids."""
    old = os.environ.get("REVIEWER_APP_HOME")
    os.environ["REVIEWER_APP_HOME"] = str(home)
    try:
        from reviewer_app.services.workspace import Workspace
        from tests.workspace_fixtures import PASSPHRASE, make_assignment

        built = make_assignment(home.parent / "secretariat", n=3)
        with Workspace() as ws:
            ws.add_bundle(built.path)
            ws.unlock(built.bundle_id, PASSPHRASE)
            items = [i.id for i in ws.round_info(built.bundle_id).rubric.items]
        return built.bundle_id, items
    finally:
        if old is None:
            os.environ.pop("REVIEWER_APP_HOME", None)
        else:
            os.environ["REVIEWER_APP_HOME"] = old


def bench_cli() -> Rows:
    with tempfile.TemporaryDirectory(prefix="reviewer-bench-cli-") as tmp:
        home, cache = Path(tmp) / "app", Path(tmp) / "pycache"
        bundle, items = _workspace(home)
        env = _env(home, cache)
        app = _app()
        grade = [*app, "review", "grade", bundle[:8], "P001", "2-1"]
        py = sys.executable
        for warm in ([*grade, "a"], [*app, "rubric", "suggest", "1-1", "412"], [py, "-c", "import sqlite_utils"]):
            _timed(warm, env)  # compile and cache the bytecode once
        best = _best({
            "grade_a": [*grade, "a"], "grade_b": [*grade, "b"],  # each run really changes the grade
            "import_sqlite_utils": [py, "-c", "import sqlite_utils"],
            "suggest": [*app, "rubric", "suggest", "1-1", "412"],
            "python_pass": [py, "-c", "pass"],
        }, env)
        grade_w, grade_c = (min(a, b) for a, b in zip(best["grade_a"], best["grade_b"]))
        floor_w, floor_c = best["import_sqlite_utils"]
        suggest_w, suggest_c = best["suggest"]
        pass_w, pass_c = best["python_pass"]
        session: list[list[str]] = []
        for k, item in enumerate(items):
            session.append([*app, "review", "grade", bundle[:8], "P002", item, "b" if k >= 5 else "3"])
            session.append([*app, "review", "comment", bundle[:8], "P002", item, f"所見 {k}"])
        session += [[*app, "review", "figure", bundle[:8], "P002", item, "400"] for item in items[:5]]
        session = session[:56]
        t0 = time.perf_counter()
        for argv in session:
            _timed(argv, env)
        whole = time.perf_counter() - t0
    return [
        ("cli.review_grade", grade_w * 1000, "ms"),
        ("cli.python_import_sqlite_utils", floor_w * 1000, "ms"),
        ("cli.ratio_grade_to_import_sqlite_utils", grade_w / floor_w, "x"),
        ("cli.ratio_grade_to_import_sqlite_utils.cpu", grade_c / floor_c, "x"),
        ("cli.rubric_suggest", suggest_w * 1000, "ms"),
        ("cli.python_pass", pass_w * 1000, "ms"),
        ("cli.ratio_suggest_to_python_pass", suggest_w / pass_w, "x"),
        ("cli.ratio_suggest_to_python_pass.cpu", suggest_c / pass_c, "x"),
        ("cli.one_proposal_56_edits", whole, "s"),
    ]


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "cli", bench_cli
