#!/usr/bin/env python3
"""Install the built .deb into a clean Debian bookworm root and run it there.

    python3 packaging/check_deb.py [DEB] [--keep] [--mirror URL]

Root only (debootstrap, chroot, mount). Without DEB it takes the newest
``dist/reviewer-app_*.deb`` (``python3 packaging/build_installer.py package linux`` makes it).

1. The package itself: its Depends list holds every ``system_runtime_requires`` entry of
   briefcase.toml and the system libpython; its files include the launcher, the desktop entry,
   the AppStream metadata with the version filled in, the bundle file type, the hicolor icons, the man page and the
   shipped IPAexGothic with its licence; every module comes with its bytecode (the launcher
   never writes any, so start-up would otherwise compile the app each time); desktop-file-validate and appstreamcli accept the
   desktop entry and the metadata.
2. A clean root: ``debootstrap --variant=minbase bookworm`` (Debian's essential packages only,
   from Debian's mirror).
3. ``apt-get install --no-install-recommends ./the.deb`` in that root: nothing but the
   package's declared dependencies gets installed.
4. As an ordinary user in the root: ``reviewer-app --version`` prints the package's version,
   and ``reviewer-app selfcheck --json`` passes offscreen, with the score-sheet font found in
   the app's own resources/fonts. When the host has Xvfb, the self-check runs a second time on
   a real X display (the xcb platform plugin and its libraries, which offscreen never loads).

Each step prints how long it took. The root is removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
MIRROR = "http://deb.debian.org/debian"
SUITE = "bookworm"
USER = "reviewer"
#: What the check's commands see: no host variables leak in.
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": f"/home/{USER}"}


class CheckFailed(Exception):
    """The package is wrong; the message says how."""


def say(msg: str) -> None:
    print(f"[check_deb] {msg}", flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    say(f"{name} …")
    started = time.monotonic()
    yield
    say(f"{name}: done in {time.monotonic() - started:.0f} s")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, text=True, check=False, **kwargs)


def must(cmd: list[str], what: str, **kwargs) -> str:
    result = run(cmd, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise CheckFailed(f"{what} failed (exit status {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


# --- 1. the package file ------------------------------------------------------------------


def app_config() -> tuple[str, dict]:
    bc = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]
    (name, app), = bc["app"].items()
    return f"{bc['bundle']}.{name}", app


def newest_deb() -> Path:
    debs = sorted(DIST.glob("reviewer-app_*.deb"), key=lambda p: p.stat().st_mtime)
    if not debs:
        raise CheckFailed("no dist/reviewer-app_*.deb: run python3 packaging/build_installer.py package linux")
    return debs[-1]


def depends_names(depends: str) -> set[str]:
    """Package names of a Depends field (version constraints and alternatives dropped)."""
    names = set()
    for clause in depends.split(","):
        for alternative in clause.split("|"):
            names.add(alternative.strip().split(" ")[0].split(":")[0])
    return names


def check_package_file(deb: Path) -> str:
    """Checks on the .deb as a file; returns its version."""
    app_id, app = app_config()
    fields = {f: must(["dpkg-deb", "-f", str(deb), f], f"dpkg-deb -f {f}").strip() for f in ("Package", "Version", "Depends")}
    wanted = {*app["linux"]["system_runtime_requires"], "libpython3.11", "libc6"}
    missing = wanted - depends_names(fields["Depends"])
    if missing:
        raise CheckFailed(f"Depends lacks {sorted(missing)}: {fields['Depends']}")
    say(f"{deb.name}: Package {fields['Package']}, Version {fields['Version']}")
    say(f"Depends: {fields['Depends']}")

    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        names = {m.name.removeprefix(".") for m in tar.getmembers()}
        required = [
            "/usr/bin/reviewer-app",
            f"/usr/share/applications/{app_id}.desktop",
            f"/usr/share/metainfo/{app_id}.metainfo.xml",
            f"/usr/share/mime/packages/{app_id}.xml",
            f"/usr/share/icons/hicolor/scalable/apps/{app_id}.svg",
            *(f"/usr/share/icons/hicolor/{s}x{s}/apps/{app_id}.png" for s in (16, 24, 32, 48, 64, 128, 256, 512)),
            "/usr/share/man/man1/reviewer-app.1.gz",
            "/usr/share/doc/reviewer-app/copyright",
            "/usr/lib/reviewer-app/app/reviewer_app/__init__.py",
            "/usr/lib/reviewer-app/app/resources/fonts/ipaexg.ttf",
            "/usr/lib/reviewer-app/app/resources/fonts/IPAexfont-LICENSE.txt",
        ]
        absent = [n for n in required if n not in names]
        if absent:
            raise CheckFailed("the package lacks " + ", ".join(absent))
        # The launcher never writes bytecode (/usr/lib is read-only for the user): without
        # compiled modules in the package every start would compile the app from source.
        sources = {n for n in names if n.startswith("/usr/lib/reviewer-app/") and n.endswith(".py")
                   and not n.endswith(".tmpl.py")}  # templates, not modules (see build_installer.NOT_MODULES)
        uncompiled = sorted(n for n in sources if not _has_bytecode(n, names))
        if uncompiled:
            raise CheckFailed(f"{len(uncompiled)} of {len(sources)} modules have no bytecode, e.g. {uncompiled[:3]}")
        metainfo = tar.extractfile(f"./usr/share/metainfo/{app_id}.metainfo.xml").read().decode()
        desktop = tar.extractfile(f"./usr/share/applications/{app_id}.desktop").read().decode()
    version = fields["Version"]
    upstream = version.split("-")[0]
    if f'version="{upstream}"' not in metainfo or "@" in metainfo.split("<releases>")[1]:
        raise CheckFailed(f"the AppStream release is not filled with {upstream}")
    say(f"{len(names)} paths; launcher, desktop entry, AppStream, icons, man page and font present")
    validate_freedesktop_files(app_id, desktop, metainfo)
    return upstream


def _has_bytecode(source: str, names: set[str]) -> bool:
    folder, _, file = source.rpartition("/")
    return f"{folder}/__pycache__/{file[:-3]}.cpython-311.pyc" in names


def validate_freedesktop_files(app_id: str, desktop: str, metainfo: str) -> None:
    """The freedesktop validators software centres and lintian rely on, as the package holds the files."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{app_id}.desktop").write_text(desktop, encoding="utf-8")
        (Path(tmp) / f"{app_id}.metainfo.xml").write_text(metainfo, encoding="utf-8")
        must(["desktop-file-validate", f"{tmp}/{app_id}.desktop"], "desktop-file-validate")
        must(["appstreamcli", "validate", "--no-net", f"{tmp}/{app_id}.metainfo.xml"], "appstreamcli validate")
    say("desktop-file-validate and appstreamcli validate: passed")


