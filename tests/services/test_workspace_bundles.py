"""Adding and unlocking bundles, reading proposals in memory, remembering the passphrase."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reviewer_app.core.errors import BundleError, WorkspaceError
from reviewer_app.core.keys import SecretariatKeys
from reviewer_app.paths import user_data_dir
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import MARKER, PASSPHRASE, MemoryKeyring, make_assignment


@pytest.fixture
def memory_keyring():
    store = MemoryKeyring.install()
    yield store
    MemoryKeyring.remove()


def test_add_keeps_the_encrypted_file_in_the_app_folder(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        out = ws.add_bundle(built.path)
        assert out.added and out.notices == ()
        (row,) = ws.bundles()
        assert row.stored_file.is_relative_to(user_data_dir())
        assert row.stored_file.read_bytes() == built.path.read_bytes()  # a copy, still encrypted
        assert not row.unlocked


def test_adding_the_same_bundle_twice_is_a_no_op_with_a_message(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        events = len(ws.audit_events())
        again = ws.add_bundle(built.path)
        assert not again.added
        assert [n.code for n in again.notices] == ["workspace.already_added"]
        assert len(ws.bundles()) == 1 and len(ws.audit_events()) == events


def test_a_file_that_is_not_a_bundle_is_refused_with_a_typed_error(tmp_path: Path):
    junk = tmp_path / "x.rvb"
    junk.write_bytes(b"%PDF-1.4 not a bundle" * 10)
    with Workspace() as ws:
        with pytest.raises(BundleError):
            ws.add_bundle(junk)
        assert ws.bundles() == []


def test_a_wrong_passphrase_unlocks_nothing(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        with pytest.raises(BundleError) as err:
            ws.unlock(built.bundle_id, "wrong")
        assert err.value.code.startswith("bundle.wrong_secret")
        assert not ws.bundles()[0].unlocked
        with pytest.raises(WorkspaceError):
            ws.proposals(built.bundle_id)


def test_unlock_records_the_round_and_the_pdfs_open_in_memory(tmp_path: Path):
    built = make_assignment(tmp_path / "sec", n=2)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        out = ws.unlock(built.bundle_id, PASSPHRASE)
        assert (out.round_id, out.proposals, out.reviewer_name) == ("R2026", 2, "審査 太郎")
        assert out.secretariat_fingerprint == built.keys.public.signing_fingerprint
        pdf = ws.read_pdf(built.bundle_id, "P002")
        assert pdf.startswith(b"%PDF") and f"{MARKER} P002".encode() in pdf
        assert ws.proposal_meta(built.bundle_id, "P002").title == "国際化拠点構想 P002"
        assert [r.title for r in ws.proposals(built.bundle_id)] == ["国際化拠点構想 P001", "国際化拠点構想 P002"]
        with pytest.raises(WorkspaceError):
            ws.read_pdf(built.bundle_id, "P404")


def test_without_a_keyring_the_passphrase_is_asked_each_time(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        out = ws.unlock(built.bundle_id, PASSPHRASE, remember=True)
        assert not out.remembered
        assert [n.code for n in out.notices] == ["workspace.keyring_unavailable"]
    with Workspace() as ws:  # a new session: nothing remembered anywhere
        assert not ws.try_open(built.bundle_id)
        with pytest.raises(WorkspaceError) as err:
            ws.read_pdf(built.bundle_id, "P001")
        assert err.value.code == "workspace.passphrase_required"
        assert ws.read_pdf(built.bundle_id, "P001", PASSPHRASE).startswith(b"%PDF")
        # Grading needs no secret: the rubric and settings were kept at unlock.
        ws.record_grade(built.bundle_id, "P001", "2-1", "b")
    for f in user_data_dir().rglob("*"):
        if f.is_file():
            assert PASSPHRASE.encode() not in f.read_bytes(), f


def test_a_remembered_bundle_opens_without_the_passphrase(tmp_path: Path, memory_keyring):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        assert ws.unlock(built.bundle_id, PASSPHRASE, remember=True).remembered
    with Workspace() as ws:
        assert ws.read_pdf(built.bundle_id, "P003").startswith(b"%PDF")
        ws.forget_passphrase(built.bundle_id)
    with Workspace() as ws:
        with pytest.raises(WorkspaceError) as err:
            ws.read_pdf(built.bundle_id, "P003")
        assert err.value.code == "workspace.passphrase_required"


def test_a_second_bundle_of_a_round_signed_by_another_key_is_refused(tmp_path: Path):
    first = make_assignment(tmp_path / "a", reviewer_id="rev-01")
    forged = make_assignment(tmp_path / "b", reviewer_id="rev-01", keys=SecretariatKeys.generate())
    with Workspace() as ws:
        ws.add_bundle(first.path)
        ws.unlock(first.bundle_id, PASSPHRASE)
        ws.add_bundle(forged.path)
        with pytest.raises(WorkspaceError) as err:
            ws.unlock(forged.bundle_id, PASSPHRASE)
        assert err.value.code == "workspace.round_key_mismatch"
        assert not next(b for b in ws.bundles() if b.bundle_id == forged.bundle_id).unlocked


def test_a_round_past_its_deadline_opens_with_a_warning(tmp_path: Path):
    built = make_assignment(tmp_path / "sec", deadline="2020-03-31")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        out = ws.unlock(built.bundle_id, PASSPHRASE)
        (notice,) = out.notices
        assert notice.code == "workspace.deadline_passed" and notice.params["deadline"] == "2020-03-31"


def test_bundle_ids_resolve_from_a_unique_prefix(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        assert ws.resolve_bundle(built.bundle_id[:6]) == built.bundle_id
        with pytest.raises(WorkspaceError):
            ws.resolve_bundle("zzzz")


def test_a_stale_remembered_key_means_asking_for_the_passphrase(tmp_path: Path, memory_keyring):
    import base64
    import os

    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE, remember=True)
    (entry,) = [k for k in memory_keyring if k[1] == f"bundle-key:{built.bundle_id}"]
    memory_keyring[entry] = base64.b64encode(os.urandom(32)).decode()
    with Workspace() as ws:
        with pytest.raises(WorkspaceError) as err:
            ws.read_pdf(built.bundle_id, "P001")
        assert err.value.code == "workspace.passphrase_required"
        assert ws.read_pdf(built.bundle_id, "P001", PASSPHRASE).startswith(b"%PDF")


# --- a damaged stored copy never blocks the reviewer (issue 11) ------------------------------


def _same_bundle_rebuilt(built, folder: Path) -> Path:
    """Another genuine file of the same bundle (same id, keys and content; fresh nonces): a re-download."""
    import io
    import os
    from decimal import Decimal

    from reviewer_app.core.bundle.assignment import write_assignment
    from reviewer_app.core.bundle.model import AssignmentSpec, ProposalMeta, ReviewerIdentity, RoundSettings
    from tests.workspace_fixtures import FAST_KDF, RUBRIC_BYTES, make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    pdfs = {}
    for pid in built.proposal_ids:
        (folder / f"{pid}.pdf").write_bytes(make_pdf(pid))
        pdfs[pid] = str(folder / f"{pid}.pdf")
    spec = AssignmentSpec(
        RoundSettings("R2026", "令和8年度 書面審査", "2099-12-31", {}), ReviewerIdentity("rev-01", "審査 太郎"), RUBRIC_BYTES,
        tuple(ProposalMeta(pid, f"国際化拠点構想 {pid}", f"大学 {pid}", "国立", "関東", {"1-1": Decimal(340)})
              for pid in built.proposal_ids), pdfs)
    draws = iter([bytes.fromhex(built.bundle_id)])
    buf = io.BytesIO()
    write_assignment(buf, spec, built.keys, passphrase=PASSPHRASE, kdf=FAST_KDF, rng=lambda n: next(draws, None) or os.urandom(n))
    out = folder / "again.rvb"
    out.write_bytes(buf.getvalue())
    return out


def _damage(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[100] ^= 0xFF  # inside the first member: the header still reads, the bundle does not open
    path.write_bytes(bytes(raw))


def test_adding_the_same_file_again_restores_a_missing_or_damaged_copy(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        ws.record_grade(built.bundle_id, "P001", "2-1", "b")
        stored = ws.bundles()[0].stored_file
        _damage(stored)
        with pytest.raises(BundleError):
            ws.read_pdf(built.bundle_id, "P001", PASSPHRASE)
        out = ws.add_bundle(built.path)  # no passphrase needed: byte for byte the file added before
        assert out.added and [n.code for n in out.notices] == ["workspace.stored_copy_restored"]
        assert stored.read_bytes() == built.path.read_bytes()
        stored.unlink()
        assert [n.code for n in ws.add_bundle(built.path).notices] == ["workspace.stored_copy_restored"]
        assert ws.read_pdf(built.bundle_id, "P001", PASSPHRASE).startswith(b"%PDF")
        assert ws.entries(built.bundle_id, "P001")["2-1"].mark == "b"
        ws.verify_audit()


def test_a_different_file_replaces_a_damaged_copy_only_after_it_verified(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    again = _same_bundle_rebuilt(built, tmp_path / "download")
    assert again.read_bytes() != built.path.read_bytes()
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        ws.record_grade(built.bundle_id, "P002", "2-1", "a")
        stored = ws.bundles()[0].stored_file
        _damage(stored)
        damaged = stored.read_bytes()
        with pytest.raises(WorkspaceError) as err:
            ws.add_bundle(again)
        assert err.value.code == "workspace.replace_needs_passphrase" and err.value.params["path"] == str(again)
        with pytest.raises(BundleError):
            ws.add_bundle(again, "wrong passphrase")
        tampered = tmp_path / "tampered.rvb"
        tampered.write_bytes(again.read_bytes())
        _damage(tampered)
        with pytest.raises(BundleError):
            ws.add_bundle(tampered, PASSPHRASE)
        assert stored.read_bytes() == damaged  # nothing unverified ever replaced it
        out = ws.add_bundle(again, PASSPHRASE)
        assert [n.code for n in out.notices] == ["workspace.stored_copy_replaced"]
        assert stored.read_bytes() == again.read_bytes()
        assert ws.read_pdf(built.bundle_id, "P002", PASSPHRASE).startswith(b"%PDF")
        assert ws.entries(built.bundle_id, "P002")["2-1"].mark == "a"
        # With the copy intact again, another file of the same bundle changes nothing.
        assert [n.code for n in ws.add_bundle(built.path).notices] == ["workspace.already_added"]
        assert stored.read_bytes() == again.read_bytes()


def test_a_replacement_from_another_secretariat_key_is_refused(tmp_path: Path):
    built = make_assignment(tmp_path / "sec")
    forged = _same_bundle_rebuilt(replace(built, keys=SecretariatKeys.generate()), tmp_path / "forged")
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
        _damage(ws.bundles()[0].stored_file)
        with pytest.raises(BundleError) as err:
            ws.add_bundle(forged, PASSPHRASE)
        assert err.value.code == "bundle.signature.not_pinned"


def test_remove_asks_for_confirmation_and_says_what_it_deletes(tmp_path: Path, memory_keyring):
    from tests.workspace_fixtures import grade_everything

    built = make_assignment(tmp_path / "sec", n=2)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE, remember=True)
        grade_everything(ws, built.bundle_id, ["P001"])
        ws.record_note(built.bundle_id, "P002", "あとで読む")
        ws.declare_conflict(built.bundle_id, "P002", "共同研究者")
        stored = ws.bundles()[0].stored_file
        items = len(ws.round_info(built.bundle_id).rubric.items)
        with pytest.raises(WorkspaceError) as err:
            ws.remove_bundle(built.bundle_id)
        assert err.value.code == "workspace.remove_unconfirmed"
        assert stored.exists() and ws.entries(built.bundle_id, "P001")
        summary = ws.removal_summary(built.bundle_id)
        assert (summary.proposals, summary.entries, summary.comments, summary.notes, summary.conflicts) == (2, items, items, 1, 1)
        assert summary.unexported_changes and summary.exports == 0
        assert ws.remove_bundle(built.bundle_id, confirmed=True) == summary
        assert ws.bundles() == [] and not stored.exists()
        assert not [k for k in memory_keyring if k[1] == f"bundle-key:{built.bundle_id}"]  # remembered key forgotten
        for table in ("proposals", "entries", "notes", "conflicts", "justifications", "exports"):
            assert ws.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        events = [e for e in ws.audit_events() if e.field == "bundle.removed"]
        assert len(events) == 1 and json.loads(events[0].new)["entries"] == items
        ws.verify_audit()  # the history keeps its chain (and records the removal)
        with pytest.raises(WorkspaceError):
            ws.resolve_bundle(built.bundle_id)


def test_a_bundle_added_again_after_removal_continues_its_revisions(tmp_path: Path):
    from reviewer_app.core.bundle.model import VerifyOutcome
    from reviewer_app.services.bundles import open_registry, verify_result_bundle
    from tests.workspace_fixtures import grade_everything

    built = make_assignment(tmp_path / "sec", n=1)
    registry = open_registry(built.registry_path)
    try:
        with Workspace() as ws:
            ws.add_bundle(built.path)
            ws.unlock(built.bundle_id, PASSPHRASE)
            grade_everything(ws, built.bundle_id, built.proposal_ids)
            first = ws.export(built.bundle_id, tmp_path / "r1.rvb", PASSPHRASE)
            assert verify_result_bundle(first.path, built.keys, registry, record=True).ok
            ws.remove_bundle(built.bundle_id, confirmed=True)
            ws.add_bundle(built.path)
            ws.unlock(built.bundle_id, PASSPHRASE)
            grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=2)
            second = ws.export(built.bundle_id, tmp_path / "r2.rvb", PASSPHRASE)
        assert second.revision == first.revision + 1
        report = verify_result_bundle(second.path, built.keys, registry, record=True)
        assert report.outcome is VerifyOutcome.OK  # same signing key, a newer revision: accepted
        assert report.reviewer_key_fingerprint == verify_result_bundle(first.path, built.keys, registry).reviewer_key_fingerprint
    finally:
        registry.close()
