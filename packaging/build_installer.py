#!/usr/bin/env python3
"""Build the installers with Briefcase from the project's one source of truth.

    python3 packaging/build_installer.py stage             # only stage build/briefcase/
    python3 packaging/build_installer.py dev [--test] [-r] [-- app or pytest arguments]
    python3 packaging/build_installer.py package linux     # .deb in dist/ (offline template)
    python3 packaging/build_installer.py package windows   # .msi in dist/ (on Windows)
    python3 packaging/build_installer.py package macOS     # .dmg in dist/ (on macOS)
    python3 packaging/build_installer.py fetch-font        # the pinned IPAex font, for hosts without it
    python3 packaging/build_installer.py briefcase ARGS…   # any other Briefcase command, staged

Briefcase reads ``[tool.briefcase]`` only from ``pyproject.toml`` in the current folder, and the
project keeps that table in ``briefcase.toml``. So this script stages ``build/briefcase/``:

- ``pyproject.toml`` = the project's ``pyproject.toml`` (with the dynamic version replaced by
  the one in ``reviewer_app/__init__.py``, so Briefcase needs no PEP 517 build to learn it)
  followed by ``briefcase.toml`` (the two share no table);
- the sources symlinked (copied where the OS refuses links): the package, tests, licence,
  changelog, README, the icons and the project's own Briefcase template for Linux;
- ``packaging/linux/``: the desktop entry, AppStream metadata and man page with ``@VERSION@``
  and ``@DATE@`` filled in;
- ``resources/``: the shipped resources plus ``fonts/`` holding an embeddable Japanese TrueType
  font (IPAexGothic) and its licence, which the score sheets find through
  ``reviewer_app.core.sheets.fonts.shipped_font_dirs`` (see packaging/fonts/README.md).

Briefcase runs from a virtual environment of its own (``build/briefcase-venv``). On Linux that
environment is made with the system ``/usr/bin/python3``, which Briefcase's system packages
require (the ``.deb`` runs on the system's libpython). The MSI and DMG bundle the Python that
runs Briefcase, which must be 3.12 or later: PySide6 6.12.0 drops a reference to ``None`` on
every Qt call that returns nothing, which on 3.11 aborts the process after a few thousand calls
(``reviewer_app/gui/qtcompat.py`` works around it; 3.12 made ``None`` immortal).

Standard library only. Nothing in the checkout is written except ``build/`` and ``dist/``.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
STAGE = BUILD / "briefcase"
BRIEFCASE_VENV = BUILD / "briefcase-venv"
FONT_CACHE = BUILD / "fonts"
DIST = ROOT / "dist"
#: The Briefcase release this configuration and the Linux template were written against.
BRIEFCASE_REQUIREMENT = "briefcase==0.4.7"
#: Bundled Python for the MSI and DMG (see the module docstring).
MIN_BUNDLED_PYTHON = (3, 12)

#: Linked into the staged tree as they are.
LINKED = ("reviewer_app", "tests", "LICENSE", "CHANGELOG.md", "README.md",
          "packaging/icons", "packaging/briefcase-template")
#: Copied with the placeholders filled in.
FILLED = "packaging/linux"
PLACEHOLDERS = ("@VERSION@", "@DATE@")

FONT_NAME = "ipaexg.ttf"
FONT_LICENSE_NAME = "IPAexfont-LICENSE.txt"
#: Debian's IPAexGothic, and its copyright file carrying the full IPA Font License v1.0.
SYSTEM_FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
SYSTEM_FONT_LICENSE = Path("/usr/share/doc/fonts-ipaexfont-gothic/copyright")
#: The same files from Debian's package, for hosts without it (Windows and macOS runners).
FONT_DEB_URLS = (
    "https://deb.debian.org/debian/pool/main/f/fonts-ipaexfont/fonts-ipaexfont-gothic_00401-5_all.deb",
    "https://snapshot.debian.org/archive/debian/20250520T000000Z/pool/main/f/fonts-ipaexfont/"
    "fonts-ipaexfont-gothic_00401-5_all.deb",
)
FONT_DEB_SHA256 = "0e3d7f1f7449ca6424fbe52788dcfe69f65636a9641be1f7cc62bd6cc20f3fd8"
FONT_DEB_MEMBERS = {
    "./usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf": FONT_NAME,
    "./usr/share/doc/fonts-ipaexfont-gothic/copyright": FONT_LICENSE_NAME,
}

#: Briefcase's (platform, output format) for each installer.
INSTALLERS = {"linux": ("linux", "system"), "windows": ("windows", "app"), "macOS": ("macOS", "app")}
INSTALLER_SUFFIXES = (".deb", ".rpm", ".msi", ".dmg")


class BuildError(Exception):
    """A problem the person building can fix; printed without a traceback."""


def say(msg: str) -> None:
    print(f"[build_installer] {msg}", flush=True)


# --- what gets staged ---------------------------------------------------------------------


def project_version() -> str:
    """``__version__`` from reviewer_app/__init__.py, read without importing the package."""
    tree = ast.parse((ROOT / "reviewer_app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise BuildError("reviewer_app/__init__.py defines no __version__")


def release_date() -> str:
    """The AppStream release date: $SOURCE_DATE_EPOCH, else the last commit's day, else today."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    try:
        day = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return day
    except (OSError, subprocess.CalledProcessError):
        pass
    return dt.date.today().isoformat()


