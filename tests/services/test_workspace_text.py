"""Texts the reviewer types: cleaned by one rule, limited when entered, never able to break an export."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.core.errors import TextError, WorkspaceError
from reviewer_app.core.text import MAX_TEXT_CHARS
from reviewer_app.services.workspace import Workspace, recording
from tests.workspace_fixtures import PASSPHRASE, BuiltBundle, grade_everything, make_assignment, secretariat_reads


@pytest.fixture
def built(tmp_path: Path) -> BuiltBundle:
    return make_assignment(tmp_path / "secretariat", n=2)


@pytest.fixture
def ws(built: BuiltBundle):
    w = Workspace()
    w.add_bundle(built.path)
    w.unlock(built.bundle_id, PASSPHRASE)
    yield w
    w.close()


def _audit_count(ws: Workspace) -> int:
    return ws.store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]


def test_control_and_bidi_characters_never_reach_the_store_or_the_export(ws: Workspace, built: BuiltBundle, tmp_path):
    b = built.bundle_id
    grade_everything(ws, b, built.proposal_ids)
    ws.record_comment(b, "P001", "2-1", "良い\x1b[2J構想\u202e。\r\n二行目\x00")
    ws.set_unjudgeable(b, "P001", "2-2", "記載\x07不備")
    ws.declare_conflict(b, "P002", "兼業\u2066先")
    ws.record_note(b, "P001", "メモ\x00")
    assert ws.entries(b, "P001")["2-1"].comment == "良い[2J構想。\n二行目"
    assert ws.entries(b, "P001")["2-2"].unjudgeable_reason == "記載不備"
    assert ws.conflicts(b) == {"P002": "兼業先"}
    assert ws.note(b, "P001") == "メモ"
    new_values = [e.new or "" for e in ws.audit_events(b)]
    assert not any(ch in v for v in new_values for ch in "\x00\x07\x1b\u202e\u2066")

    out = tmp_path / "result.rvb"
    ws.export(b, out, PASSPHRASE)
    payload = secretariat_reads(out, built).payload
    p1 = {e.item_id: e for e in payload.proposals[0].entries}
    assert p1["2-1"].comment == "良い[2J構想。\n二行目" and payload.proposals[1].coi_reason == "兼業先"


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda ws, b, t: ws.record_comment(b, "P001", "2-1", t), "comment"),
        (lambda ws, b, t: ws.set_unjudgeable(b, "P001", "2-1", t), "reason"),
        (lambda ws, b, t: ws.declare_conflict(b, "P001", t), "reason"),
        (lambda ws, b, t: ws.record_note(b, "P001", t), "note"),
        (lambda ws, b, t: ws.set_justification(b, t), "justification"),
    ],
)
def test_a_text_over_the_stated_limit_is_refused_when_entered_and_nothing_is_saved(ws, built, call, kind):
    b = built.bundle_id
    call(ws, b, "あ" * MAX_TEXT_CHARS)  # exactly the limit is fine
    before = _audit_count(ws)
    with pytest.raises(TextError) as err:
        call(ws, b, "い" * (MAX_TEXT_CHARS + 1))
    assert err.value.code == f"text.too_long.{kind}" and err.value.params["limit"] == MAX_TEXT_CHARS
    assert _audit_count(ws) == before
    assert not any("い" in (e.new or "") for e in ws.audit_events(b))


def test_text_that_is_not_utf8_is_refused_before_anything_is_written(ws, built):
    b = built.bundle_id
    before = _audit_count(ws)
    with pytest.raises(TextError) as err:
        ws.record_comment(b, "P001", "2-1", b"caf\xe9".decode("utf-8", "surrogateescape"))
    assert err.value.code == "text.not_utf8"
    assert _audit_count(ws) == before and "2-1" not in ws.entries(b, "P001")


def test_the_texts_one_export_carries_are_bounded_when_entered(ws, built, monkeypatch, tmp_path):
    b = built.bundle_id
    grade_everything(ws, b, built.proposal_ids, comment="")  # b grades: no comment needed
    monkeypatch.setattr(recording, "MAX_EXPORT_TEXT_BYTES", 3000)
    ws.record_comment(b, "P001", "2-1", "あ" * 400)  # 1,200 bytes
    ws.record_comment(b, "P001", "2-2", "\n" * 600)  # 1,200 bytes once escaped as \n
    before = _audit_count(ws)
    with pytest.raises(WorkspaceError) as err:
        ws.set_justification(b, '"' * 301)  # 602 bytes escaped: over 3,000 in all
    assert err.value.code == "workspace.export_text_budget" and err.value.params["limit"] == 3000
    assert ws.justification(b) == "" and _audit_count(ws) == before  # rolled back, not half-saved
    with pytest.raises(WorkspaceError):
        ws.record_comment(b, "P002", "2-1", "x" * 700)
    ws.record_comment(b, "P002", "2-1", "x" * 500)  # still within: accepted
    ws.export(b, tmp_path / "r.rvb", PASSPHRASE)
