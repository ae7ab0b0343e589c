"""Reviewer-side services: adding a bundle keeps an encrypted copy in the app folder only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reviewer_app.core.errors import BundleFormatError
from reviewer_app.services import bundles as svc
from reviewer_app.services.bundle_description import load_assignment_description
from tests.core.bundle.conftest import PASS, issued, registry, sec_keys  # noqa: F401  (shared fixtures)


def test_store_copy_then_reopen(issued, _isolated_home: Path) -> None:  # noqa: F811
    stored = svc.store_assignment_copy(issued[0])
    copy = stored.path
    assert copy.parent == svc.bundles_dir() and copy.is_relative_to(_isolated_home)
    assert copy.read_bytes() == issued[0].read_bytes()
    assert stored.sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert svc.open_assignment(copy, PASS).bundle_id == stored.header.bundle_id
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]


def test_store_copy_refuses_non_bundle(tmp_path: Path) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(BundleFormatError):
        svc.store_assignment_copy(f)
    assert list(svc.bundles_dir().iterdir()) == []


GOOD_DESCRIPTION = """
[round]
id = "R2009"
title = "書面審査"
deadline = 2009-06-30T17:00:00+09:00
band_targets = { "190+" = 0.2 }
[reviewer]
id = "rv01"
name = "山田 太郎"
[[proposals]]
id = "P001"
title = "構想"
institution = "○○大学"
institution_type = "国立"
region = "関東"
pdf = "p1.pdf"
[proposals.figures]
"1-1" = 412
"1-3" = "1,234.5"
"""


def _write_description(folder: Path, text: str) -> Path:
    (folder / "p1.pdf").write_bytes(b"%PDF-1.4 x")
    f = folder / "d.toml"
    f.write_text(text, encoding="utf-8")
    return f


def test_description_values_are_normalised_to_the_wire_grammar(tmp_path: Path) -> None:
    from decimal import Decimal

    from reviewer_app.services.rubrics import load_shipped_rubric

    bands = [b.id for b in load_shipped_rubric().bands.bands]
    spec = load_assignment_description(_write_description(tmp_path, GOOD_DESCRIPTION.replace("190+", bands[0])))
    assert spec.settings.deadline == "2009-06-30T17:00:00+09:00"  # a TOML date-time, written as ISO 8601
    assert spec.settings.band_targets == {bands[0]: Decimal("0.2")}
    assert spec.proposals[0].figures == {"1-1": Decimal(412), "1-3": Decimal("1234.5")}
    assert spec.pdfs["P001"] == str(tmp_path / "p1.pdf")


BAD_DESCRIPTIONS = [
    # (replace this, with this, code, field)
    ("[reviewer]", 'colour = "red"\n[reviewer]', "unknown_key", "round"),
    ('[reviewer]\nid = "rv01"', '[reviewer]\nnme = "x"\nid = "rv01"', "unknown_key", "reviewer"),
    ('region = "関東"', 'region = "関東"\ncolour = 1', "unknown_key", "proposals[1]"),
    ('title = "書面審査"\n', "", "missing", "round.title"),
    ('id = "R2009"', "id = 2009", "not_text", "round.id"),
    ('id = "R2009"', 'id = "  "', "empty", "round.id"),
    ('"1-1" = 412', '"1-1" = -4', "bad_number", "proposals[1].figures.1-1"),
    ('"1-1" = 412', '"1-1" = "NaN"', "bad_number", "proposals[1].figures.1-1"),
    ('"1-1" = 412', '"1-1" = true', "bad_number", "proposals[1].figures.1-1"),
    ('"1-1" = 412', '"9-9" = 412', "unknown_item", "proposals[1].figures.9-9"),
    ("deadline = 2009-06-30T17:00:00+09:00", "deadline = 2009-06-30T17:00:00", "deadline_no_zone", "round.deadline"),
    ("deadline = 2009-06-30T17:00:00+09:00", 'deadline = "next friday"', "bad_deadline", "round.deadline"),
    ("deadline = 2009-06-30T17:00:00+09:00", 'deadline = "2009-02-30"', "bad_deadline", "round.deadline"),
    ('title = "書面審査"', 'title = "書面審査"\nlanguage = "fr"', "bad_language", "round.language"),
    ('institution_type = "国立"', 'institution_type = "国公立"', "bad_institution_type", "proposals[1].institution_type"),
    ('title = "構想"', 'title = "構想\\u202e"', "control_char", "proposals[1].title"),
    ("= 0.2 }", "= 1.5 }", "bad_share", "round.band_targets.BAND"),
    ('{ "BAND"', '{ "nope"', "unknown_band", "round.band_targets.nope"),
    ("[[proposals]]\n", "[rounds]\n[[proposals]]\n", "unknown_section", "-"),
    ('id = "R2009"', 'id = "R2009', "syntax", None),
]


@pytest.fixture
def band() -> str:
    from reviewer_app.services.rubrics import load_shipped_rubric

    return load_shipped_rubric().bands.bands[0].id


def _assert_message_names(err: BundleFormatError, path: Path, monkeypatch) -> None:
    from reviewer_app import i18n

    for lang in ("ja", "en"):
        monkeypatch.setattr(i18n, "_current", lang)
        message = i18n.describe_error(err)
        assert str(path) in message and "{" not in message, message
        assert "Error" not in message and "Decimal" not in message and "Operation" not in message, message


@pytest.mark.parametrize("old,new,code,field", BAD_DESCRIPTIONS)
def test_description_refusals_name_the_file_the_field_and_the_fix(tmp_path, band, monkeypatch, old, new, code, field) -> None:
    text = GOOD_DESCRIPTION.replace("190+", band)
    old, new, field = (x if x is None else x.replace("BAND", band) for x in (old, new, field))
    assert old in text, old
    f = _write_description(tmp_path, text.replace(old, new, 1))
    with pytest.raises(BundleFormatError) as e:
        load_assignment_description(f)
    assert e.value.code == f"bundle.description.{code}", e.value
    if field is not None:
        assert e.value.params["field"] == field
    _assert_message_names(e.value, f, monkeypatch)


def test_description_refuses_a_proposal_id_given_twice(tmp_path, band, monkeypatch) -> None:
    text = GOOD_DESCRIPTION.replace("190+", band)
    f = _write_description(tmp_path, text + text[text.index("[[proposals]]"):])
    with pytest.raises(BundleFormatError) as e:
        load_assignment_description(f)
    assert e.value.code == "bundle.description.duplicate_proposal" and e.value.params["field"] == "proposals[2].id"
    _assert_message_names(e.value, f, monkeypatch)


def test_description_must_be_a_regular_file_of_bounded_size(tmp_path: Path) -> None:
    import os

    from reviewer_app.core.errors import InputFileError

    fifo = tmp_path / "d.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError) as e:
        load_assignment_description(fifo)  # refused at once: nothing is written into the pipe
    assert e.value.code == "bundle.input.not_regular"
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.truncate(5 * 1024 * 1024)  # sparse
    with pytest.raises(BundleFormatError) as e2:
        load_assignment_description(big)
    assert e2.value.code == "bundle.description.too_large" and e2.value.params["limit"] == 4 * 1024 * 1024
