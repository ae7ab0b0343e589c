"""Adding and unlocking bundles, reading proposals in memory, remembering the passphrase."""

from __future__ import annotations

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
