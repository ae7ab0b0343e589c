"""`reviewer-app selfcheck`: a complete installation passes; a broken part is reported, not hidden."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.services import selfcheck


def _names(results):
    return {r.name: r for r in results}


def test_every_core_check_passes_and_leaves_the_data_folder_untouched(_isolated_home: Path) -> None:
    before = sorted(p.relative_to(_isolated_home) for p in _isolated_home.rglob("*"))
    results = _names(selfcheck.run_core_checks())
    assert set(results) == {"rubrics", "bundle", "font", "database"}
    assert all(r.ok for r in results.values()), results
    assert "14" in results["rubrics"].detail
    assert os.environ["REVIEWER_APP_HOME"] == str(_isolated_home)
    assert sorted(p.relative_to(_isolated_home) for p in _isolated_home.rglob("*")) == before


def test_a_broken_rubric_fails_its_check_but_not_the_others(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("format_version = 1\n[rubric\n", encoding="utf-8")
    monkeypatch.setattr("reviewer_app.services.rubrics.shipped_rubric_paths", lambda: {"broken": bad})
    results = _names(selfcheck.run_core_checks())
    assert not results["rubrics"].ok
    assert results["rubrics"].detail.startswith("rubric.")  # the typed error's code, not a traceback
    assert results["database"].ok and results["font"].ok


def test_the_qt_checks_render_a_page_and_survive_void_calls(qapp) -> None:
    from reviewer_app.gui.selfcheck import run_qt_checks

    results = _names(run_qt_checks())
    assert results["pdf"].ok, results["pdf"].detail
    assert results["qt_calls"].ok


def test_cli_reports_and_exits_zero_when_all_pass(capsys: pytest.CaptureFixture[str], qapp) -> None:
    assert main(["selfcheck", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert {c["name"] for c in report["checks"]} == {"rubrics", "bundle", "font", "database", "pdf", "qt_calls"}
    assert report["versions"]["reviewer-app"]


def test_cli_exits_non_zero_and_says_which_check_failed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def no_font() -> str:
        raise RuntimeError("no embeddable Japanese TrueType font")

    monkeypatch.setattr(selfcheck, "check_font", no_font)
    assert main(["selfcheck", "--no-qt"]) == 1
    out = capsys.readouterr().out
    assert "[失敗] 審査票に埋め込める日本語フォント — no embeddable Japanese TrueType font" in out
    assert "RuntimeError" not in out  # the class name stays in the log
    assert "失敗した確認があります" in out
