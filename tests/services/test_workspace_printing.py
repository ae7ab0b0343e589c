"""Printing from the workspace: the paper carries exactly the digest of the file that was sent.

A real assignment bundle is built, graded in a workspace and exported; the secretariat's
verifier then reads the result file, and the printed sheets must name the same file digest
and the same reviewer key fingerprint it reports. After any further edit the sheets are
drafts and must not carry the old digest anywhere, on paper or in the QR code.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from reviewer_app.core.errors import WorkspaceError
from reviewer_app.core.sheets import combined_digest
from reviewer_app.services.workspace import Workspace
from reviewer_app.services.workspace.printing import workspace_sheets, workspace_summary
from tests.workspace_fixtures import PASSPHRASE, BuiltBundle, make_assignment, secretariat_reads

DRAFT = "未提出（下書き）"


def pages(data: bytes) -> list[str]:
    """Page texts without the spaces and line breaks layout inserts."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def comment_for(pid: str, item_id: str) -> str:
    return f"{pid}の{item_id}：根拠を確認した。"


def grade_all(ws: Workspace, b: str, pids) -> None:
    rubric = ws.round_info(b).rubric
    for pid in pids:
        for item in rubric.items:
            ws.record_grade(b, pid, item.id, rubric.scale_of(item).codes[1])
            ws.record_comment(b, pid, item.id, comment_for(pid, item.id))


@pytest.fixture
def built(tmp_path: Path) -> BuiltBundle:
    return make_assignment(tmp_path / "secretariat", n=3)


@pytest.fixture
def exported(built: BuiltBundle, tmp_path: Path):
    """A workspace graded in full (P003 declared conflicted), exported once: (ws, result path)."""
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    grade_all(ws, built.bundle_id, ("P001", "P002"))
    ws.declare_conflict(built.bundle_id, "P003", "兼業先の大学")
    (tmp_path / "outbox").mkdir()
    out = ws.export(built.bundle_id, tmp_path / "outbox" / "result.rvb", PASSPHRASE)
    yield ws, out.path
    ws.close()


def test_score_sheets_carry_the_file_digest_and_the_fingerprint_the_secretariat_sees(built, exported):
    ws, result = exported
    file_digest = hashlib.sha256(result.read_bytes()).hexdigest()
    report = secretariat_reads(result, built)
    assert report.ok and report.file_digest == file_digest

    sheet = workspace_sheets(ws, built.bundle_id)
    assert not sheet.draft and sheet.revision == 1 and sheet.notices == ()
    assert sheet.digest == file_digest and sheet.key_fingerprint == report.reviewer_key_fingerprint
    texts = pages(sheet.pdf.data)
    assert len(texts) == sheet.pdf.pages >= 3
    for text in texts:
        assert file_digest in text and report.reviewer_key_fingerprint in text and DRAFT not in text
    body = "".join(texts)
    rubric = ws.round_info(built.bundle_id).rubric
    for pid in ("P001", "P002"):
        assert f"国際化拠点構想{pid}" in body and f"大学{pid}" in body
        for item in rubric.items:
            assert re.sub(r"\s+", "", comment_for(pid, item.id)) in body
    assert "兼業先の大学" in body  # the conflicted proposal's sheet states the declaration
    assert len(sheet.qr_payloads) == 3
    for payload in sheet.qr_payloads:
        assert f"digest={file_digest}" in payload and f"key={report.reviewer_key_fingerprint}" in payload
        assert "draft" not in payload


def test_the_summary_names_the_file_and_the_combined_digest(built, exported):
    ws, result = exported
    file_digest = hashlib.sha256(result.read_bytes()).hexdigest()
    fingerprint = secretariat_reads(result, built).reviewer_key_fingerprint
    sheet = workspace_summary(ws, built.bundle_id)
    combined = combined_digest((pid, file_digest) for pid in built.proposal_ids)
    for text in pages(sheet.pdf.data):
        assert file_digest in text and combined in text and fingerprint in text
    (payload,) = sheet.qr_payloads
    assert f"file={file_digest}" in payload and f"digest={combined}" in payload and f"key={fingerprint}" in payload


