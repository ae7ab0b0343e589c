"""``reviewer-app review named-figure``: the reviewer records a 観点's figure and sees the reminder."""

from __future__ import annotations

import io
import sys

from reviewer_app.cli import main
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, make_assignment


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_record_a_named_figure_and_see_the_strict_reminder(tmp_path, capsys, monkeypatch):
    built = make_assignment(tmp_path / "secretariat", n=1)
    b = built.bundle_id[:8]
    assert run(capsys, monkeypatch, "review", "add", str(built.path))[0] == 0
    assert run(capsys, monkeypatch, "review", "unlock", b, "--passphrase-stdin", stdin=PASSPHRASE + "\n")[0] == 0

    code, _, _ = run(capsys, monkeypatch, "review", "named-figure", b, "P001", "intl_student_ratio_2020", "８")
    assert code == 0
    code, out, _ = run(capsys, monkeypatch, "review", "check", b, "P001")
    assert "観点②の水準（最低10%）に達しない計画：厳しい評価を行うこととされています" in out and "8%" in out

    with Workspace() as ws:
        entry = ws.entries(built.bundle_id, "P001")["2-5"]
        assert entry.named_figures == {"intl_student_ratio_2020": 8} and entry.mark is None
        result = ws.proposal_result(built.bundle_id, "P001")
        assert result.item("2-5").points is None  # a figure never grades
        events = [e for e in ws.audit_events(built.bundle_id) if e.field == "entry.named_figures"]
        assert [e.new for e in events] == ['{"intl_student_ratio_2020":"8"}']

    # Within the level but below the 目安, then at the 目安, then removed.
    run(capsys, monkeypatch, "review", "named-figure", b, "P001", "intl_student_ratio_2020", "15")
    out = run(capsys, monkeypatch, "review", "check", b, "P001")[1]
    assert "目安（20%）に届いていません" in out and "厳しい評価" not in out
    run(capsys, monkeypatch, "review", "named-figure", b, "P001", "intl_student_ratio_2020", "20")
    assert "観点②" not in run(capsys, monkeypatch, "review", "check", b, "P001")[1]
    assert run(capsys, monkeypatch, "review", "named-figure", b, "P001", "intl_student_ratio_2020", "-")[0] == 0
    with Workspace() as ws:
        assert ws.entries(built.bundle_id, "P001")["2-5"].named_figures == {}


def test_bad_names_and_values_are_refused_with_the_reason(tmp_path, capsys, monkeypatch):
    built = make_assignment(tmp_path / "secretariat", n=1)
    b = built.bundle_id[:8]
    run(capsys, monkeypatch, "review", "add", str(built.path))
    run(capsys, monkeypatch, "review", "unlock", b, "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    code, _, err = run(capsys, monkeypatch, "review", "named-figure", b, "P001", "no_such_figure", "3")
    assert code == 3 and "no_such_figure" in err and "intl_student_ratio_2020" in err
    code, _, err = run(capsys, monkeypatch, "review", "named-figure", b, "P001", "focus_countries", "-2")
    assert code == 3 and "負の数" in err
    code, _, err = run(capsys, monkeypatch, "review", "named-figure", b, "P001", "focus_countries", "1e3")
    assert code == 3 and "1e3" in err
    with Workspace() as ws:
        assert "2-2" not in ws.entries(built.bundle_id, "P001")  # nothing half-written


def _bundle_with_metadata_figures(folder, named: dict):
    """One proposal whose metadata carries the secretariat's 観点 figures."""
    from decimal import Decimal

    from reviewer_app.core.bundle.model import AssignmentSpec, ProposalMeta, ReviewerIdentity, RoundSettings
    from reviewer_app.core.keys import SecretariatKeys
    from reviewer_app.services.bundles import build_assignment_bundle, open_registry
    from tests.workspace_fixtures import FAST_KDF, RUBRIC_BYTES, make_pdf

    folder.mkdir(parents=True)
    (folder / "P001.pdf").write_bytes(make_pdf("P001"))
    spec = AssignmentSpec(
        RoundSettings("R1", "書面審査", None), ReviewerIdentity("rev-01", "審査 太郎"), RUBRIC_BYTES,
        (ProposalMeta("P001", "構想", "大学", "国立", "関東", {}, {k: Decimal(v) for k, v in named.items()}),),
        {"P001": str(folder / "P001.pdf")},
    )
    registry = open_registry(folder / "registry.sqlite")
    try:
        return build_assignment_bundle(spec, SecretariatKeys.generate(), folder / "a.rvb", PASSPHRASE, kdf=FAST_KDF,
                                       registry=registry)
    finally:
        registry.close()


def test_the_proposal_metadata_s_figures_remind_and_the_reviewer_s_reading_wins(tmp_path, capsys, monkeypatch):
    report = _bundle_with_metadata_figures(tmp_path / "sec", {"office_countries": "1", "intl_students_2020": "3000"})
    with Workspace() as ws:
        ws.add_bundle(report.path)
        ws.unlock(report.bundle_id, PASSPHRASE)
        meta = ws.proposal_meta(report.bundle_id, "P001")
        assert meta.named_figures == {"office_countries": 1, "intl_students_2020": 3000}
        result = ws.proposal_result(report.bundle_id, "P001")
        codes = {(f.item_id, f.code.value) for f in result.findings if f.code.value.startswith("figure_")}
        assert codes == {("2-4", "figure_below_level")}
        ws.record_named_figure(report.bundle_id, "P001", "office_countries", "2")
        result = ws.proposal_result(report.bundle_id, "P001")
        assert not [f for f in result.findings if f.code.value.startswith("figure_")]
        (c,) = [c for c in result.item("2-4").checks]
        assert c.source.value == "entry" and c.value == 2


def test_a_metadata_figure_the_rubric_does_not_name_is_refused_when_building(tmp_path):
    import pytest

    from reviewer_app.core.errors import ReviewerAppError

    with pytest.raises(ReviewerAppError) as info:
        _bundle_with_metadata_figures(tmp_path / "sec", {"no_such_figure": "1"})
    assert info.value.code == "entry.unknown_figure"


DESCRIPTION = """
[round]
id = "R2009"
title = "書面審査"
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
[proposals.named_figures]
intl_student_ratio_2020 = 12.5
office_countries = "3"
"""


def test_the_description_file_carries_named_figures(tmp_path):
    from decimal import Decimal

    import pytest

    from reviewer_app.core.errors import BundleFormatError
    from reviewer_app.i18n import describe_error
    from reviewer_app.services.bundle_description import load_assignment_description

    (tmp_path / "p1.pdf").write_bytes(b"%PDF-1.4 x")
    f = tmp_path / "d.toml"
    f.write_text(DESCRIPTION, encoding="utf-8")
    spec = load_assignment_description(f)
    assert spec.proposals[0].named_figures == {"intl_student_ratio_2020": Decimal("12.5"), "office_countries": 3}
    f.write_text(DESCRIPTION.replace("office_countries", "office_count"), encoding="utf-8")
    with pytest.raises(BundleFormatError) as info:
        load_assignment_description(f)
    assert "office_count" in describe_error(info.value) and "office_countries" in describe_error(info.value)