def staged_pyproject(version: str) -> str:
    """pyproject.toml with a static version, followed by briefcase.toml; checked by parsing."""
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project, count = re.subn(r'(?m)^dynamic\s*=\s*\["version"\]\s*$', f'version = "{version}"', project)
    if count != 1:
        raise BuildError('pyproject.toml: expected one line `dynamic = ["version"]` in [project]')
    text = (f"# Staged by packaging/build_installer.py: pyproject.toml + briefcase.toml. Do not edit.\n\n"
            f"{project.rstrip()}\n\n{(ROOT / 'briefcase.toml').read_text(encoding='utf-8')}")
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:  # e.g. both files defining one table
        raise BuildError(f"pyproject.toml + briefcase.toml do not form one valid TOML file: {e}") from e
    if parsed["project"].get("version") != version or "dynamic" in parsed["project"]:
        raise BuildError("the staged [project] table did not get the static version")
    if "briefcase" not in parsed.get("tool", {}):
        raise BuildError("briefcase.toml has no [tool.briefcase] table")
    return text


def fill_placeholders(text: str, version: str, date: str) -> str:
    return text.replace("@VERSION@", version).replace("@DATE@", date)


def is_truetype(path: Path) -> bool:
    """TrueType outlines (sfnt version 1.0 or 'true'): what reportlab can embed; CFF ('OTTO') is not."""
    with path.open("rb") as f:
        return f.read(4) in (b"\x00\x01\x00\x00", b"true")


def find_font(font: Path | None, license_file: Path | None) -> tuple[Path, Path]:
    """The font and licence to ship: given on the command line, Debian's, or fetched earlier."""
    if font or license_file:
        if not (font and license_file):
            raise BuildError("--font and --font-license go together")
        candidates = [(font, license_file)]
    else:
        candidates = [(SYSTEM_FONT, SYSTEM_FONT_LICENSE), (FONT_CACHE / FONT_NAME, FONT_CACHE / FONT_LICENSE_NAME)]
    for f, lic in candidates:
        if f.is_file() and lic.is_file():
            if not is_truetype(f):
                raise BuildError(f"{f} is not a TrueType font; the score sheets cannot embed it")
            if "IPA" not in lic.read_text(encoding="utf-8", errors="replace"):
                raise BuildError(f"{lic} is not the IPA Font License that must accompany {f.name}")
            return f, lic
    raise BuildError(
        "no IPAexGothic font to ship. On Debian: apt-get install fonts-ipaexfont-gothic; "
        "elsewhere: python3 packaging/build_installer.py fetch-font"
    )


