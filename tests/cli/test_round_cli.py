"""``reviewer-app round …`` scripted as a secretariat would: every step from a folder to the decision tables.

The reviewers read their passphrases from the printed letters (the PDFs the command wrote)
and score through the reviewer services; everything the secretariat does goes through the CLI.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from reviewer_app.cli import main
from tests.services.secretariat.round_fixtures import copy_example, make_plan, play_reviewer

ROUND = "2009-R1"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    for text in (out.out, out.err):
        assert "Traceback" not in text and "Error:" not in text
    return code, out.out, out.err


@pytest.fixture
def small_round(tmp_path: Path) -> Path:
    """The example folder cut down to two reviewers, so the real Argon2id cost stays small."""
    folder = copy_example(tmp_path / "setup")
    (folder / "reviewers.csv").write_text("id,name,affiliation\nR01,山田 太郎,東都大学\nR02,佐藤 花子,西海大学\n", "utf-8")
    rows = [x for x in (folder / "assignments.csv").read_text("utf-8").splitlines() if x.split(",")[0] in ("reviewer", "R01", "R02")]
    (folder / "assignments.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (folder / "conflicts.csv").write_text("reviewer,proposal,reason\nR02,P-003,兼務\n", "utf-8")
    return folder


def passphrase_from_letter(path: Path) -> str:
    text = PdfReader(str(path)).pages[0].extract_text()
    return re.search(r"([A-Z2-9]{5}(?:-[A-Z2-9]{5}){5})", text).group(1)


def test_a_whole_round_from_the_command_line(capsys, monkeypatch, tmp_path, small_round):
    key_pass = tmp_path / "key-pass.txt"
    key_pass.write_text("correct horse battery staple for the office\n", "utf-8")
    keys = ["--key-passphrase-file", str(key_pass)]
    code, out, _ = run(capsys, monkeypatch, "secretariat", "keygen", "--no-keyring", "--passphrase-file", str(key_pass))
    assert code == 0

    code, out, _ = run(capsys, monkeypatch, "round", "check", str(small_round))
    assert code == 0 and "2009-R1" in out
    code, out, _ = run(capsys, monkeypatch, "round", "setup", str(small_round))
    assert code == 0 and "2009-R1" in out
    code, _, err = run(capsys, monkeypatch, "round", "setup", str(small_round))
    assert code == 3 and "--update" in err
    code, out, _ = run(capsys, monkeypatch, "round", "list", "--json")
    assert code == 0 and json.loads(out)[0]["reviewers"] == 2

    bundles = tmp_path / "bundles"
    letters = tmp_path / "letters"
    bundles.mkdir()
    letters.mkdir()
    code, out, _ = run(capsys, monkeypatch, "round", "issue", ROUND, "-o", str(bundles), "--letters", str(letters), *keys)
    assert code == 0 and out.count(".rvb") == 2
    assert sorted(p.name for p in letters.iterdir()) == ["2009-R1-R01-passphrase.pdf", "2009-R1-R02-passphrase.pdf"]
    code, _, err = run(capsys, monkeypatch, "round", "issue", ROUND, "-o", str(bundles), "--reissue", *keys)
    assert code == 3 and "--force" in err  # the bundles are there: never replaced unasked

    # The reviewers open the bundles with the passphrases printed on their letters.
    returned = tmp_path / "returned"
    returned.mkdir()
    from reviewer_app.services.secretariat import Secretariat

    with Secretariat() as sec:
        rubric = sec.rubric(ROUND)
        assigned = {r: [p for x, p in sec.assignments(ROUND) if x == r] for r in ("R01", "R02")}
    items = [(i.id, rubric.scale_of(i).codes) for i in rubric.items]
    for n, r in enumerate(("R01", "R02"), 1):
        plan = make_plan(r, assigned[r], items, seed=10 + n)
        play_reviewer(tmp_path / "rev" / r, bundles / f"2009-R1-{r}.rvb",
                      passphrase_from_letter(letters / f"2009-R1-{r}-passphrase.pdf"), plan, returned / f"{r}.rvb")
    broken = bytearray((returned / "R02.rvb").read_bytes())
    broken[100] ^= 0xFF
    (returned / "R02-broken.rvb").write_bytes(bytes(broken))

    code, out, _ = run(capsys, monkeypatch, "round", "import", ROUND, str(returned), *keys)
    assert code == 1  # one file refused: the batch still ran
    assert out.count("［取込］") == 2 and out.count("［拒否］") == 1 and "R02-broken.rvb" in out
    code, out, _ = run(capsys, monkeypatch, "round", "import", ROUND, str(returned / "R01.rvb"), "--json", *keys)
    assert code == 0 and json.loads(out)["files"][0]["status"] == "duplicate"

    code, out, _ = run(capsys, monkeypatch, "round", "status", ROUND)
    assert code == 0 and out.count("返却済み（第 1 版）") == 2
    code, out, _ = run(capsys, monkeypatch, "round", "aggregate", ROUND, "--json")
    ranking = json.loads(out)["ranking"]
    assert code == 0 and len(ranking) == 8 and ranking[0]["rank"] == 1
    assert {r["proposal"]: r["counted"] for r in ranking} == {f"P-00{i}": 1 if i == 3 else 2 for i in range(1, 9)}
    assert all(sum(r["band_counts"].values()) == r["counted"] for r in ranking)  # 視点2 band of every counted review
    code, out, _ = run(capsys, monkeypatch, "round", "aggregate", ROUND)
    assert code == 0 and out.splitlines()[0].startswith("順位") and "190点以上 件数" in out.splitlines()[0]
    header = out.splitlines()[0].split("\t")
    counts = [sum(int(line.split("\t")[header.index(h)]) for h in header if h.endswith(" 件数"))
              for line in out.splitlines()[1:9]]
    assert sorted(counts) == sorted(r["counted"] for r in ranking)
    code, out, _ = run(capsys, monkeypatch, "round", "proposal", ROUND, "P-003")
    assert code == 0 and "R01" in out and "所見 R01 P-003 2-1" in out
    code, out, _ = run(capsys, monkeypatch, "round", "reviewers", ROUND, "--json")
    assert code == 0 and [r["reviewer"] for r in json.loads(out)] == ["R01", "R02"]

    top = ranking[0]["proposal"]
    code, out, _ = run(capsys, monkeypatch, "round", "decide", ROUND, top, "表1", "o", "--note", "上位", "--by", "委員長")
    assert code == 0 and "○" in out and "委員長" in out
    code, _, err = run(capsys, monkeypatch, "round", "decide", ROUND, ranking[1]["proposal"], "表2", "a", "--by", "委員長")
    assert code == 3 and "表1" in err
    code, out, _ = run(capsys, monkeypatch, "round", "decisions", ROUND, "--json")
    assert code == 0 and json.loads(out)[0]["proposal"] == top

    xlsx = tmp_path / "round.xlsx"
    code, out, _ = run(capsys, monkeypatch, "round", "export", ROUND, "-o", str(xlsx))
    assert code == 0 and xlsx.is_file()
    code, _, err = run(capsys, monkeypatch, "round", "export", ROUND, "-o", str(xlsx))
    assert code == 3 and "--force" in err
    code, out, _ = run(capsys, monkeypatch, "round", "export", ROUND, "-o", str(xlsx), "--force")
    assert code == 0
    csv_path = tmp_path / "reviews.csv"
    code, out, _ = run(capsys, monkeypatch, "round", "export", ROUND, "--view", "reviews", "-o", str(csv_path))
    assert code == 0 and csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, err = run(capsys, monkeypatch, "round", "export", ROUND, "-o", str(tmp_path / "round.ods"))
    assert code == 3 and ".xlsx" in err
    for cmd, name in (("panel", "panel.pdf"), ("tables", "tables.pdf")):
        code, out, _ = run(capsys, monkeypatch, "round", cmd, ROUND, "-o", str(tmp_path / name))
        assert code == 0 and (tmp_path / name).read_bytes().startswith(b"%PDF-")
    code, out, _ = run(capsys, monkeypatch, "round", "audit", ROUND)
    assert code == 0 and "decision.recorded" in out and "result.imported" in out


def test_check_lists_every_problem_with_its_place(capsys, monkeypatch, tmp_path):
    folder = copy_example(tmp_path / "setup")
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R99,P-001\n")
    (folder / "proposals" / "P-002.pdf").unlink()
    code, _, err = run(capsys, monkeypatch, "round", "check", str(folder))
    assert code == 1
    assert "assignments.csv:40:1:" in err and "proposals.csv:3:1:" in err and "R99" in err
    code, _, err = run(capsys, monkeypatch, "--lang", "en", "round", "setup", str(folder))
    assert code == 3 and "assignments.csv:40:1: [error]" in err and "2 error(s)" in err


def test_unknown_round_and_bad_table_are_explained(capsys, monkeypatch, tmp_path, small_round):
    code, _, err = run(capsys, monkeypatch, "round", "aggregate", "nope")
    assert code == 3 and "nope" in err
    run(capsys, monkeypatch, "round", "setup", str(small_round))
    code, _, err = run(capsys, monkeypatch, "round", "decide", ROUND, "P-001", "表9", "o")
    assert code == 3 and "表9" in err
