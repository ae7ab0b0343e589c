"""Every command imports only what it uses: checked in a fresh interpreter through ``sys.modules``.

Behaviour, not timing (the start-up times are in ``python -m tests.benchmarks cli``): a
command that prints nothing must not load reportlab or Qt, and recording a grade must not
load the bundle cryptography, the keyring or sqlite-utils either.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, make_assignment

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "PySide6", "shiboken6", "cryptography", "keyring", "sqlite_utils", "pypdf")

_PROBE = """
import json, sys
from reviewer_app.cli import build_parser, main
argv = json.loads(sys.argv[1])
code = main(argv) if argv else (build_parser(), 0)[1]
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
print(json.dumps({"code": code, "loaded": heavy}))
"""


def loaded_by(home: Path, *argv: str) -> tuple[int, list[str]]:
    env = dict(os.environ, REVIEWER_APP_HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv), json.dumps(HEAVY)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["code"], result["loaded"]


def test_building_the_whole_parser_loads_no_service_library(tmp_path):
    assert loaded_by(tmp_path) == (0, [])


def test_rubric_commands_load_neither_pdf_nor_qt_nor_crypto_nor_the_store(tmp_path):
    assert loaded_by(tmp_path, "rubric", "suggest", "1-1", "412") == (0, [])
    assert loaded_by(tmp_path, "--lang", "en", "rubric", "check") == (0, [])


def test_recording_a_grade_loads_no_heavy_library(tmp_path):
    built = make_assignment(tmp_path / "sec", n=1)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
    home = Path(os.environ["REVIEWER_APP_HOME"])
    # The store opens with plain sqlite3 once it is up to date (sqlite-utils only migrates).
    assert loaded_by(home, "review", "grade", built.bundle_id[:8], "P001", "2-1", "a") == (0, [])
    assert loaded_by(home, "review", "check", built.bundle_id[:8], "P001") == (1, [])
    assert loaded_by(home, "review", "rounds") == (0, [])


def test_printing_commands_do_load_the_pdf_library(tmp_path):
    # The check above can fail: the same probe sees reportlab where a command really uses it.
    code, loaded = loaded_by(tmp_path, "sheets", "blank", "-o", str(tmp_path / "blank.pdf"))
    assert code == 0 and "reportlab" in loaded and "PySide6" not in loaded