def _replace_with_link(link: Path, target: Path) -> None:
    """``link`` → ``target``; a copy where the OS refuses symbolic links (Windows without the right)."""
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except OSError:
        if target.is_dir():
            shutil.copytree(target, link, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(target, link)


def _fresh_dir(path: Path) -> Path:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def stage(font: Path | None = None, font_license: Path | None = None, out: Path = STAGE, dist: Path = DIST,
          require_font: bool = True) -> Path:
    """(Re)build the staged tree; Briefcase's own outputs in it (build/, .briefcase/) are kept.

    Without ``require_font`` (``dev``, which runs the checkout's code against the system's
    fonts) a missing font is reported and the tree is staged without it."""
    version, date = project_version(), release_date()
    try:
        shipped: tuple[Path, Path] | None = find_font(font, font_license)
    except BuildError as e:
        if require_font:
            raise
        say(f"staging without a font: {e}")
        shipped = None
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "pyproject.toml.tmp"
    tmp.write_text(staged_pyproject(version), encoding="utf-8")
    tmp.replace(out / "pyproject.toml")
    for name in LINKED:
        _replace_with_link(out / name, ROOT / name)

    filled = _fresh_dir(out / FILLED)
    for src in sorted((ROOT / FILLED).iterdir()):
        text = fill_placeholders(src.read_text(encoding="utf-8"), version, date)
        (filled / src.name).write_text(text, encoding="utf-8")

    resources = _fresh_dir(out / "resources")
    for child in sorted((ROOT / "resources").iterdir()):
        if child.name != "fonts":
            _replace_with_link(resources / child.name, child)
    fonts = resources / "fonts"
    if (ROOT / "resources" / "fonts").is_dir():
        shutil.copytree(ROOT / "resources" / "fonts", fonts)
    fonts.mkdir(exist_ok=True)
    if shipped:
        shutil.copyfile(shipped[0], fonts / FONT_NAME)
        shutil.copyfile(shipped[1], fonts / FONT_LICENSE_NAME)

    # Briefcase writes installers to <project>/dist: the checkout's dist/, beside the wheels.
    dist.mkdir(exist_ok=True)
    _replace_with_link(out / "dist", dist)
    say(f"staged {out} (version {version}, release date {date}, font {shipped[0] if shipped else 'none'})")
    return out


# --- the font for hosts that do not have Debian's --------------------------------------------


def _ar_members(data: bytes) -> dict[str, bytes]:
    """Members of a Unix ``ar`` archive (a .deb is one)."""
    if not data.startswith(b"!<arch>\n"):
        raise BuildError("the downloaded font package is not a Debian package")
    members, pos = {}, 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        members[name] = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)
    return members


def fetch_font(dest: Path = FONT_CACHE) -> Path:
    """Download Debian's IPAexGothic package (pinned by SHA-256) and keep the font and licence."""
    data, errors = None, []
    for url in FONT_DEB_URLS:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                data = response.read()
            break
        except OSError as e:
            errors.append(f"{url}: {e}")
    if data is None:
        raise BuildError("could not download the font package:\n  " + "\n  ".join(errors))
    digest = hashlib.sha256(data).hexdigest()
    if digest != FONT_DEB_SHA256:
        raise BuildError(f"the font package's SHA-256 is {digest}, expected {FONT_DEB_SHA256}")
    payload = _ar_members(data).get("data.tar.xz")
    if payload is None:
        raise BuildError("the font package has no data.tar.xz")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:xz") as tar:
        for member, name in FONT_DEB_MEMBERS.items():
            extracted = tar.extractfile(member)
            if extracted is None:
                raise BuildError(f"the font package has no {member}")
            (dest / name).write_bytes(extracted.read())
    say(f"IPAexGothic and its licence are in {dest}")
    return dest


# --- Briefcase ------------------------------------------------------------------------------


