"""Every output option follows one rule (``check_output_path``), refused before any work is done.

Never a folder, device or link; an existing file only with ``--force``; never a folder created;
a place where no file can be created (``/proc``) is a message, not a traceback.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.paths import resource_path
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment

DEMO = str(resource_path("demo", "sheets-demo.json"))


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def graded(tmp_path):
    built = make_assignment(tmp_path / "sec", n=1)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        grade_everything(ws, built.bundle_id, built.proposal_ids, comment="")
    return built


def _revision(bundle_id: str) -> int:
    with Workspace() as ws:
        return next(b.result_revision for b in ws.bundles() if b.bundle_id == bundle_id)


def _commands(tmp_path: Path, bundle: str) -> dict[str, list[str]]:
    """The five commands with an output option; ``{out}`` is replaced by the path under test."""
    (tmp_path / "d.toml").write_text("[round]\nid = 'R1'\n", encoding="utf-8")
    return {
        "bundle build": ["bundle", "build", str(tmp_path / "d.toml"), "-o", "{out}"],
        "review export": ["review", "export", bundle, "-o", "{out}", "--passphrase-stdin"],
        "review sheets": ["review", "sheets", bundle, "-o", "{out}", "--passphrase-stdin"],
        "review summary-sheet": ["review", "summary-sheet", bundle, "-o", "{out}", "--passphrase-stdin"],
        "sheets score": ["sheets", "score", DEMO, "--reviewer", "R01", "-o", "{out}"],
        "sheets blank": ["sheets", "blank", "-o", "{out}"],
    }


CASES = ["bundle build", "review export", "review sheets", "review summary-sheet", "sheets score", "sheets blank"]


@pytest.mark.parametrize("command", CASES)
def test_an_existing_file_is_kept_unless_force_is_given(command, graded, tmp_path, capsys, monkeypatch):
    target = tmp_path / "existing.out"
    target.write_bytes(b"the user's own file")
    argv = [a.replace("{out}", str(target)) for a in _commands(tmp_path, graded.bundle_id)[command]]
    code, _, err = run(capsys, monkeypatch, *argv, stdin=PASSPHRASE + "\n")
    assert code == 3 and "--force" in err and "Traceback" not in err
    assert target.read_bytes() == b"the user's own file"
    assert _revision(graded.bundle_id) == 0  # a refused export uses no revision number
    if command != "bundle build":  # building needs keys: its --force path is in test_bundle_cli
        code, _, err = run(capsys, monkeypatch, *argv, "--force", stdin=PASSPHRASE + "\n")
        assert code == 0, err
        assert target.read_bytes() != b"the user's own file"


@pytest.mark.parametrize("command", CASES)
@pytest.mark.parametrize("where", ["folder", "missing folder", "symlink", "proc"])
def test_no_folder_link_device_or_impossible_place_is_written(command, where, graded, tmp_path, capsys, monkeypatch):
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "elsewhere.pdf").write_bytes(b"keep")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    target = {
        "folder": tmp_path / "a-folder",
        "missing folder": tmp_path / "no-such-folder" / "x.out",
        "symlink": tmp_path / "link.pdf",
        "proc": Path("/proc/reviewer-app-test.out"),
    }[where]
    argv = [a.replace("{out}", str(target)) for a in _commands(tmp_path, graded.bundle_id)[command]]
    for extra in ([], ["--force"]):
        code, _, err = run(capsys, monkeypatch, *argv, *extra, stdin=PASSPHRASE + "\n")
        named = target.parent if where == "missing folder" else target  # the message names what is wrong
        assert code == 3 and str(named) in err and "Traceback" not in err and "Error" not in err
    assert not (tmp_path / "no-such-folder").exists() and (tmp_path / "elsewhere.pdf").read_bytes() == b"keep"
    assert sorted(p.name for p in (tmp_path / "a-folder").iterdir()) == []
    assert _revision(graded.bundle_id) == 0
