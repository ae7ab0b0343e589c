"""``review remove`` and ``review add`` over a damaged stored copy: no dead end, nothing lost unasked."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from reviewer_app.cli import main
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, make_assignment


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None, tty: bool = False) -> tuple[int, str, str]:
    if stdin is not None:
        stream = io.StringIO(stdin)
        stream.isatty = lambda: tty  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stdin", stream)
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _added_and_graded(tmp_path: Path, capsys, monkeypatch):
    built = make_assignment(tmp_path / "sec", n=2)
    assert run(capsys, monkeypatch, "review", "add", str(built.path), "--unlock", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n")[0] == 0
    b = built.bundle_id[:8]
    assert run(capsys, monkeypatch, "review", "grade", b, "P001", "2-1", "b")[0] == 0
    assert run(capsys, monkeypatch, "review", "comment", b, "P001", "2-1", "よい計画")[0] == 0
    return built, b


def test_remove_says_what_it_deletes_and_asks_first(tmp_path: Path, capsys, monkeypatch) -> None:
    built, b = _added_and_graded(tmp_path, capsys, monkeypatch)
    code, out, err = run(capsys, monkeypatch, "review", "remove", b, stdin="")  # no terminal, no --yes
    assert code != 0 and "--yes" in err
    assert "採点済みの項目 1 件、コメント 1 件" in out and "監査ログ" in out
    code, out, _ = run(capsys, monkeypatch, "review", "remove", b, stdin="nope\n", tty=True)  # a wrong answer cancels
    assert code != 0 and "何も削除していません" in out
    with Workspace() as ws:
        assert ws.entries(built.bundle_id, "P001")["2-1"].comment == "よい計画"
    code, out, _ = run(capsys, monkeypatch, "review", "remove", b, stdin=built.bundle_id[:8] + "\n", tty=True)
    assert code == 0 and built.bundle_id in out
    with Workspace() as ws:
        assert ws.bundles() == []
    # Added again: a fresh start, with nothing in the way.
    assert run(capsys, monkeypatch, "review", "add", str(built.path), "--unlock", "--passphrase-stdin",
               stdin=PASSPHRASE + "\n")[0] == 0


def test_add_over_a_damaged_copy_replaces_it_after_verifying(tmp_path: Path, capsys, monkeypatch) -> None:
    from tests.services.test_workspace_bundles import _damage, _same_bundle_rebuilt

    built, b = _added_and_graded(tmp_path, capsys, monkeypatch)
    with Workspace() as ws:
        stored = ws.bundles()[0].stored_file
    _damage(stored)
    again = _same_bundle_rebuilt(built, tmp_path / "download")
    code, _, err = run(capsys, monkeypatch, "review", "add", str(again))
    assert code != 0 and "--unlock" in err and str(again) in err  # says what to do
    code, _, err = run(capsys, monkeypatch, "review", "add", str(again), "--unlock", "--passphrase-stdin",
                       stdin=PASSPHRASE + "\n")
    assert code == 0 and "置き換えました" in err
    assert stored.read_bytes() == again.read_bytes()
    code, out, _ = run(capsys, monkeypatch, "review", "read", b, "P001", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and "P001" in out
    with Workspace() as ws:
        assert ws.entries(built.bundle_id, "P001")["2-1"].mark == "b"
