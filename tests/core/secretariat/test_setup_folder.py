"""Reading a round's setup folder: Excel's encodings accepted, every kind of bad input located (file, line, column).

Each case changes one thing in a copy of the shipped example folder and checks the problem
the secretariat is shown: its code, file, line and column, and that the message is a
sentence in both languages (no exception name). One case breaks many things at once and
gets every problem back in one pass.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reviewer_app.core.secretariat.setup import read_setup
from reviewer_app.paths import resource_path
from reviewer_app.services.secretariat.messages import describe_problem
from reviewer_app.services.secretariat.rounds import load_round_rubric

EXAMPLE = resource_path("demo", "round-example")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "round"))


def problems(folder: Path):
    setup, found = read_setup(folder, load_round_rubric)
    return setup, found


def errors(folder: Path):
    setup, found = problems(folder)
    errs = [p for p in found if p.is_error]
    assert setup is None if errs else setup is not None
    return errs


def only(folder: Path, code: str):
    errs = errors(folder)
    assert [p.code for p in errs] == [code], [(p.code, p.where()) for p in errs]
    return errs[0]


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_example_folder_is_valid_and_complete(folder):
    setup, found = problems(folder)
    assert found == []
    assert setup.round_id == "2009-R1" and len(setup.proposals) == 8 and len(setup.reviewers) == 5
    assert len(setup.assignments) == 38 and {(c.reviewer_id, c.proposal_id) for c in setup.conflicts} == {
        ("R02", "P-003"), ("R04", "P-006")}
    p1 = setup.proposals[0].meta
    assert (p1.proposal_id, p1.institution, p1.institution_type, p1.region) == ("P-001", "北都大学", "国立", "北海道")
    assert str(p1.figures["1-1"]) == "412"
    assert setup.deadline == "2009-06-30" and setup.band_targets["190+"] == setup.band_targets["0-89"]


def test_shift_jis_csv_as_excel_writes_it_is_read(folder):
    for name in ("proposals.csv", "reviewers.csv", "conflicts.csv"):
        text = (folder / name).read_text("utf-8")
        (folder / name).write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    setup, found = problems(folder)
    assert found == [] and setup is not None
    assert setup.proposals[2].meta.institution == "武蔵野国際大学"
    assert setup.reviewers[0].name == "山田 太郎"
    assert setup.conflicts[0].reason == "同一法人の大学に兼務している"


def test_utf8_with_bom_is_read_and_the_header_still_recognised(folder):
    for name in ("reviewers.csv", "assignments.csv", "proposals.csv"):
        (folder / name).write_bytes(b"\xef\xbb\xbf" + (folder / name).read_bytes())
    setup, found = problems(folder)
    assert found == [] and setup is not None and setup.reviewers[0].reviewer_id == "R01"


def test_japanese_column_names_are_accepted(folder):
    rewrite(folder / "reviewers.csv", "id,name,affiliation", "審査委員番号,氏名,所属")
    setup, found = problems(folder)
    assert found == [] and setup.reviewers[1].affiliation == "西海大学"


def test_an_encoding_that_is_neither_utf8_nor_shift_jis_is_located(folder):
    data = (folder / "reviewers.csv").read_text("utf-8").replace("東都大学", "Universit\u00e9 de Lyon")
    (folder / "reviewers.csv").write_bytes(data.encode("latin-1", errors="replace"))
    p = only(folder, "bad_encoding")
    assert (p.file, p.line) == ("reviewers.csv", 2)


def test_utf16_from_excel_unicode_text_is_refused_with_what_to_do(folder):
    (folder / "assignments.csv").write_bytes((folder / "assignments.csv").read_text("utf-8").encode("utf-16"))
    p = only(folder, "utf16")
    assert p.file == "assignments.csv"
    assert "CSV UTF-8" in describe_problem(p)


def test_unknown_ids_in_assignments_and_conflicts(folder):
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R09,P-001\nR01,P-099\n")
    rewrite(folder / "conflicts.csv", "R04,P-006", "R04,P-666")
    errs = errors(folder)
    got = {(p.code, p.file, p.line, p.column) for p in errs}
    assert ("unknown_reviewer", "assignments.csv", 40, 1) in got
    assert ("unknown_proposal", "assignments.csv", 41, 2) in got
    assert ("unknown_proposal", "conflicts.csv", 3, 2) in got


def test_a_missing_pdf_and_a_file_that_is_not_a_pdf(folder):
    (folder / "proposals" / "P-004.pdf").unlink()
    (folder / "proposals" / "P-005.pdf").write_text("not a pdf", "utf-8")
    errs = errors(folder)
    got = {(p.code, p.line) for p in errs}
    assert got == {("pdf_missing", 5), ("not_a_pdf", 6)}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_in_place_of_a_pdf_or_csv_is_refused_without_blocking(folder):
    (folder / "proposals" / "P-002.pdf").unlink()
    os.mkfifo(folder / "proposals" / "P-002.pdf")
    (folder / "conflicts.csv").unlink()
    os.mkfifo(folder / "conflicts.csv")
    got = {(p.code, p.file) for p in errors(folder)}
    assert got == {("pdf_not_a_file", "proposals.csv"), ("not_a_file", "conflicts.csv")}


def test_a_pdf_path_leaving_the_folder_is_refused(folder):
    rewrite(folder / "proposals.csv", "id,title,institution,type,region,", "id,title,institution,type,region,pdf,")
    lines = (folder / "proposals.csv").read_text("utf-8").splitlines()
    lines = [lines[0]] + [",".join([*line.split(",")[:5], "../outside.pdf" if n == 1 else "", *line.split(",")[5:]])
                          for n, line in enumerate(lines[1:], 1)]
    (folder / "proposals.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (folder.parent / "outside.pdf").write_bytes(b"%PDF-1.4\n")
    p = only(folder, "pdf_outside")
    assert (p.line, p.column) == (2, 6)


def test_a_reviewer_assigned_to_a_proposal_they_conflict_with(folder):
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R02,P-003\n")
    p = only(folder, "assigned_with_conflict")
    assert (p.file, p.line, p.params["conflict_line"]) == ("assignments.csv", 40, 2)


def test_duplicate_rows_and_ids(folder):
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R01,P-001\n")
    with (folder / "reviewers.csv").open("a", encoding="utf-8") as fh:
        fh.write("R03,別人,どこか\n")
    got = {(p.code, p.file, p.line, p.params.get("first_line")) for p in errors(folder)}
    assert got == {("duplicate_row", "assignments.csv", 40, 2), ("duplicate_id", "reviewers.csv", 7, 4)}


def test_empty_required_fields_name_the_column(folder):
    rewrite(folder / "proposals.csv", "P-002,東北グローバル人材育成拠点,青葉大学", "P-002,東北グローバル人材育成拠点,")
    rewrite(folder / "reviewers.csv", "R05,田中 健,", "R05,,")
    got = {(p.code, p.file, p.line, p.column) for p in errors(folder)}
    assert ("empty_field", "proposals.csv", 3, 3) in got
    assert ("empty_field", "reviewers.csv", 6, 2) in got


@pytest.mark.parametrize("value", ["-5", "abc", "1e5", "NaN", "12.5.1", "１２３４５６７８９０１２"])
def test_figures_that_are_not_non_negative_decimals(folder, value):
    rewrite(folder / "proposals.csv", "北都大学,国立,北海道,412,", f"北都大学,国立,北海道,{value},")
    p = only(folder, "bad_figure")
    assert (p.file, p.line, p.column, p.params["item"]) == ("proposals.csv", 2, 6, "1-1")


def test_figures_as_people_type_them_are_accepted(folder):
    rewrite(folder / "proposals.csv", "北都大学,国立,北海道,412,", '北都大学,国立,北海道,"1,234.5",')
    rewrite(folder / "proposals.csv", "青葉大学,国立,東北,690,", "青葉大学,国立,東北,６９０,")
    setup, found = problems(folder)
    assert found == []
    assert str(setup.proposals[0].meta.figures["1-1"]) == "1234.5" and str(setup.proposals[1].meta.figures["1-1"]) == "690"


def test_bad_dates_and_round_settings_are_located_in_round_toml(folder):
    rewrite(folder / "round.toml", "deadline = 2009-06-30", 'deadline = "2009-02-30"')
    rewrite(folder / "round.toml", '"190+" = 0.25', '"190+" = 1.5')
    rewrite(folder / "round.toml", 'language = "ja"', 'language = "fr"')
    got = {(p.code, p.line) for p in errors(folder)}
    assert got == {("bad_date", 6), ("bad_share", 12), ("bad_language", 7)}


def test_toml_syntax_errors_give_line_and_column(folder):
    rewrite(folder / "round.toml", 'title = "平成21年度', 'title = 平成21年度')
    p = only(folder, "toml_syntax")
    assert p.file == "round.toml" and p.line == 5 and p.column is not None


def test_grade_points_out_of_range_unknown_or_not_ordered(folder):
    rewrite(folder / "round.toml", "a = 100", "a = 120\ne = 10")
    got = {(p.code, p.line) for p in errors(folder)}
    assert got == {("bad_grade_points", 19), ("unknown_mark", 20)}


def test_grade_points_that_make_a_worse_grade_worth_more_are_refused_by_the_rubric_rules(folder):
    rewrite(folder / "round.toml", "c = 50", "c = 80")
    p = only(folder, "bad_grade_points_rubric")
    assert p.file == "round.toml"
    assert "{" not in describe_problem(p)


def test_wrong_number_of_fields_unknown_and_missing_columns(folder):
    with (folder / "reviewers.csv").open("a", encoding="utf-8") as fh:
        fh.write("R06,名前\n")
    rewrite(folder / "assignments.csv", "reviewer,proposal", "reviewer,proposal,weight")
    text = (folder / "assignments.csv").read_text("utf-8").splitlines()
    (folder / "assignments.csv").write_text("\n".join([text[0]] + [t + ",1" for t in text[1:]]) + "\n", "utf-8")
    rewrite(folder / "proposals.csv", ",1-7\n", "\n")
    lines = (folder / "proposals.csv").read_text("utf-8").splitlines()
    (folder / "proposals.csv").write_text("\n".join([lines[0]] + [",".join(x.split(",")[:-1]) for x in lines[1:]]) + "\n",
                                         "utf-8")
    got = {(p.code, p.file, p.line, p.column) for p in errors(folder)}
    assert got == {("field_count", "reviewers.csv", 7, None), ("unknown_column", "assignments.csv", 1, 3),
                   ("missing_column", "proposals.csv", None, None)}


def test_an_institution_type_outside_the_three(folder):
    rewrite(folder / "proposals.csv", "湘南大学,私立", "湘南大学,株式会社立")
    p = only(folder, "bad_institution_type")
    assert (p.line, p.column) == (5, 4)


def test_missing_files_and_a_missing_folder(folder, tmp_path):
    (folder / "reviewers.csv").unlink()
    p = only(folder, "missing_file")
    assert p.file == "reviewers.csv"
    _setup, found = problems(tmp_path / "nowhere")
    assert [x.code for x in found] == ["not_a_folder"]


def test_every_problem_is_reported_at_once_in_words(folder, monkeypatch):
    from reviewer_app import i18n

    rewrite(folder / "round.toml", "deadline = 2009-06-30", 'deadline = "someday"')
    (folder / "proposals" / "P-008.pdf").unlink()
    rewrite(folder / "proposals.csv", "尾張工科大学,国立,中部,520", "尾張工科大学,国立,中部,-520")
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R04,P-006\nR77,P-001\n")
    with (folder / "reviewers.csv").open("a", encoding="utf-8") as fh:
        fh.write("R01,重複,x\n")
    errs = errors(folder)
    assert {p.code for p in errs} == {"bad_date", "pdf_missing", "bad_figure", "assigned_with_conflict", "unknown_reviewer",
                                      "duplicate_id"}
    for lang in ("ja", "en"):
        monkeypatch.setattr(i18n, "_current", lang)
        for p in errs:
            text = describe_problem(p)
            assert text.startswith(p.where() + ": ")
            assert "{" not in text and "Error" not in text and "Traceback" not in text


def test_warnings_do_not_block(folder):
    (folder / "conflicts.csv").unlink()
    (folder / "proposals" / "extra.pdf").write_bytes(b"%PDF-1.4\n")
    rewrite(folder / "proposals.csv", "九州・沖縄,760,", "九州・沖縄,,")
    setup, found = problems(folder)
    assert setup is not None
    assert {(p.code, p.severity) for p in found} == {("no_conflicts_file", "warning"), ("unused_pdf", "warning"),
                                                     ("missing_figure", "warning")}
