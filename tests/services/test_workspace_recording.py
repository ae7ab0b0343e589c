"""Recording entries, notes and conflicts: durable, audited, and refused where the rules say so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reviewer_app.core.errors import EntryError, WorkspaceError
from reviewer_app.core.scoring import FindingCode, Severity
from reviewer_app.core.store import open_store
from reviewer_app.services.workspace import ProposalStatus, Workspace
from tests.workspace_fixtures import PASSPHRASE, BuiltBundle, make_assignment


@pytest.fixture
def built(tmp_path: Path) -> BuiltBundle:
    return make_assignment(tmp_path / "secretariat")


@pytest.fixture
def ws(built: BuiltBundle):
    w = Workspace()
    w.add_bundle(built.path)
    w.unlock(built.bundle_id, PASSPHRASE)
    yield w
    w.close()


def test_a_recorded_grade_is_on_disk_when_the_call_returns(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    ws.record_grade(b, "P001", "2-1", "a")
    ws.record_comment(b, "P001", "2-1", "英語のみで学位が取れる課程が具体的")
    ws.record_figure(b, "P001", "1-1", "1,234")
    # A second, independent connection (another process would see the same) reads it back.
    other = open_store(ws.store.path)
    row = other.conn.execute(
        "SELECT mark, comment FROM entries WHERE bundle_id=? AND proposal_id='P001' AND item_id='2-1'", (b,)
    ).fetchone()
    fig = other.conn.execute("SELECT figure FROM entries WHERE item_id='1-1'").fetchone()
    other.close()
    assert row == ("a", "英語のみで学位が取れる課程が具体的")
    assert Decimal(fig[0]) == Decimal(1234)


def test_every_change_is_audited_with_old_and_new_value(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    ws.record_grade(b, "P001", "2-1", "b")
    ws.record_grade(b, "P001", "2-1", "c")
    ws.record_grade(b, "P001", "2-1", "c")  # no change, no event
    events = [(e.field, e.old, e.new) for e in ws.audit_events(b) if e.item_id == "2-1"]
    assert events == [("entry.mark", None, "b"), ("entry.mark", "b", "c")]
    assert ws.verify_audit().events == len(ws.audit_events())


def test_entries_survive_reopening_the_workspace(ws: Workspace, built: BuiltBundle):
    ws.record_grade(built.bundle_id, "P002", "1-4", "d")
    ws.close()
    again = Workspace()
    assert again.entries(built.bundle_id, "P002")["1-4"].mark == "d"
    again.close()


def test_a_mark_off_the_scale_is_refused_and_nothing_is_written(ws: Workspace, built: BuiltBundle):
    before = len(ws.audit_events())
    with pytest.raises(EntryError) as err:
        ws.record_grade(built.bundle_id, "P001", "2-1", "5")  # a level on an a–d item
    assert err.value.code == "entry.unknown_mark"
    with pytest.raises(EntryError):
        ws.record_figure(built.bundle_id, "P001", "2-1", "12")  # a–d items take no figure
    with pytest.raises(EntryError):
        ws.record_figure(built.bundle_id, "P001", "1-1", "abc")
    with pytest.raises(EntryError):
        ws.record_grade(built.bundle_id, "P001", "9-9", "a")
    assert len(ws.audit_events()) == before
    assert ws.entries(built.bundle_id, "P001") == {}


def test_unknown_proposal_and_bundle_are_refused(ws: Workspace, built: BuiltBundle):
    with pytest.raises(WorkspaceError) as err:
        ws.record_grade(built.bundle_id, "P999", "2-1", "a")
    assert err.value.code == "workspace.unknown_proposal"
    with pytest.raises(WorkspaceError) as err:
        ws.record_grade("nope", "P001", "2-1", "a")
    assert err.value.code == "workspace.unknown_bundle"


def test_grading_before_unlock_is_refused(built: BuiltBundle):
    with Workspace() as w:
        w.add_bundle(built.path)
        with pytest.raises(WorkspaceError) as err:
            w.record_grade(built.bundle_id, "P001", "2-1", "a")
        assert err.value.code == "workspace.bundle_locked"


def test_a_conflicted_proposal_is_locked_and_reported(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    ws.record_grade(b, "P002", "2-1", "b")
    ws.declare_conflict(b, "P002", "出身大学")
    with pytest.raises(WorkspaceError) as err:
        ws.record_grade(b, "P002", "2-2", "a")
    assert err.value.code == "workspace.proposal_conflicted"
    for call in (ws.record_comment, ws.set_unjudgeable):
        with pytest.raises(WorkspaceError):
            call(b, "P002", "2-1", "x")
    status = {r.proposal_id: r.status for r in ws.proposals(b)}
    assert status["P002"] is ProposalStatus.CONFLICT
    assert all(f.proposal_id != "P002" for f in ws.findings(b))
    # Withdrawing a mistaken declaration unlocks it, with the earlier entry kept.
    ws.withdraw_conflict(b, "P002")
    ws.record_grade(b, "P002", "2-2", "a")
    assert ws.entries(b, "P002")["2-1"].mark == "b"
    with pytest.raises(WorkspaceError) as err:
        ws.withdraw_conflict(b, "P002")
    assert err.value.code == "workspace.no_conflict"


def test_unjudgeable_forces_the_lowest_mark_and_needs_a_reason(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    e = ws.set_unjudgeable(b, "P001", "2-3", "")
    assert e.unjudgeable and e.mark == "d"
    codes = {f.finding.code for f in ws.findings(b, "P001") if f.finding.item_id == "2-3"}
    assert codes == {FindingCode.UNJUDGEABLE_REASON_REQUIRED}
    e = ws.set_unjudgeable(b, "P001", "1-1", "基準数の記載がない")
    assert e.mark == "1" and e.unjudgeable_reason == "基準数の記載がない"
    assert not [f for f in ws.findings(b, "P001") if f.finding.item_id == "1-1"]
    e = ws.clear_unjudgeable(b, "P001", "1-1")
    assert not e.unjudgeable and e.unjudgeable_reason == ""


def test_status_follows_the_work(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    rubric = ws.round_info(b).rubric

    def status() -> ProposalStatus:
        return {r.proposal_id: r.status for r in ws.proposals(b)}["P001"]

    assert status() is ProposalStatus.NOT_STARTED
    ws.record_grade(b, "P001", "2-1", "b")
    assert status() is ProposalStatus.IN_PROGRESS
    ws.record_grade(b, "P001", "2-2", "a")  # a without a comment: must fix
    assert status() is ProposalStatus.BLOCKING
    for item in rubric.items:
        ws.record_grade(b, "P001", item.id, rubric.scale_of(item).codes[1])
    assert status() is ProposalStatus.COMPLETE
    row = {r.proposal_id: r for r in ws.proposals(b)}["P001"]
    assert row.graded == row.items == len(rubric.items) and row.blocking == 0
    assert all(f.finding.severity is Severity.REMINDER for f in ws.findings(b, "P001"))


def test_notes_are_private_durable_and_audited(ws: Workspace, built: BuiltBundle):
    ws.record_note(built.bundle_id, "P003", "ヒアリングで確認したい点")
    assert ws.note(built.bundle_id, "P003") == "ヒアリングで確認したい点"
    assert ws.audit_events(built.bundle_id)[-1].field == "note"
    assert ws.note(built.bundle_id, "P001") == ""


def test_two_rounds_side_by_side_keep_their_own_entries(ws: Workspace, built: BuiltBundle, tmp_path: Path):
    other = make_assignment(tmp_path / "round2", round_id="R2027", n=2)
    ws.add_bundle(other.path)
    ws.unlock(other.bundle_id, PASSPHRASE)
    ws.record_grade(built.bundle_id, "P001", "2-1", "a")
    ws.record_grade(other.bundle_id, "P001", "2-1", "c")
    assert ws.entries(built.bundle_id, "P001")["2-1"].mark == "a"
    assert ws.entries(other.bundle_id, "P001")["2-1"].mark == "c"
    assert {r.round_id for r in ws.bundles()} == {"R2026", "R2027"}
    assert len(ws.proposals(other.bundle_id)) == 2


def test_no_conflict_is_an_audited_answer_kept_by_the_workspace(ws: Workspace, built: BuiltBundle):
    b = built.bundle_id
    events = ws.verify_audit().events
    assert ws.no_conflict_confirmed(b) == frozenset()
    ws.confirm_no_conflict(b, "P001")
    ws.confirm_no_conflict(b, "P001")  # answering again changes nothing
    assert ws.no_conflict_confirmed(b) == {"P001"}
    assert ws.verify_audit().events == events + 1
    row = ws.store.conn.execute("SELECT field, new_value, proposal_id FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert row == ("no_conflict", "confirmed", "P001")
    again = Workspace()  # another start of the application (or the CLI) sees the answer
    try:
        assert again.no_conflict_confirmed(b) == {"P001"}
    finally:
        again.close()
    ws.declare_conflict(b, "P002", "兼業先")
    with pytest.raises(WorkspaceError) as err:
        ws.confirm_no_conflict(b, "P002")
    assert err.value.code == "workspace.conflict_declared"
    with pytest.raises(WorkspaceError) as err:
        ws.confirm_no_conflict(b, "P999")
    assert err.value.code == "workspace.unknown_proposal"


def test_answering_no_conflict_after_an_export_is_not_a_change_to_send(ws: Workspace, built: BuiltBundle, tmp_path: Path):
    from tests.workspace_fixtures import grade_everything

    b = built.bundle_id
    grade_everything(ws, b, built.proposal_ids)
    ws.export(b, tmp_path / "r.rvb", PASSPHRASE)
    assert not ws.changed_since_export(b)
    ws.confirm_no_conflict(b, "P001")  # not part of the result: nothing new for the secretariat
    assert not ws.changed_since_export(b)
    ws.record_comment(b, "P001", "2-1", "追記")
    assert ws.changed_since_export(b)
    summary = ws.remove_bundle(b, confirmed=True)
    assert summary.bundle_id == b
    assert ws.store.conn.execute("SELECT count(*) FROM coi_confirmations").fetchone()[0] == 0
