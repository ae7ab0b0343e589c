"""Export: refused while anything blocks, exactly what was entered, revisioned and recorded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reviewer_app.core.errors import AuditChainError, ExportBlockedError
from reviewer_app.core.scoring import FindingCode
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, BuiltBundle, grade_everything, make_assignment, secretariat_reads


def _ws(built: BuiltBundle) -> Workspace:
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    return ws


@pytest.fixture
def built(tmp_path: Path) -> BuiltBundle:
    return make_assignment(tmp_path / "secretariat", n=2)


def test_export_is_refused_while_an_a_or_d_lacks_its_comment(built: BuiltBundle, tmp_path: Path):
    with _ws(built) as ws:
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        ws.record_grade(built.bundle_id, "P002", "2-4", "a")
        ws.record_comment(built.bundle_id, "P002", "2-4", "　")  # full-width space is no comment
        out = tmp_path / "result.rvb"
        with pytest.raises(ExportBlockedError) as err:
            ws.export(built.bundle_id, out, PASSPHRASE)
        (blocking,) = err.value.params["findings"]
        assert (blocking.proposal_id, blocking.finding.item_id, blocking.finding.code) == (
            "P002", "2-4", FindingCode.COMMENT_REQUIRED)
        assert not out.exists() and ws.export_history(built.bundle_id) == []


def test_export_is_refused_while_an_unjudgeable_entry_lacks_its_reason(built: BuiltBundle, tmp_path: Path):
    with _ws(built) as ws:
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        ws.set_unjudgeable(built.bundle_id, "P001", "1-9", "")
        with pytest.raises(ExportBlockedError) as err:
            ws.export(built.bundle_id, tmp_path / "r.rvb", PASSPHRASE)
        codes = [f.finding.code for f in err.value.params["findings"]]
        assert codes == [FindingCode.UNJUDGEABLE_REASON_REQUIRED]


def test_the_secretariat_receives_exactly_what_was_entered(built: BuiltBundle, tmp_path: Path):
    b = built.bundle_id
    with _ws(built) as ws:
        grade_everything(ws, b, ["P001"])
        ws.record_figure(b, "P001", "1-1", "412")
        ws.set_unjudgeable(b, "P001", "2-5", "達成目標の数値が記載されていない")
        ws.record_note(b, "P001", "PRIVATE-NOTE-TEXT")
        ws.declare_conflict(b, "P002", "兼業先")
        out = ws.export(b, tmp_path / "result.rvb", PASSPHRASE)
        report = secretariat_reads(out.path, built)
        assert report.ok, report
        payload = report.payload
        assert (payload.bundle_id, payload.round_id, payload.reviewer_id, payload.revision) == (b, "R2026", "rev-01", 1)
        assert payload.audit_digest == out.audit_head and report.file_digest == out.digest
        p1, p2 = payload.proposals
        by_item = {e.item_id: e for e in p1.entries}
        stored = ws.entries(b, "P001")
        assert len(by_item) == len(stored) == 14
        for item_id, e in stored.items():
            got = by_item[item_id]
            assert (got.mark, got.comment, got.unjudgeable, got.unjudgeable_reason) == (
                e.mark, e.comment, e.unjudgeable, e.unjudgeable_reason)
        assert by_item["1-1"].figure == Decimal(412)
        assert by_item["2-5"].unjudgeable and by_item["2-5"].mark == "d"
        assert p2.conflict_of_interest and p2.coi_reason == "兼業先" and p2.entries == ()
        assert "PRIVATE-NOTE-TEXT" not in repr(payload)


def test_revisions_grow_and_the_history_records_each_export(built: BuiltBundle, tmp_path: Path):
    with _ws(built) as ws:
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        first = ws.export(built.bundle_id, passphrase=PASSPHRASE)
        assert not ws.changed_since_export(built.bundle_id)
        ws.record_note(built.bundle_id, "P001", "private")  # notes are not exported: no change
        assert not ws.changed_since_export(built.bundle_id)
        ws.record_comment(built.bundle_id, "P001", "2-1", "見直した")
        assert ws.changed_since_export(built.bundle_id)
        second = ws.export(built.bundle_id, passphrase=PASSPHRASE)
        assert (first.revision, second.revision) == (1, 2)
        assert first.path == second.path and second.path.is_file()
        history = ws.export_history(built.bundle_id)
        assert [(h.revision, h.digest, h.path) for h in history] == [
            (1, first.digest, str(first.path)), (2, second.digest, str(second.path))]
        assert history[1].audit_head == second.audit_head
        assert secretariat_reads(second.path, built).payload.revision == 2
        assert not list(second.path.parent.glob(".*tmp*"))


def test_off_target_distribution_needs_a_justification_that_is_exported(tmp_path: Path):
    # At most 40 % of proposals may fall in the 140–189 band: three of three is over.
    built = make_assignment(tmp_path / "sec", n=3, band_targets={"140-189": Decimal("0.4")})
    b = built.bundle_id
    with _ws(built) as ws:
        grade_everything(ws, b, built.proposal_ids)  # all b: every total lands in 140–189
        dist = ws.distribution(b)
        (over,) = dist.over_target
        assert (over.band_id, over.count, over.allowed, over.over_by) == ("140-189", 3, 1, 2)
        with pytest.raises(ExportBlockedError) as err:
            ws.export(b, tmp_path / "r.rvb", PASSPHRASE)
        assert err.value.code == "workspace.justification_required"
        ws.set_justification(b, "3件とも水準が近く、差を付ける根拠がない")
        assert ws.audit_events(b)[-1].field == "justification"
        out = ws.export(b, tmp_path / "r.rvb", PASSPHRASE)
        payload = secretariat_reads(out.path, built).payload
        assert payload.distribution_justification == "3件とも水準が近く、差を付ける根拠がない"


def test_a_round_past_its_deadline_still_exports_with_a_warning(tmp_path: Path):
    built = make_assignment(tmp_path / "sec", n=1, deadline="2021-01-15T17:00:00+09:00")
    with _ws(built) as ws:
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        out = ws.export(built.bundle_id, tmp_path / "late.rvb", PASSPHRASE)
        assert [n.code for n in out.notices] == ["workspace.deadline_passed"]
        assert secretariat_reads(out.path, built).ok


def test_a_tampered_history_does_not_verify(built: BuiltBundle):
    with _ws(built) as ws:
        ws.record_grade(built.bundle_id, "P001", "2-1", "b")
        ws.record_grade(built.bundle_id, "P001", "2-1", "c")
        assert ws.verify_audit().events >= 4
        conn = ws.store.conn
        conn.execute("DROP TRIGGER audit_no_update")  # what an attacker with the file could do
        conn.execute("UPDATE audit SET new_value = 'a' WHERE field = 'entry.mark' AND new_value = 'c'")
        conn.commit()
        with pytest.raises(AuditChainError):
            ws.verify_audit()
