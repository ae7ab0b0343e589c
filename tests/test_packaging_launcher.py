"""packaging/briefcase-template: the project's own Linux system template for Briefcase.

Cookiecutter renders it inside `briefcase create linux system` (CI builds the real .deb). Here
the template is rendered with its declared variables and its launcher is built the way
Briefcase builds it (``make -C bootstrap install``) and run on a fake package root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
import tomllib
from pathlib import Path

import pytest

import reviewer_app

ROOT = Path(reviewer_app.__file__).resolve().parent.parent
TEMPLATE = ROOT / "packaging" / "briefcase-template"
FORMAT_DIR = "{{ cookiecutter.format }}"
VARIABLE = re.compile(r"\{\{\s*cookiecutter\.(\w+)\s*\}\}")
PYTHON_VERSION = sysconfig.get_python_version()


def _context() -> dict[str, str]:
    declared = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    return {**declared, "format": "bookworm", "app_name": "probe-app", "module_name": "probe_app",
            "formal_name": "Probe", "bundle_identifier": "org.example.probe-app", "version": "1.2.3",
            "python_version": PYTHON_VERSION, "icon": "packaging/icons/reviewer-app",
            "freedesktop_files": "packaging/linux"}


def _template_files() -> list[Path]:
    return [p for p in TEMPLATE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _render(text: str, context: dict[str, str]) -> str:
    return VARIABLE.sub(lambda m: context[m.group(1)], text)


def _rendered(tmp_path: Path, context: dict[str, str]) -> Path:
    out = tmp_path / context["format"]
    for src in (TEMPLATE / FORMAT_DIR).rglob("*"):
        if src.is_file():
            target = out / _render(str(src.relative_to(TEMPLATE / FORMAT_DIR)), context)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_render(src.read_text(encoding="utf-8"), context), encoding="utf-8")
    return out


def test_template_uses_only_variables_it_declares() -> None:
    # Cookiecutter drops every extra-context key its cookiecutter.json does not declare, so an
    # undeclared one would be an undefined variable when Briefcase renders the template.
    declared = set(json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8")))
    used = {name for path in _template_files() for name in VARIABLE.findall(str(path) + path.read_text(encoding="utf-8"))}
    assert used and used <= declared
    # Only plain substitutions: what this test renders is what cookiecutter renders.
    for path in _template_files():
        assert "{%" not in path.read_text(encoding="utf-8"), path


def test_rendered_paths_give_briefcase_what_its_linux_system_backend_reads(tmp_path: Path) -> None:
    context = _context()
    bundle = _rendered(tmp_path, context)
    paths = tomllib.loads((bundle / "briefcase.toml").read_text(encoding="utf-8"))["paths"]
    root = f"{context['app_name']}-{context['version']}"  # Briefcase's project_path
    assert paths["app_path"] == f"{root}/usr/lib/{context['app_name']}/app"
    assert paths["app_packages_path"] == f"{root}/usr/lib/{context['app_name']}/app_packages"
    # No support package and no stub binary: the launcher is built here against the system Python.
    assert not {"support_path", "support_revision", "stub_binary_revision"} & set(paths)
    for size, target in paths["icon"].items():
        assert (ROOT / f"{context['icon']}-{size}.png").is_file(), size
        assert target == f"{root}/usr/share/icons/hicolor/{size}x{size}/apps/{context['bundle_identifier']}.png"
    assert (bundle / "bootstrap" / "Makefile").is_file()


_TOOLCHAIN = shutil.which("make") and shutil.which("cc") and Path(f"/usr/bin/python{PYTHON_VERSION}-config").exists()


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The launcher built as Briefcase builds it, in a fake package root with a probe app."""
    if not _TOOLCHAIN:
        pytest.skip(f"building the launcher needs make, cc and python{PYTHON_VERSION}-dev (apt-get install python3-dev make gcc)")
    tmp = tmp_path_factory.mktemp("launcher")
    context = _context()
    bundle = _rendered(tmp, context)
    built = subprocess.run(["make", "-C", "bootstrap", "install"], cwd=bundle, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    lib = bundle / "probe-app-1.2.3" / "usr" / "lib" / "probe-app"
    probe = (
        "import json, os, sys\n"
        "print(json.dumps({'argv': sys.argv[1:], 'path': sys.path[:2], 'main': __name__,\n"
        "                  'utf8': sys.flags.utf8_mode, 'isolated': sys.flags.isolated}))\n"
        "sys.exit(int(os.environ.get('PROBE_EXIT', '0')))\n"
    )
    for package in ("probe_app", "tests"):
        (lib / "app" / package).mkdir(parents=True)
        (lib / "app" / package / "__init__.py").write_text("")
    (lib / "app" / "probe_app" / "__main__.py").write_text(probe)
    (lib / "app" / "tests" / "probe_app.py").write_text(probe.replace("'main': __name__", "'main': 'tests'"))
    (lib / "app_packages").mkdir()
    return bundle / "probe-app-1.2.3" / "usr" / "bin" / "probe-app"


def _run(launcher: Path, *args: str, cwd: Path | None = None, **env: str) -> tuple[int, dict | str]:
    result = subprocess.run([str(launcher), *args], capture_output=True, text=True, check=False, cwd=cwd,
                            env={"PATH": os.environ["PATH"], **env})
    try:
        return result.returncode, json.loads(result.stdout)
    except json.JSONDecodeError:
        return result.returncode, result.stdout + result.stderr


def test_launcher_runs_the_app_module_with_every_argument(launcher: Path) -> None:
    status, out = _run(launcher, "--version", "-c", "x", "-m", "y")
    assert status == 0
    assert out["argv"] == ["--version", "-c", "x", "-m", "y"]  # none taken by Python itself
    assert out["main"] == "__main__"
    lib = launcher.parent.parent / "lib" / "probe-app"
    assert out["path"] == [str(lib / "app"), str(lib / "app_packages")]
    assert out["utf8"] == 1 and out["isolated"] == 1


def test_launcher_returns_the_apps_exit_status(launcher: Path) -> None:
    status, _ = _run(launcher, PROBE_EXIT="3")
    assert status == 3


def test_launcher_ignores_pythonpath_and_the_current_folder(launcher: Path, tmp_path: Path) -> None:
    evil = tmp_path / "probe_app"
    evil.mkdir()
    (evil / "__init__.py").write_text("")
    (evil / "__main__.py").write_text("print('hijacked')")
    status, out = _run(launcher, cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert status == 0 and isinstance(out, dict), out


def test_launcher_runs_only_the_test_entry_point_briefcase_names(launcher: Path) -> None:
    status, out = _run(launcher, "-k", "x", BRIEFCASE_MAIN_MODULE="tests.probe_app")
    assert status == 0 and out["main"] == "tests" and out["argv"] == ["-k", "x"]
    status, out = _run(launcher, BRIEFCASE_MAIN_MODULE="os")
    assert status == 64 and "tests.probe_app" in out