# --- 2-4. a clean root --------------------------------------------------------------------


def mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve()) + "/"
    with open("/proc/mounts", encoding="utf-8") as f:
        points = [line.split()[1].replace("\\040", " ") for line in f]
    return sorted((p for p in points if (p + "/").startswith(prefix)), reverse=True)


def unmount_all(root: Path) -> None:
    for point in mounts_under(root):
        run(["umount", "-l", point])


def chroot(root: Path, command: list[str], user: str | None = None, env: dict[str, str] | None = None,
           **kwargs) -> subprocess.CompletedProcess[str]:
    prefix = ["chroot", *([f"--userspec={user}:{user}"] if user else []), str(root)]
    return run([*prefix, "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in (env or BASE_ENV).items()), *command], **kwargs)


#: Host tools the check uses, by the Debian package that has them.
HOST_TOOLS = (("debootstrap", "debootstrap"), ("Xvfb", "xvfb"), ("desktop-file-validate", "desktop-file-utils"),
              ("appstreamcli", "appstream"))


def ensure_host_tools() -> None:
    """debootstrap, Xvfb (the run on a real X display) and the freedesktop validators, from apt when missing."""
    missing = [pkg for tool, pkg in HOST_TOOLS if shutil.which(tool) is None]
    if missing and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        must(["apt-get", "update", "-qq"], "apt-get update", env=env)
        must(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], "installing " + " ".join(missing), env=env)
    for tool, pkg in HOST_TOOLS:
        if tool != "Xvfb" and shutil.which(tool) is None:
            raise CheckFailed(f"{tool} is missing (apt-get install {pkg})")


def make_root(root: Path, mirror: str) -> None:
    must(["debootstrap", "--variant=minbase", SUITE, str(root), mirror], "debootstrap")


def install_deb(root: Path, deb: Path) -> list[str]:
    shutil.copyfile("/etc/resolv.conf", root / "etc" / "resolv.conf")
    shutil.copyfile(deb, root / "tmp" / deb.name)
    before = set(must(["chroot", str(root), "dpkg-query", "-W", "-f", "${Package}\\n"], "dpkg-query").split())
    env = {**BASE_ENV, "HOME": "/root", "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", f"/tmp/{deb.name}"]):
        result = chroot(root, cmd, env=env, capture_output=True)
        if result.returncode != 0:
            raise CheckFailed(f"{' '.join(cmd)} in the clean root failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    after = set(must(["chroot", str(root), "dpkg-query", "-W", "-f", "${Package}\\n"], "dpkg-query").split())
    must(["chroot", str(root), "useradd", "--create-home", USER], "useradd")
    return sorted(after - before)


def selfcheck(root: Path, env: dict[str, str], label: str) -> None:
    result = chroot(root, ["reviewer-app", "selfcheck", "--json"], user=USER, env=env, capture_output=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise CheckFailed(f"selfcheck ({label}) printed no report (exit status {result.returncode}):\n"
                          f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}") from None
    for check in report["checks"]:
        say(f"  [{'ok' if check['ok'] else 'FAILED'}] {check['name']}: {check['detail']}")
    if result.returncode != 0 or not report["ok"]:
        raise CheckFailed(f"selfcheck ({label}) failed with exit status {result.returncode}:\n{result.stderr[-3000:]}")
    font = next(c["detail"] for c in report["checks"] if c["name"] == "font")
    if not font.startswith("/usr/lib/reviewer-app/app/resources/fonts/"):
        raise CheckFailed(f"the score sheets did not use the shipped font but {font}")


@contextmanager
def xvfb_display(root: Path) -> Iterator[str | None]:
    """An X display on the host, its socket bound into the root; None without Xvfb."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    number = 90 + os.getpid() % 100
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.1)
        inside = root / "tmp" / ".X11-unix"
        inside.mkdir(exist_ok=True)
        must(["mount", "--bind", "/tmp/.X11-unix", str(inside)], "binding the X socket")
        try:
            yield f":{number}"
        finally:
            run(["umount", str(inside)])
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_in_root(root: Path, version: str) -> None:
    must(["mount", "-t", "proc", "proc", str(root / "proc")], "mounting /proc")
    result = chroot(root, ["reviewer-app", "--version"], user=USER, capture_output=True, timeout=300)
    if result.returncode != 0 or result.stdout.split() != ["reviewer-app", version]:
        raise CheckFailed(f"reviewer-app --version: exit {result.returncode}, {result.stdout!r} {result.stderr[-2000:]!r}")
    say(f"reviewer-app --version: {result.stdout.strip()}")
    with step("selfcheck, offscreen"):
        selfcheck(root, {**BASE_ENV, "QT_QPA_PLATFORM": "offscreen"}, "offscreen")
    with xvfb_display(root) as display:
        if display is None:
            say("selfcheck on X: not run, the host has no Xvfb (apt-get install xvfb)")
            return
        with step(f"selfcheck on Xvfb {display} (xcb)"):
            selfcheck(root, {**BASE_ENV, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}, "Xvfb")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="check_deb.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("deb", nargs="?", type=Path, help="the package (default: the newest in dist/)")
    parser.add_argument("--keep", action="store_true", help="keep the root afterwards (its path is printed)")
    parser.add_argument("--mirror", default=MIRROR, help=f"Debian mirror (default {MIRROR})")
    args = parser.parse_args(argv)
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        say("needs root on Linux (debootstrap, chroot, mount)")
        return 2
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="reviewer-app-deb-check-", dir="/var/tmp"))
    root = workdir / "root"
    try:
        deb = (args.deb or newest_deb()).resolve()
        ensure_host_tools()
        with step("package contents and dependencies"):
            version = check_package_file(deb)
        with step(f"clean {SUITE} root (debootstrap --variant=minbase)"):
            make_root(root, args.mirror)
        with step("installing the package with its declared dependencies only"):
            added = install_deb(root, deb)
            say(f"{len(added)} packages installed: {' '.join(added)}")
        with step("running the installed app"):
            run_in_root(root, version)
    except (CheckFailed, subprocess.TimeoutExpired) as e:
        say(f"FAILED: {e}")
        return 1
    finally:
        unmount_all(root)
        if args.keep:
            say(f"root kept in {root}")
        elif mounts_under(root):
            say(f"not removing {workdir}: something is still mounted in it")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        say(f"total {time.monotonic() - started:.0f} s")
    say("the package installs on a clean bookworm and passes its self-check")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
