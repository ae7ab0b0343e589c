"""``reviewer-app rubric …`` as a secretariat clerk or a script would use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reviewer_app.cli import main
from reviewer_app.paths import resource_path


def entries_json(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "entries.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def complete(mark: str = "b") -> dict:
    d = {i: {"mark": mark, "comment": "所見"} for i in ("1-4", "1-6", "1-8", "1-9", "2-1", "2-2", "2-3", "2-4", "2-5")}
    d |= {i: {"mark": "3", "figure": 400, "comment": "基準数並み"} for i in ("1-1", "1-2", "1-3", "1-5", "1-7")}
    return d


def test_check_the_shipped_rubric(capsys):
    assert main(["rubric", "check"]) == 0
    out = capsys.readouterr().out
    assert "有効な審査基準" in out and "14" in out and "500" in out


def test_check_a_broken_file_explains_in_japanese_and_english(tmp_path, capsys):
    text = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("total_points = 500", "total_points = 501"), encoding="utf-8")
    assert main(["rubric", "check", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "bad.toml" in err and "501" in err and "Traceback" not in err
    assert main(["--lang", "en", "rubric", "check", str(bad)]) == 3
    assert "add up to 500, not the declared 501" in capsys.readouterr().err


def test_show_lists_every_perspective(capsys, rubric):
    assert main(["rubric", "show"]) == 0
    out = capsys.readouterr().out
    for item in rubric.items:
        assert item.title in out
        for p in item.perspectives:
            assert p.text in out


def test_score_complete_entries(tmp_path, capsys):
    path = entries_json(tmp_path, complete("a"))
    assert main(["rubric", "score", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["complete"] and out["band"] == "190+"
    # level 3 on the five 5-level items (0.6 × 195 = 117) plus a on the four a–d items (75)
    assert out["viewpoints"] == {"1": "192", "2": "230"} and out["total"] == "422"
    assert out["items"]["1-5"]["points"] == "9" and out["items"]["1-1"]["suggested"] == "3"
    assert out["findings"] == []


def test_score_with_blocking_findings_exits_1_and_says_what_to_fix(tmp_path, capsys):
    data = complete()
    data["2-2"] = {"mark": "d"}
    data["2-4"] = {"unjudgeable": True}
    del data["1-9"]
    assert main(["rubric", "score", str(entries_json(tmp_path, data))]) == 1
    out = capsys.readouterr().out
    assert "視点2 ②" in out and "判断根拠" in out
    assert "視点2 ④" in out and "判断できない理由" in out
    assert "視点1 ⑨" in out and "評点が未入力" in out


def test_score_malformed_entries(tmp_path, capsys):
    p = tmp_path / "e.json"
    p.write_text("{not json", encoding="utf-8")
    assert main(["rubric", "score", str(p)]) == 3
    assert "JSON" in capsys.readouterr().err
    p.write_text(json.dumps({"9-9": {"mark": "a"}}), encoding="utf-8")
    assert main(["rubric", "score", str(p)]) == 3
    assert "9-9" in capsys.readouterr().err
    p.write_text(json.dumps({"2-1": {"mark": "z"}}), encoding="utf-8")
    assert main(["rubric", "score", str(p)]) == 3
    assert "a, b, c, d" in capsys.readouterr().err
    p.write_text(json.dumps({"1-1": {"mark": "3", "figure": "lots"}}), encoding="utf-8")
    assert main(["rubric", "score", str(p)]) == 3
    assert "lots" in capsys.readouterr().err
    assert main(["rubric", "score", str(tmp_path / "missing.json")]) == 3


def test_suggest(capsys):
    assert main(["rubric", "suggest", "1-1", "700"]) == 0
    assert capsys.readouterr().out.strip() == "5"
    assert main(["rubric", "suggest", "2-1", "700"]) == 1


def test_module_entry_point_runs_without_qt():
    out = subprocess.run([sys.executable, "-m", "reviewer_app", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("reviewer-app ")


def test_unknown_command_is_a_usage_error(capsys):
    assert main(["no-such-command"]) == 2