def test_an_edit_after_export_turns_the_sheets_into_drafts_without_the_old_digest(built, exported):
    ws, result = exported
    old = hashlib.sha256(result.read_bytes()).hexdigest()
    ws.record_note(built.bundle_id, "P001", "private note")  # never exported: the sheets still match
    final = workspace_sheets(ws, built.bundle_id, ["P001"])
    assert not final.draft
    ws.record_comment(built.bundle_id, "P001", "1-1", "書き直した所見")

    for sheet in (workspace_sheets(ws, built.bundle_id, ["P001"]), workspace_summary(ws, built.bundle_id)):
        assert sheet.draft and sheet.digest == "" and sheet.key_fingerprint == final.key_fingerprint
        assert [n.code for n in sheet.notices] == ["workspace.sheet_changed_since_export"]
        for text in pages(sheet.pdf.data):
            assert old not in text and DRAFT in text
        assert all(old not in p and "draft=1" in p and "digest=&" in p for p in sheet.qr_payloads)
    assert "書き直した所見" in "".join(pages(workspace_sheets(ws, built.bundle_id, ["P001"]).pdf.data))

    ws.export(built.bundle_id, result, PASSPHRASE)  # exporting again makes them match the new file
    sheet = workspace_sheets(ws, built.bundle_id, ["P001"])
    assert sheet.revision == 2 and sheet.digest == hashlib.sha256(result.read_bytes()).hexdigest() != old


def test_nothing_exported_yet_prints_a_draft(built):
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        grade_all(ws, built.bundle_id, ("P001",))
        sheet = workspace_sheets(ws, built.bundle_id, ["P001"])
        assert sheet.draft and [n.code for n in sheet.notices] == ["workspace.sheet_not_exported"]
        assert all(DRAFT in t for t in pages(sheet.pdf.data))
        with pytest.raises(WorkspaceError) as err:
            workspace_sheets(ws, built.bundle_id, ["P404"])
        assert err.value.code == "workspace.unknown_proposal"


def test_a_replaced_result_file_is_not_vouched_for(built, exported):
    ws, result = exported
    result.write_bytes(result.read_bytes() + b"\0")
    sheet = workspace_sheets(ws, built.bundle_id)
    assert sheet.draft and [n.code for n in sheet.notices] == ["workspace.sheet_export_file_differs"]


def test_without_the_key_at_hand_ids_only_or_ask_for_the_passphrase(built, exported, tmp_path):
    _ws, result = exported
    fingerprint = secretariat_reads(result, built).reviewer_key_fingerprint
    with Workspace() as fresh:  # a new session: nothing unlocked, no keyring (tests use the null backend)
        sheet = workspace_sheets(fresh, built.bundle_id, ["P001"])
        assert not sheet.draft and sheet.key_fingerprint == fingerprint  # read from the exported file
        assert [n.code for n in sheet.notices] == ["workspace.sheet_ids_only"]
        assert "国際化拠点構想" not in "".join(pages(sheet.pdf.data))
        with pytest.raises(WorkspaceError) as err:
            workspace_sheets(fresh, built.bundle_id, ["P001"], ask_for_details=True)
        assert err.value.code == "workspace.passphrase_required"

        shutil.move(result, tmp_path / "usb-stick.rvb")  # sent and moved away: the key is needed now
        with pytest.raises(WorkspaceError) as err:
            workspace_sheets(fresh, built.bundle_id, ["P001"])
        assert err.value.code == "workspace.passphrase_required"
        sheet = workspace_sheets(fresh, built.bundle_id, ["P001"], PASSPHRASE)
        assert sheet.key_fingerprint == fingerprint and sheet.notices == ()
        assert "国際化拠点構想P001" in "".join(pages(sheet.pdf.data))
