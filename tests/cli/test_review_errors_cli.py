"""``reviewer-app review …`` at its edges: every dead end is a message that says what to do.

Bad text (not UTF-8, too long), no terminal to ask on, an unusable keyring backend, a place
where no file can be created, an unexpected bug: each gives a typed, translated message with
no Python class name, and none of them uses an export revision or saves half of anything.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.core.text import MAX_TEXT_CHARS
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, monkeypatch, *argv: str, stdin: str | bytes = "") -> tuple[int, str, str]:
    if isinstance(stdin, bytes):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    else:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def unlocked(tmp_path):
    built = make_assignment(tmp_path / "sec", n=2)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
    return built


def _state(bundle_id: str) -> tuple[int, int, str]:
    """(export revision, audit events, comment on P001 2-1): what a refused command must not change."""
    with Workspace() as ws:
        revision = next(b.result_revision for b in ws.bundles() if b.bundle_id == bundle_id)
        events = len(ws.audit_events())
        entry = ws.entries(bundle_id, "P001").get("2-1")
        return revision, events, entry.comment if entry else ""


def test_a_comment_that_is_not_utf8_is_refused_from_stdin_and_from_arguments(unlocked, capsys, monkeypatch):
    b = unlocked.bundle_id[:8]
    before = _state(unlocked.bundle_id)
    code, _, err = run(capsys, monkeypatch, "review", "comment", b, "P001", "2-1", "--stdin",
                       stdin="所見".encode() + b"\xff\xfe latin-1: caf\xe9")
    assert code == 3 and "UTF-8" in err and "Traceback" not in err and "Decode" not in err
    argv_text = b"caf\xe9".decode("utf-8", "surrogateescape")  # what Python makes of such an argument
    code, _, err = run(capsys, monkeypatch, "review", "comment", b, "P001", "2-1", argv_text)
    assert code == 3 and "UTF-8" in err and "Traceback" not in err and "Encode" not in err
    assert _state(unlocked.bundle_id) == before


def test_a_comment_over_the_limit_is_refused_when_entered_with_the_limit_named(unlocked, capsys, monkeypatch):
    b = unlocked.bundle_id[:8]
    before = _state(unlocked.bundle_id)
    code, _, err = run(capsys, monkeypatch, "--lang", "en", "review", "comment", b, "P001", "2-1", "--stdin",
                       stdin=("長" * (MAX_TEXT_CHARS + 1)).encode())
    assert code == 3 and f"{MAX_TEXT_CHARS}" in err.replace(",", "") and "Nothing was saved" in err
    assert _state(unlocked.bundle_id) == before
    code, _, _ = run(capsys, monkeypatch, "review", "comment", b, "P001", "2-1", "--stdin",
                     stdin="一行目\r\n二行目\x1b[2J\n".encode())
    assert code == 0 and _state(unlocked.bundle_id)[2] == "一行目\n二行目[2J"


def test_without_a_terminal_the_message_names_both_passphrase_options(unlocked, capsys, monkeypatch, tmp_path):
    b = unlocked.bundle_id[:8]
    code, _, err = run(capsys, monkeypatch, "review", "unlock", b, stdin="")
    assert code == 3 and "--passphrase-file" in err and "--passphrase-stdin" in err
    code, _, err = run(capsys, monkeypatch, "review", "read", b, "P001", stdin="")
    assert code == 3 and "--passphrase-file" in err and "--passphrase-stdin" in err
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "review", "read", b, "P001", "--passphrase-file", str(secret))
    assert code == 0 and "P001" in out
    code, _, err = run(capsys, monkeypatch, "review", "unlock", b, "--passphrase-file", str(tmp_path))
    assert code == 3 and str(tmp_path) in err and "Traceback" not in err


def test_forget_without_a_keyring_says_nothing_was_remembered(unlocked, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "review", "forget", unlocked.bundle_id[:8])
    assert code == 0 and "記憶した鍵はありません" in out and "消去しました" not in out


def test_add_with_unlock_does_not_tell_the_user_to_unlock_first(tmp_path, capsys, monkeypatch):
    built = make_assignment(tmp_path / "sec", n=1)
    code, out, _ = run(capsys, monkeypatch, "review", "add", str(built.path), "--unlock", "--passphrase-stdin",
                       stdin=PASSPHRASE + "\n")
    assert code == 0 and "解錠してください" not in out
    added, unlocked = out.splitlines()[:2]
    assert "追加しました" in added and "解錠しました" in unlocked


def test_lang_is_accepted_after_the_sub_command(unlocked, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "review", "list", "--lang", "en")
    assert code == 0 and "round R2026" in out
    code, out, _ = run(capsys, monkeypatch, "review", "check", unlocked.bundle_id[:8], "--lang=en")
    assert code == 1 and "Must fix" in out


def test_an_unexpected_error_names_the_log_not_a_python_class(unlocked, capsys, monkeypatch):
    from reviewer_app.services.workspace import recording

    def broken(*_args, **_kwargs):
        raise KeyError("round")

    monkeypatch.setattr(recording.RecordingMixin, "record_grade", broken)
    monkeypatch.setattr(logging.getLogger("reviewer_app"), "handlers", [])  # a log in this test's folder
    code, _, err = run(capsys, monkeypatch, "review", "grade", unlocked.bundle_id[:8], "P001", "2-1", "a")
    assert code == 4 and "KeyError" not in err and "'round'" not in err and "Traceback" not in err
    log = next((Path(os.environ["REVIEWER_APP_HOME"]) / "logs").glob("reviewer-app.log"))
    assert str(log) in err
    logging.getLogger("reviewer_app").handlers[0].flush()
    assert "KeyError: 'round'" in log.read_text(encoding="utf-8")  # the details are kept for the help desk


def test_file_names_and_titles_are_escaped_before_they_reach_the_terminal(tmp_path, capsys, monkeypatch):
    hostile = tmp_path / "x\x1b]0;owned\x07\u202egnp.rvb"
    code, _, err = run(capsys, monkeypatch, "review", "add", str(hostile))
    assert code == 3 and "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "\\x1b]0;owned\\x07\\u202egnp.rvb" in err


def test_an_export_to_a_place_without_write_permission_uses_no_revision(unlocked, capsys, monkeypatch, tmp_path):
    with Workspace() as ws:
        grade_everything(ws, unlocked.bundle_id, unlocked.proposal_ids, comment="")
    if os.geteuid() == 0:  # root may write anywhere a permission bit allows; /sys refuses even root
        target = Path("/sys/reviewer-app-result.rvb")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "result.rvb"
    before = _state(unlocked.bundle_id)
    code, _, err = run(capsys, monkeypatch, "review", "export", unlocked.bundle_id[:8], "-o", str(target),
                       "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 3 and str(target) in err and "Traceback" not in err and "Permission" not in err
    assert _state(unlocked.bundle_id) == before


def test_an_unusable_keyring_backend_is_treated_as_no_keyring(tmp_path):
    """A backend that cannot even be imported: messages and the passphrase path, no traceback."""
    built = make_assignment(tmp_path / "sec", n=1)
    home = tmp_path / "home"
    env = dict(os.environ, REVIEWER_APP_HOME=str(home), PYTHON_KEYRING_BACKEND="no_such_module.Keyring")

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "reviewer_app", *args], input=stdin, text=True,
                              capture_output=True, cwd=ROOT, env=env, timeout=120)

    steps = [
        cli("review", "add", str(built.path), "--unlock", "--remember", "--passphrase-stdin", stdin=PASSPHRASE + "\n"),
        cli("review", "grade", built.bundle_id[:8], "P001", "2-1", "b"),
        cli("review", "read", built.bundle_id[:8], "P001"),
        cli("review", "read", built.bundle_id[:8], "P001", "--passphrase-stdin", stdin=PASSPHRASE + "\n"),
        cli("review", "forget", built.bundle_id[:8]),
    ]
    codes = [s.returncode for s in steps]
    assert codes == [0, 0, 3, 0, 0], [s.stderr for s in steps]
    for s in steps:
        assert "Traceback" not in s.stderr and "ModuleNotFoundError" not in s.stderr + s.stdout
    assert "キーリング" in steps[0].stderr  # not remembered, and why
    assert "--passphrase-stdin" in steps[2].stderr  # asked for it the way a script can answer
    assert "記憶した鍵はありません" in steps[4].stdout


def test_the_stated_text_limit_is_the_one_enforced(capsys):
    assert main(["review", "comment", "--help"]) == 0
    assert f"{MAX_TEXT_CHARS:,}" in capsys.readouterr().out
    assert f"{MAX_TEXT_CHARS:,}" in (ROOT / "docs" / "workspace.md").read_text(encoding="utf-8")
