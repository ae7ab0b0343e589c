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
