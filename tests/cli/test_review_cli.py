"""``reviewer-app review …``: a whole reviewer session, scripted, as the issue asks."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.paths import user_data_dir
from tests.workspace_fixtures import MARKER, PASSPHRASE, make_assignment, secretariat_reads

ROOT = Path(__file__).resolve().parents[2]
ALL_ITEMS = ("1-1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8", "1-9", "2-1", "2-2", "2-3", "2-4", "2-5")


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of our own, so the leak search sees everything the session wrote there."""
    d = tmp_path / "tmpdir"
    d.mkdir()
    monkeypatch.setenv("TMPDIR", str(d))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return d


def test_a_scripted_session_from_add_to_export_leaves_no_plaintext(tmp_path, capsys, monkeypatch, private_tmp):
    built = make_assignment(tmp_path / "secretariat", n=2)
    b = built.bundle_id[:8]
    r = lambda *a, stdin=None: run(capsys, monkeypatch, *a, stdin=stdin)  # noqa: E731

    code, out, _ = r("review", "add", str(built.path))
    assert code == 0 and built.bundle_id in out
    code, _, err = r("review", "add", str(built.path))
    assert code == 0 and "すでに" in err  # the same bundle twice: a no-op with a message
    code, out, _ = r("review", "unlock", b, "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and built.keys.public.signing_fingerprint in out

    code, out, _ = r("review", "read", b, "P001", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and "国際化拠点構想 P001" in out and "SHA-256" in out

    for item in ALL_ITEMS:
        mark = "3" if item in ("1-1", "1-2", "1-3", "1-5", "1-7") else "b"
        assert r("review", "grade", b, "P001", item, mark)[0] == 0
        assert r("review", "comment", b, "P001", item, "所見あり")[0] == 0
    assert r("review", "figure", b, "P001", "1-1", "1,200")[0] == 0
    assert r("review", "grade", b, "P001", "2-5", "d")[0] == 0
    assert r("review", "comment", b, "P001", "2-5", "")[0] == 0
    assert r("review", "note", b, "P001", "NOTE-NEVER-EXPORTED")[0] == 0
    code, out, _ = r("review", "note", b, "P001")
    assert out.strip() == "NOTE-NEVER-EXPORTED"

    code, out, _ = r("review", "coi", b, "P001", "--none")
    assert code == 0 and "利害関係なし" in out
    code, out, _ = r("review", "coi", b, "P002", "--reason", "兼業先")
    assert code == 0
    code, _, err = r("review", "coi", b, "P002", "--none")  # declared: withdraw first, it says
    assert code == 3 and "取り下げ" in err
    assert r("review", "coi", b, "P002", "--none", "--withdraw")[0] == 2  # one answer at a time
    code, _, err = r("review", "grade", b, "P002", "2-1", "a")
    assert code == 3 and "利害関係" in err

    code, out, _ = r("review", "check", b)
    (blocking,) = [line for line in out.splitlines() if "[要修正]" in line]
    assert code == 1 and blocking.startswith("P001 視点2 ⑤") and "コメント" in blocking
    code, out, err = r("review", "export", b, "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 3 and "要修正" in err and out.strip() == blocking

    code, _, _ = r("review", "unjudgeable", b, "P001", "2-5", "--reason", "達成目標の数値がない")
    assert code == 0
    assert r("review", "check", b)[0] == 0
    code, out, _ = r("review", "list", b)
    assert code == 0 and "入力完了" in out and "利害関係申告済み" in out
    code, out, _ = r("review", "distribution", b)
    assert code == 0 and "視点2" in out

    result = tmp_path / "outbox" / "result.rvb"
    code, _, err = r("review", "export", b, "-o", str(result), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 3 and "outbox" in err and "作成しません" in err  # a folder is never created unasked
    result.parent.mkdir()
    code, out, _ = r("review", "export", b, "--out", str(result), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and "版 1" in out
    code, out, _ = r("review", "history", b)
    assert code == 0 and "版 1" in out
    code, out, _ = r("review", "audit")
    assert code == 0 and "検証しました" in out

    payload = secretariat_reads(result, built).payload
    assert payload.revision == 1 and payload.proposals[1].conflict_of_interest
    p1 = {e.item_id: e for e in payload.proposals[0].entries}
    assert p1["2-5"].unjudgeable and p1["2-5"].unjudgeable_reason == "達成目標の数値がない"
    assert str(p1["1-1"].figure) == "1200"

    # No plaintext proposal bytes anywhere the app writes, nor in the temp folder; no secret either.
    scanned = 0
    for folder in (user_data_dir(), private_tmp):
        for f in folder.rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                scanned += 1
                assert MARKER.encode() not in data, f"plaintext proposal in {f}"
                assert PASSPHRASE.encode() not in data, f"plaintext passphrase in {f}"
                assert b"NOTE-NEVER-EXPORTED" not in data or f.name.startswith("workspace.sqlite3"), f
    assert scanned >= 3  # the database, the stored bundle, the log: the scan saw real files


def test_english_messages_and_unknown_bundle(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "--lang", "en", "review", "grade", "nope", "P001", "2-1", "a")
    assert code == 3 and "No bundle" in err and "Traceback" not in err
    code, out, _ = run(capsys, monkeypatch, "--lang", "en", "review", "list")
    assert code == 0 and "No bundles yet" in out


def test_unlock_without_a_passphrase_on_a_pipe_explains_what_to_do(tmp_path, capsys, monkeypatch):
    built = make_assignment(tmp_path / "sec")
    run(capsys, monkeypatch, "review", "add", str(built.path))
    code, _, err = run(capsys, monkeypatch, "review", "unlock", built.bundle_id, stdin="")
    assert code == 3 and "パスフレーズ" in err


def _cli(home: Path, *args: str, stdin: bytes = b"", stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = dict(os.environ, REVIEWER_APP_HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return subprocess.run([sys.executable, "-m", "reviewer_app", *args], input=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=60)


def test_the_pdf_goes_to_a_pipe_but_never_into_a_file(tmp_path):
    built = make_assignment(tmp_path / "sec", n=1)
    home = tmp_path / "home"
    secret = (PASSPHRASE + "\n").encode()
    assert _cli(home, "review", "add", str(built.path), "--unlock", "--passphrase-stdin", stdin=secret).returncode == 0
    piped = _cli(home, "review", "read", built.bundle_id, "P001", "--stdout", "--passphrase-stdin", stdin=secret)
    assert piped.returncode == 0 and piped.stdout.startswith(b"%PDF") and MARKER.encode() in piped.stdout
    target = tmp_path / "leak.pdf"
    with target.open("wb") as fh:
        redirected = _cli(home, "review", "read", built.bundle_id, "P001", "--stdout", "--passphrase-stdin",
                          stdin=secret, stdout=fh)
    assert redirected.returncode == 3 and target.read_bytes() == b""
    assert "ディスク" in redirected.stderr.decode()
