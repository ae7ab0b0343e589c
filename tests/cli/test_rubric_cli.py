"""``reviewer-app rubric …`` as a secretariat clerk or a script would use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- issue 10 ---------------------------------------------------------------------------


def score_json(tmp_path: Path, capsys, data: dict | str) -> tuple[int, dict | str]:
    p = tmp_path / "entries.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["rubric", "score", str(p), "--json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if code in (0, 1) else out.err)


def test_unjudgeable_examples_score_the_forced_grade(tmp_path, capsys):
    code, out = score_json(tmp_path, capsys, {"2-2": {"unjudgeable": True, "mark": "a", "reason": "記載不備"}})
    assert code == 1  # the other items are missing, and "a" beside the flag must be resolved
    item = out["items"]["2-2"]
    assert (item["mark"], item["points"], item["unjudgeable"], item["entered_mark"]) == ("d", "12.5", True, "a")
    assert out["viewpoints"]["2"] == "12.5"
    _code, out = score_json(tmp_path, capsys, {"1-7": {"unjudgeable": True, "reason": "x"}})
    assert out["items"]["1-7"]["mark"] == "1" and out["items"]["1-7"]["points"] == "10"
    assert not [f for f in out["findings"] if f["item"] == "1-7"]


def test_decimals_in_entries_json_are_read_exactly(tmp_path, capsys):
    text = '{"1-1": {"mark": "3", "figure": 509.99999999999999999, "comment": "x"}}'
    code, out = score_json(tmp_path, capsys, text)
    assert code == 1 and out["items"]["1-1"]["suggested"] == "3"  # not 510 (→ 4)
    _code, out = score_json(tmp_path, capsys, '{"1-1": {"mark": "3", "figure": "１２３", "comment": "x"}}')
    assert out["items"]["1-1"]["suggested"] == "1"  # 123 / 340 < 0.5


@pytest.mark.parametrize(("text", "needle"), [
    ('{"2-1": {"mark": "b", "unjudgeable": "false"}}', "true または false"),
    ('{"2-1": {"mark": "b", "unjudgeable": 0}}', "true または false"),
    ('{"2-1": {"mark": "a", "comment": true}}', "文字列"),
    ('{"2-1": {"mark": "d", "unjudgeable": true, "reason": 1}}', "文字列"),
    ('{"2-1": {"mark": 3}}', "文字列"),
    ('{"2-1": {"mark": "a", "comment": "x"}, "2-1": {"mark": "b", "comment": "y"}}', "二度"),
    ('{"2-1": {"mark": "a", "mark": "b", "comment": "x"}}', "二度"),
    ('{"1-1": {"mark": "3", "figure": -5}}', "負の数"),
    ('{"1-1": {"mark": "3", "figure": -0}}', "負の数"),
    ('{"1-1": {"mark": "3", "figure": "-0"}}', "負の数"),
    ('{"1-1": {"mark": "3", "figure": NaN}}', "有限"),
    ('{"1-1": {"mark": "3", "figure": Infinity}}', "有限"),
    ('{"1-1": {"mark": "3", "figure": 20000000000}}', "上限 1,000,000,000"),
    ('{"1-1": {"mark": "3", "figure": 1e5}}', "読み取れません"),
    ('{"1-1": {"mark": "3", "figure": "1_000"}}', "読み取れません"),
    ('{"1-1": {"mark": "3", "figure": true}}', "読み取れません"),
    ('{"2-5": {"mark": "b", "named_figures": {"intl_student_ratio_2020": -1}}}', "負の数"),
    ('{"2-5": {"mark": "b", "named_figures": {"nope": 1}}}', "nope"),
    ('{"2-2": {"mark": "b", "named_figures": {"intl_student_ratio_2020": 5}}}', "2-5"),
])
def test_malformed_entries_are_refused_with_the_reason(tmp_path, capsys, text, needle):
    code, err = score_json(tmp_path, capsys, text)
    assert code == 3, err
    assert needle in err and "Traceback" not in err


def test_entries_file_that_is_not_a_regular_file_is_refused(tmp_path, capsys):
    assert main(["rubric", "score", str(tmp_path)]) == 3
    assert str(tmp_path) in capsys.readouterr().err


def test_named_figures_give_the_reminder_with_the_figures(tmp_path, capsys):
    data = complete()
    data["2-5"]["named_figures"] = {"intl_student_ratio_2020": 8, "intl_students_2020": "2,600"}
    code, out = score_json(tmp_path, capsys, data)
    assert code == 0  # a reminder never blocks
    (f,) = [f for f in out["findings"] if f["code"] == "figure_below_level_strict"]
    assert f["severity"] == "reminder" and f["detail"]["value"] == "8"
    assert "観点②の水準（最低10%）に達しない計画：厳しい評価を行うこととされています" in f["message"]
    checks = {c["figure"]: c for c in out["items"]["2-5"]["checks"]}
    assert checks["intl_students_2020"]["status"] == "met" and checks["intl_students_2020"]["source"] == "entry"
    assert checks["foreign_faculty_ratio_2020"]["status"] == "unknown"
    path = entries_json(tmp_path, data)
    assert main(["rubric", "score", str(path)]) == 0
    assert "厳しい評価を行うこととされています（平成32年度の留学生比率" in capsys.readouterr().out


def test_show_prints_descriptions_baselines_references_and_checks(capsys, rubric):
    assert main(["rubric", "show"]) == 0
    out = capsys.readouterr().out
    for item in rubric.items:
        assert item.description in out, item.id
        assert "構想調書：" + "、".join(item.document_refs) in out, item.id
        if item.basis:
            assert f"（{item.basis.counts}）" in out
    assert "(構想調書 2-(5)、2-(6)-①、3. の項目を評価)" in out
    for c in rubric.figure_checks:
        assert f"［{c.figure}］" in out and c.title in out
    assert "水準 最低10%・目安 20%（水準に達しない計画は厳しい評価）" in out
    assert main(["--lang", "en", "rubric", "show"]) == 0
    assert "Proposal sections: 5-(1)" in capsys.readouterr().out


def test_sheet_input_files_read_entry_figures_exactly(tmp_path):
    from reviewer_app.services.sheets import load_sheet_input

    demo = json.loads(resource_path("demo", "sheets-demo.json").read_text(encoding="utf-8"))
    first = demo["results"][0]
    first["entries"] = {"1-1": {"mark": "3", "figure": "__FIGURE__", "comment": "x"}}
    text = json.dumps(demo, ensure_ascii=False).replace('"__FIGURE__"', "509.99999999999999999")
    p = tmp_path / "input.json"
    p.write_text(text, encoding="utf-8")
    inp = load_sheet_input(p)
    (entry,) = inp.results[0][1].entries
    assert entry.figure < 510 and inp.results[0][1].score(inp.ctx.rubric).item("1-1").suggested_mark == "3"


def test_sheet_input_files_refuse_an_item_given_twice(tmp_path):
    from reviewer_app.core.errors import ReviewerAppError
    from reviewer_app.services.sheets import load_sheet_input

    demo = json.loads(resource_path("demo", "sheets-demo.json").read_text(encoding="utf-8"))
    demo["results"][0]["entries"] = {"2-1": {"mark": "a", "comment": "x"}, "__DUP__": {"mark": "b"}}
    text = json.dumps(demo, ensure_ascii=False).replace('"__DUP__"', '"2-1"')
    p = tmp_path / "input.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewerAppError) as info:
        load_sheet_input(p)
    assert info.value.code == "entry.duplicate_key" and info.value.params["key"] == "2-1"
