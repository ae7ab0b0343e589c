"""``reviewer-app review rounds``: the start screen's summary on the command line."""

from __future__ import annotations

from reviewer_app.cli import main
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment


def test_rounds_lists_title_deadline_progress_and_export(tmp_path, capsys):
    built = make_assignment(tmp_path / "sec", n=2, deadline="2000-01-31")
    other = make_assignment(tmp_path / "sec2", n=1, round_id="R2027")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.add_bundle(other.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        grade_everything(ws, built.bundle_id, built.proposal_ids[:1])
    assert main(["review", "rounds"]) == 0
    out = capsys.readouterr().out
    assert "令和8年度 書面審査" in out
    assert "2000-01-31（期限切れ）" in out
    assert "1 / 2 件完了" in out
    assert "まだ書き出していません" in out
    assert other.bundle_id in out and "まだ開いていません" in out


def test_rounds_in_english(tmp_path, capsys):
    built = make_assignment(tmp_path / "sec", n=1)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        ws.export(built.bundle_id, tmp_path / "r.rvb", PASSPHRASE)
    assert main(["--lang", "en", "review", "rounds"]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 complete" in out
    assert "revision 1," in out
