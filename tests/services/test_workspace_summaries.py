"""Per-bundle summaries for the start screen and ``review rounds``."""

from __future__ import annotations

from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment


def test_summary_before_and_after_unlock_progress_and_export(tmp_path):
    built = make_assignment(tmp_path / "sec", n=3, deadline="2000-01-31")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        before = ws.bundle_summary(built.bundle_id)
        assert not before.unlocked
        assert before.title is None and before.proposals == 0
        assert before.last_export_revision is None
        header = ws.stored_header(built.bundle_id)
        assert not header.verified
        assert header.signer_fingerprint == built.keys.public.signing_fingerprint

        ws.unlock(built.bundle_id, PASSPHRASE)
        grade_everything(ws, built.bundle_id, built.proposal_ids[:1])
        ws.declare_conflict(built.bundle_id, built.proposal_ids[2], "共同研究者")
        s = ws.bundle_summary(built.bundle_id)
        assert s.unlocked and s.title == "令和8年度 書面審査"
        assert s.deadline == "2000-01-31" and s.overdue
        assert (s.complete, s.conflicts, s.proposals) == (1, 1, 3)
        assert s.changed_since_export
        assert ws.stored_header(built.bundle_id).verified

        grade_everything(ws, built.bundle_id, built.proposal_ids[1:2])
        out = ws.export(built.bundle_id, tmp_path / "result.rvb", PASSPHRASE)
        after = ws.bundle_summaries()
        assert [a.bundle_id for a in after] == [built.bundle_id]
        assert after[0].complete == 2
        assert after[0].last_export_revision == out.revision
        assert after[0].last_exported_at is not None
        assert not after[0].changed_since_export


def test_a_future_deadline_is_not_overdue(tmp_path):
    built = make_assignment(tmp_path / "sec", n=1, deadline="2099-12-31")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        assert not ws.bundle_summary(built.bundle_id).overdue
