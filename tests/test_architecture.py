"""Layering rules that keep the domain testable without a screen."""

from __future__ import annotations

import ast
from pathlib import Path

import reviewer_app

PACKAGE = Path(reviewer_app.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_and_services_never_import_qt():
    offenders = []
    for folder in ("core", "services"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            bad = {n for n in _imports(path) if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}}
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_the_check_itself_sees_qt_imports(tmp_path: Path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert "PySide6.QtCore" in _imports(sample)


def test_importing_core_and_services_does_not_load_qt():
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, reviewer_app.core as c, reviewer_app.services as s\n"
        "for pkg in (c, s):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import reviewer_app.cli\n"
        "print(any(k.startswith('PySide6') for k in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_packaging_python_package_shadows_pypi_packaging():
    assert not (PACKAGE.parent / "packaging" / "__init__.py").exists()
