"""Both bundle types survive a round trip with every field intact, and nothing confidential is in the clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.core.bundle.model import BundleKind, VerifyOutcome
from reviewer_app.core.errors import BundleFormatError, WrongSecretError
from reviewer_app.services import bundles as svc

from .conftest import FAST_KDF, PASS, make_spec, payload_for


def test_assignment_round_trip(issued, sec_keys, rubric) -> None:
    path, spec = issued
    a = svc.open_assignment(path, PASS)
    assert a.settings == spec.settings
    assert a.reviewer == spec.reviewer
    assert a.proposals == spec.proposals
    assert a.rubric.digest == rubric.digest
    assert a.signing_fingerprint == sec_keys.public.signing_fingerprint
    assert a.encryption_fingerprint == sec_keys.public.encryption_fingerprint
    for p in spec.proposals:
        assert a.read_pdf(p.proposal_id) == Path(spec.pdfs[p.proposal_id]).read_bytes()
    with pytest.raises(BundleFormatError):
        a.read_pdf("P999")


def test_header_reveals_nothing_confidential(issued) -> None:
    path, _spec = issued
    raw = path.read_bytes()
    for secret in ("極秘構想1", "秘密大学1", "secret-name", "山田", "R2009", "rv01", "P001", "%PDF"):
        assert secret.encode("utf-8") not in raw
    h = svc.inspect_bundle(path)
    assert h.kind is BundleKind.ASSIGNMENT and [r.type for r in h.recipients] == ["passphrase"]


def test_wrong_passphrase(issued) -> None:
    with pytest.raises(WrongSecretError):
        svc.open_assignment(issued[0], PASS + "x")


def test_hpke_recipient_and_remembered_key(tmp_path, rubric, sec_keys, reviewer_key) -> None:
    spec = make_spec(tmp_path, rubric.source_bytes)
    out = tmp_path / "a.rvb"
    svc.build_assignment_bundle(spec, sec_keys, out, None, reviewer_public_key=reviewer_key.encryption_public)
    a = svc.open_assignment(out, reviewer_key=reviewer_key)
    assert a.proposals == spec.proposals
    again = svc.open_assignment(out, data_key=a.data_key)
    assert again.read_pdf("P001") == a.read_pdf("P001")
    with pytest.raises(WrongSecretError):
        svc.open_assignment(out, "any passphrase")
    with pytest.raises(WrongSecretError):
        svc.open_assignment(out, data_key=bytes(32))  # a stale remembered key: ask for the secret again


def test_result_round_trip(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    payload = payload_for(opened)
    out = tmp_path / "result.rvb"
    digest = svc.build_result_bundle(opened, payload, reviewer_key, out)
    report = svc.verify_result_bundle(out, sec_keys, registry)
    assert report.outcome is VerifyOutcome.OK
    assert report.payload == payload
    assert report.file_digest == digest
    assert report.reviewer_key_fingerprint == reviewer_key.fingerprint
    assert "所見".encode() not in out.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left behind


def test_two_recipients(tmp_path, rubric, sec_keys, reviewer_key) -> None:
    spec = make_spec(tmp_path, rubric.source_bytes)
    out = tmp_path / "a.rvb"
    svc.build_assignment_bundle(spec, sec_keys, out, PASS, reviewer_public_key=reviewer_key.encryption_public, kdf=FAST_KDF)
    assert svc.open_assignment(out, PASS).data_key == svc.open_assignment(out, reviewer_key=reviewer_key).data_key


def test_memory_does_not_grow_with_the_bundle(tmp_path, rubric, sec_keys) -> None:
    """Build, authenticate and read a 24 MiB proposal: one proposal-sized buffer at most, never two.

    tracemalloc counts every Python allocation (the plaintext buffer, each chunk, what the
    cipher returns), so this measures the code's shape, not the machine's speed.
    """
    import os
    import tracemalloc

    size = 24 * 1024 * 1024
    spec = make_spec(tmp_path, rubric.source_bytes, sizes=(16,))
    with open(spec.pdfs["P001"], "ab") as fh:
        for _ in range(size // (1024 * 1024)):
            fh.write(os.urandom(1024 * 1024))
    out = tmp_path / "big.rvb"
    warm = tmp_path / "warm"  # a first build loads what the app loads once (zxcvbn's word lists, modules)
    warm.mkdir()
    svc.build_assignment_bundle(make_spec(warm, rubric.source_bytes), sec_keys, warm / "w.rvb", PASS, kdf=FAST_KDF)

    def peak_of(work):
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        value = work()
        return value, tracemalloc.get_traced_memory()[1] - before

    tracemalloc.start()
    try:
        _, built_peak = peak_of(lambda: svc.build_assignment_bundle(spec, sec_keys, out, PASS, kdf=FAST_KDF))
        a = svc.open_assignment(out, PASS)
        _, verify_peak = peak_of(a.verify_all_members)
        pdf, read_peak = peak_of(lambda: a.read_pdf("P001"))
    finally:
        tracemalloc.stop()
    assert len(pdf) > size
    assert built_peak < size / 4  # streamed: a few chunks, not the PDF
    assert verify_peak < size / 4  # authenticated in chunks, nothing kept
    assert read_peak < 1.25 * size  # the PDF's own buffer plus a chunk (two copies would be 2×)
