"""The wheel carries the runtime data, found through the same function as in the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import reviewer_app

ROOT = Path(reviewer_app.__file__).resolve().parent.parent


def test_wheel_contains_resources_reachable_through_resource_path(tmp_path: Path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("reviewer_app-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "reviewer_app/_resources/rubrics/kokusaika-kyoten-2009.toml" in names
    assert any(n.startswith("reviewer_app/_resources/i18n/en/") for n in names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "packaging/")) for n in names)
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    probe = (
        "import reviewer_app.paths as p; from reviewer_app.services.rubrics import load_shipped_rubric;"
        "from reviewer_app.i18n import tr;"
        "print(p.resource_path('rubrics').parent.name, len(load_shipped_rubric().items), tr('app.name'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin", "REVIEWER_APP_HOME": str(tmp_path / "home")},
    )
    assert out.stdout.split() == ["_resources", "14", "書面審査", "採点アプリ"]
