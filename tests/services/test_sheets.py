from __future__ import annotations

import json

import pytest

from reviewer_app.core.errors import OutputPathError, SheetError
from reviewer_app.paths import resource_path
from reviewer_app.services import sheets as svc

DEMO = resource_path("demo", "sheets-demo.json")


@pytest.fixture(scope="module")
def demo() -> svc.SheetInput:
    return svc.load_sheet_input(DEMO)


def test_demo_input_loads(demo):
    assert demo.ctx.round_id == "2009-R1"
    assert set(demo.reviewers) == {"R01", "R02", "R03"}
    assert len(demo.results) == 9
    assert any(r.conflict_of_interest for _rid, r in demo.results)


def test_every_document_from_the_demo(demo, tmp_path):
    for name, pdf in (("score", svc.score_sheets(demo, "R01", ["P-001"])), ("summary", svc.reviewer_summary(demo, "R02")),
                      ("blank", svc.blank_sheet(demo.ctx.rubric, demo, "R01", "P-002"))):
        out = svc.write_pdf(pdf, tmp_path / f"{name}.pdf")
        assert out.read_bytes() == pdf.data and pdf.data.startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank.pdf", "score.pdf", "summary.pdf"]  # no temp files left


def test_choosing_reviewer_and_proposal(demo):
    with pytest.raises(SheetError) as e:
        svc.score_sheets(demo)
    assert e.value.code == "sheets.choose_reviewer"
    with pytest.raises(SheetError) as e:
        svc.score_sheets(demo, "R09")
    assert e.value.code == "sheets.unknown_reviewer"
    with pytest.raises(SheetError) as e:
        svc.score_sheets(demo, "R01", ["P-999"])
    assert e.value.code == "sheets.unknown_proposal"


def _minimal() -> dict:
    return {"format": "reviewer-app-sheets-input", "version": 1, "round": {"id": "R", "title": "t"},
            "proposals": [{"id": "P-1"}], "reviewers": [{"id": "R1", "name": "n", "key_fingerprint": "ab"}],
            "results": [{"reviewer": "R1", "proposal": "P-1", "digest": "cd", "entries": {"1-1": {"mark": "5"}}}]}


@pytest.mark.parametrize("mutate, code, field", [
    (lambda d: d.update(format="x"), "format", "format"),
    (lambda d: d.update(version=True), "version", "version"),  # True == 1 in Python, not in the format
    (lambda d: d["results"][0].update(reviewer="R9"), "unknown_reviewer", "results[0].reviewer"),
    (lambda d: d["results"][0].update(extra=1), "unknown_field", "results[0]"),
    (lambda d: d["results"][0]["entries"].update({"1-2": {"bogus": 1}}), "entries", "results[0].entries"),
    (lambda d: d["proposals"].append({"id": "P-1"}), "duplicate_id", "proposals[1].id"),
    (lambda d: d["proposals"][0].update(title="題名\x1b[2J"), "control_char", "proposals[0].title"),
    (lambda d: d["reviewers"][0].update(id="R\u202e1"), "control_char", "reviewers[0].id"),
    (lambda d: d["results"][0].update(conflict_of_interest="no"), "not_bool", "results[0].conflict_of_interest"),
])
def test_bad_input_is_refused_naming_the_file_and_the_field(rubric, mutate, code, field):
    from reviewer_app.i18n import describe_error

    data = _minimal()
    mutate(data)
    with pytest.raises(SheetError) as e:
        svc.parse_sheet_input(data, "in.json", rubric)
    assert e.value.code == f"sheets.input.{code}" and e.value.params["field"] == field
    message = describe_error(e.value)
    assert "in.json" in message and "Error" not in message and "{" not in message
    if field not in ("format", "version"):
        assert field in message


def test_unreadable_input_files_are_typed_errors_naming_the_file(tmp_path, rubric):
    cases = {
        "broken.json": (b'{"format": "reviewer-app-sheets-input",\n  "version": 1,,}', "sheets.input.syntax"),
        "latin1.toml": (b'format = "caf\xe9"', "sheets.input.not_utf8"),
        "deep.json": (b"[" * 100_000 + b"]" * 100_000, "sheets.input.too_deep"),
    }
    for name, (data, code) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(SheetError) as e:
            svc.load_sheet_input(tmp_path / name, rubric)
        assert e.value.code == code and e.value.params["file"] == name, name
    with pytest.raises(SheetError) as e:
        svc.load_sheet_input(tmp_path / "broken.json", rubric)
    assert e.value.params["line"] == 2


def test_toml_input_and_single_reviewer_default(tmp_path, rubric):
    path = tmp_path / "in.toml"
    path.write_text('format = "reviewer-app-sheets-input"\nversion = 1\n[round]\nid = "R"\ntitle = "t"\n'
                    '[[proposals]]\nid = "P-1"\n[[reviewers]]\nid = "R1"\n'
                    '[[results]]\nreviewer = "R1"\nproposal = "P-1"\ndigest = "cd"\n[results.entries."1-1"]\nmark = "5"\n',
                    encoding="utf-8")
    inp = svc.load_sheet_input(path)
    assert svc.score_sheets(inp).pages >= 1


def test_write_failure_is_typed_and_nothing_is_replaced_unasked(tmp_path, demo):
    pdf = svc.blank_sheet(demo.ctx.rubric)
    with pytest.raises(OutputPathError) as e:
        svc.write_pdf(pdf, tmp_path / "missing" / "x.pdf")
    assert e.value.code == "file.output.no_folder" and not (tmp_path / "missing").exists()
    with pytest.raises(OutputPathError) as e:
        svc.write_pdf(pdf, tmp_path)
    assert e.value.code == "file.output.not_regular"
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"the user's own file")
    with pytest.raises(OutputPathError) as e:
        svc.write_pdf(pdf, mine)
    assert e.value.code == "file.output.exists" and mine.read_bytes() == b"the user's own file"
    svc.write_pdf(pdf, mine, overwrite=True)
    assert mine.read_bytes() == pdf.data


def test_json_round_trip_of_demo_is_what_the_docs_show():
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    assert data["format"] == svc.INPUT_FORMAT and data["version"] == svc.INPUT_VERSION
