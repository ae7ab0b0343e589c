#!/usr/bin/env python3
"""Build the wheel, install it into a fresh virtual environment outside the checkout, run it.

    .venv/bin/python packaging/check_wheel.py [--keep]

1. ``python -m build --wheel`` with the interpreter running this script (``build`` is in the
   project's test extras);
2. a new virtual environment in a temporary folder, the wheel installed into it with its
   dependencies from the package index;
3. from that folder, with a scratch data folder and nothing of the checkout on ``sys.path``:
   the package is imported from the environment, ``reviewer-app --version`` prints the
   project's version, and ``reviewer-app selfcheck`` passes (offscreen).

Exit status 0 when all of it holds. Each step prints how long it took.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(msg: str) -> None:
    print(f"[check_wheel] {msg}", flush=True)


def project_version() -> str:
    tree = ast.parse((ROOT / "reviewer_app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit("reviewer_app/__init__.py defines no __version__")


def timed(what: str, cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    say(f"{what} …")
    started = time.monotonic()
    result = subprocess.run(cmd, text=True, check=False, **kwargs)
    say(f"{what}: exit status {result.returncode}, {time.monotonic() - started:.0f} s")
    return result


def check(tmp: Path) -> list[str]:
    """Runs every step; returns the problems found (empty when the wheel works)."""
    version = project_version()
    dist = tmp / "dist"
    if timed("python -m build --wheel", [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
             capture_output=True).returncode != 0:
        return ["the wheel did not build (is `build` installed? it is in the test extras)"]
    wheels = sorted(dist.glob("reviewer_app-*.whl"))
    if len(wheels) != 1 or f"-{version}-" not in wheels[0].name:
        return [f"expected one reviewer_app-{version} wheel, got {[w.name for w in wheels]}"]
    say(f"wheel: {wheels[0].name} ({wheels[0].stat().st_size / 1e6:.1f} MB)")

    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    if timed("pip install the wheel into a fresh environment",
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheels[0])]).returncode != 0:
        return ["the wheel did not install"]

    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "REVIEWER_APP"))}
    run_env.update(REVIEWER_APP_HOME=str(tmp / "home"), QT_QPA_PLATFORM="offscreen",
                   PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    command = shutil.which("reviewer-app", path=str(bindir))
    problems = []
    where = subprocess.run([str(python), "-c", "import reviewer_app; print(reviewer_app.__file__)"],
                           cwd=tmp, env=run_env, capture_output=True, text=True, check=False).stdout.strip()
    if not where.startswith(str(env_dir)):
        problems.append(f"reviewer_app was imported from {where!r}, not from the new environment")
    out = timed("reviewer-app --version", [command, "--version"], cwd=tmp, env=run_env, capture_output=True)
    if out.returncode != 0 or out.stdout.split() != ["reviewer-app", version]:
        problems.append(f"reviewer-app --version printed {out.stdout!r} {out.stderr[-500:]!r}")
    out = timed("reviewer-app selfcheck", [command, "selfcheck"], cwd=tmp, env=run_env, capture_output=True)
    print(out.stdout, end="", flush=True)
    if out.returncode != 0:
        problems.append(f"reviewer-app selfcheck failed (exit status {out.returncode}): {out.stderr[-2000:]}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="check_wheel.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="reviewer-app-wheel-check-"))
    try:
        problems = check(tmp)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    say(f"total {time.monotonic() - started:.0f} s")
    for p in problems:
        say(f"FAILED: {p}")
    if not problems:
        say("the wheel installs outside the checkout and passes its self-check")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
