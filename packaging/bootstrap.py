#!/usr/bin/env python3
"""One command to set up and launch the app, or set up and run the whole test suite.

    python3 packaging/bootstrap.py launch [app arguments]   # the demo round in a window
    python3 packaging/bootstrap.py test   [pytest arguments]

Standard library only, so it runs on a fresh Debian machine with nothing but Python 3.11:
it installs the few system libraries Qt needs (with apt-get when run as root, otherwise it
prints the exact command), creates ``.venv`` beside the project, installs the project into
it (again only when pyproject.toml changed), and runs the app or pytest. ``.ci/run`` calls
the ``test`` form, so CI runs exactly what the README tells a developer to run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Shared libraries PySide6 loads, and the Debian packages that provide them.
QT_CORE_LIBS = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libxkbcommon.so.0": "libxkbcommon0",
}
# Only for a real window on X11 (the tests run offscreen).
QT_XCB_LIBS = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
# A Japanese TrueType font: the GUI needs one to show Japanese, the score sheets embed it.
FONT_FILES = {
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf": "fonts-ipaexfont-gothic",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf": "fonts-ipaexfont-mincho",
}


def say(msg: str) -> None:
    print(f"[bootstrap] {msg}", flush=True)


def _known_libs() -> str:
    try:
        return subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def missing_system_packages(gui: bool) -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    libs = dict(QT_CORE_LIBS)
    if gui:
        libs.update(QT_XCB_LIBS)
    known = _known_libs()
    missing = [pkg for soname, pkg in libs.items() if soname not in known]
    missing += [pkg for path, pkg in FONT_FILES.items() if not Path(path).exists()]
    return sorted(set(missing))


def ensure_system_packages(packages: list[str]) -> None:
    if not packages:
        return
    apt = shutil.which("apt-get")
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if apt is None:
        say("these system libraries seem to be missing: " + ", ".join(packages))
        say("install their equivalents with your package manager if the app fails to start.")
        return
    if os.geteuid() != 0:
        say("some system packages are missing. Install them, then run this command again:")
        print("    sudo apt-get update && sudo " + " ".join(command), flush=True)
        sys.exit(1)
    say("installing system packages: " + " ".join(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*command, "-qq"], check=True, env=env)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating the virtual environment {VENV}")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError):
        shutil.rmtree(VENV, ignore_errors=True)
        # Debian ships ensurepip separately.
        pkg = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
        ensure_system_packages([pkg])
        venv.EnvBuilder(with_pip=True).create(VENV)


def ensure_installed(extra: str | None) -> None:
    spec = f".[{extra}]" if extra else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".bootstrap-stamp-{extra or 'app'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing {spec} into {VENV} (this takes a minute the first time)")
    py = str(venv_python())
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "-e", spec], check=True, cwd=ROOT)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        say(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is {sys.version.split()[0]}.")
        return 1
    if not argv or argv[0] not in ("launch", "test"):
        print(__doc__)
        return 2
    mode, rest = argv[0], argv[1:]
    ensure_system_packages(missing_system_packages(gui=(mode == "launch")))
    ensure_venv()
    ensure_installed("test" if mode == "test" else None)
    py = str(venv_python())
    if mode == "launch":
        cmd = [py, "-m", "reviewer_app", *(rest or ["demo"])]
    else:
        cmd = [py, "-m", "pytest", *rest]
    say("running " + " ".join(cmd[1:]))
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