def briefcase_python() -> str:
    if sys.platform.startswith("linux"):
        # Briefcase's linux system backend insists on the system interpreter (the .deb uses its libpython).
        if not Path("/usr/bin/python3").exists():
            raise BuildError("/usr/bin/python3 is missing: install python3 and python3-venv")
        return "/usr/bin/python3"
    if sys.version_info < MIN_BUNDLED_PYTHON:
        raise BuildError(
            f"run this with Python {'.'.join(map(str, MIN_BUNDLED_PYTHON))} or later: the installer bundles "
            f"the Python that runs Briefcase, and PySide6 6.12.0 aborts on {platform.python_version()}"
        )
    return sys.executable


def ensure_briefcase() -> Path:
    """build/briefcase-venv with Briefcase installed; returns its ``briefcase`` command."""
    python = briefcase_python()
    bindir = BRIEFCASE_VENV / ("Scripts" if os.name == "nt" else "bin")
    stamp = BRIEFCASE_VENV / ".build-installer-stamp"
    wanted = f"{python}\n{BRIEFCASE_REQUIREMENT}\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return bindir / "briefcase"
    if BRIEFCASE_VENV.exists():
        shutil.rmtree(BRIEFCASE_VENV)
    say(f"creating {BRIEFCASE_VENV} with {python} and installing {BRIEFCASE_REQUIREMENT}")
    if python == sys.executable:
        venv.EnvBuilder(with_pip=True).create(BRIEFCASE_VENV)
    else:
        subprocess.run([python, "-m", "venv", str(BRIEFCASE_VENV)], check=True)
    pip = [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, BRIEFCASE_REQUIREMENT], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return bindir / "briefcase"


def briefcase(*args: str) -> None:
    """Run one Briefcase command in the staged tree; a failure stops the build."""
    command = [str(ensure_briefcase()), *args]
    say("running " + " ".join(["briefcase", *args]))
    started = time.monotonic()
    result = subprocess.run(command, cwd=STAGE, check=False)
    say(f"briefcase {args[0]} took {time.monotonic() - started:.0f} s")
    if result.returncode != 0:
        raise BuildError(f"briefcase {' '.join(args)} failed with exit status {result.returncode}")


def app_name() -> str:
    (name,) = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]["app"]
    return name


def linux_build_packages() -> list[str]:
    """Debian packages `briefcase create/build linux system` checks with dpkg: its own base list
    (plus python3-venv for the environments and git, which Briefcase's create insists on), and
    the app's system_requires and system_runtime_requires, read from briefcase.toml so the list
    lives in one place."""
    app = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]["app"][app_name()]
    linux = app.get("linux", {})
    return list(dict.fromkeys([
        "python3-dev", "python3-venv", "git", "dpkg-dev", "gcc", "g++", "make", "libc6-dev",
        *linux.get("system", {}).get("debian", {}).get("system_requires", []),
        *linux.get("system_runtime_requires", []),
    ]))


def ensure_linux_build_packages() -> None:
    """Install what is missing when root (as packaging/bootstrap.py does), else say what to run."""
    if shutil.which("dpkg-query") is None:
        return  # not Debian-like: Briefcase's own check reports what it needs
    wanted = linux_build_packages()
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\\n", *wanted],
                            capture_output=True, text=True, check=False).stdout
    installed = {line.split()[0] for line in status.splitlines() if line.endswith(" installed")}
    missing = [p for p in wanted if p not in installed]
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise BuildError("missing system packages; run: sudo apt-get update && sudo " + " ".join(command))
    say("installing system packages: " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(command, check=True, env=env)


def package(target: str) -> list[Path]:
    """create, build and package one installer from scratch; returns the new files in dist/."""
    platform_name, output_format = INSTALLERS[target]
    if target == "linux":
        ensure_linux_build_packages()
    staged_dist = STAGE / "dist"  # the checkout's dist/ through a link, or a copy where links are refused
    before = {p: p.stat().st_mtime for p in staged_dist.glob("*")}
    # A fresh bundle every time: Briefcase never re-renders the template of an existing one.
    shutil.rmtree(STAGE / "build" / app_name(), ignore_errors=True)
    for step in ("create", "build"):
        briefcase(step, platform_name, output_format, "--no-input")
    if target == "linux":
        compile_bytecode(STAGE / "build" / app_name())
    # Unsigned: signing identities live with whoever publishes, not in this build.
    briefcase("package", platform_name, output_format, "--no-input", "--adhoc-sign")
    new = sorted(p for p in staged_dist.glob("*") if p.suffix in INSTALLER_SUFFIXES and before.get(p) != p.stat().st_mtime)
    if not staged_dist.is_symlink():
        for p in new:
            shutil.copy2(p, DIST / p.name)
    made = [DIST / p.name for p in new]
    for p in made:
        say(f"installer: {p} ({p.stat().st_size / 1e6:.1f} MB)")
    return made


#: Files that end in .py but are templates, not modules (PySide6's deployment tool ships some).
NOT_MODULES = r"\.tmpl\.py$"


def compile_bytecode(bundle: Path) -> None:
    """Byte-compile the packaged app and its requirements with the interpreter the package runs on.

    The launcher never writes ``__pycache__`` (``/usr/lib`` is read-only for the user), so
    without bytecode in the package every start would compile every module from source:
    a third of the start-up time. ``unchecked-hash`` pyc files stay valid whatever mtimes
    the package manager gives the sources; ``-s``/``-p`` record the installed paths, not
    the build folder's.
    """
    python = briefcase_python()
    roots = sorted(d for d in bundle.glob("**/usr/lib/*/app*") if d.is_dir() and d.name in ("app", "app_packages"))
    if not roots:
        raise BuildError(f"no app or app_packages folder under {bundle}: cannot byte-compile the package")
    for folder in roots:
        installed = "/" + folder.relative_to(folder.parents[3]).as_posix()  # /usr/lib/<app>/app…
        say(f"byte-compiling {installed}")
        result = subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                                 "-x", NOT_MODULES, "-s", str(folder), "-p", installed, str(folder)], check=False)
        if result.returncode != 0:
            raise BuildError(f"byte-compiling {folder} failed with exit status {result.returncode}")


# --- command line ---------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    passthrough: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, passthrough = argv[:i], argv[i + 1:]
    parser = argparse.ArgumentParser(prog="build_installer.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--font", type=Path, help="an IPAexGothic ipaexg.ttf to ship instead of Debian's")
    parser.add_argument("--font-license", type=Path, help="the IPA Font License file that goes with --font")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("stage", help="stage build/briefcase only")
    dev = sub.add_parser("dev", help="briefcase dev in the staged tree (arguments after -- go to the app)")
    dev.add_argument("--test", action="store_true", help="run the test suite (arguments after -- go to pytest)")
    dev.add_argument("-r", "--update-requirements", action="store_true", help="reinstall the requirements")
    pkg = sub.add_parser("package", help="build an installer into dist/")
    pkg.add_argument("target", choices=sorted(INSTALLERS))
    sub.add_parser("fetch-font", help=f"download IPAexGothic into {FONT_CACHE.relative_to(ROOT)} (pinned SHA-256)")
    sub.add_parser("briefcase", help="any Briefcase command in the staged tree (after --)")
    args = parser.parse_args(argv)

    try:
        if args.command == "fetch-font":
            fetch_font()
            return 0
        stage(args.font, args.font_license, require_font=args.command != "dev")
        if args.command == "dev":
            extra = ["--test"] if args.test else []
            extra += ["-r"] if args.update_requirements else []
            briefcase("dev", *extra, "--no-input", *(["--", *passthrough] if passthrough else []))
        elif args.command == "package":
            if not package(args.target):
                raise BuildError("Briefcase reported success but dist/ has no new installer")
        elif args.command == "briefcase":
            if not passthrough:
                raise BuildError("give the Briefcase command after --, e.g. briefcase -- run linux system")
            briefcase(*passthrough)
    except BuildError as e:
        say(f"error: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
