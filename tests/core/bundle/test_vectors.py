"""Test vectors of docs/bundle-format.md: the inputs the spec states give exactly these files and values."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import struct
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from reviewer_app.core.bundle import container as c
from reviewer_app.core.bundle.model import VerifyOutcome
from reviewer_app.core.bundle.result import payload_digest, payload_json
from reviewer_app.services import bundles as svc

from .make_vectors import (
    HERE,
    assignment_bytes,
    fixed_secretariat,
    inputs,
    primitives,
    spec_json,
    worked_values,
    worked_values_text,
)


def _json(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def test_primitive_vectors_follow_from_the_spec_inputs() -> None:
    assert primitives() == _json("primitives.json")


def test_the_spec_inputs_rebuild_the_assignment_vector_byte_for_byte(tmp_path: Path) -> None:
    raw = assignment_bytes(tmp_path)
    expected = _json("assignment.json")
    assert len(raw) == expected["size"]
    assert hashlib.sha256(raw).hexdigest() == expected["sha256"]
    assert raw == (HERE / "assignment.rvb").read_bytes()


def test_reader_opens_assignment_vector(tmp_path: Path) -> None:
    f = tmp_path / "a.rvb"
    shutil.copy(HERE / "assignment.rvb", f)
    worked = spec_json("worked-values")["assignment"]
    a = svc.open_assignment(f, inputs()["passphrase"], pinned_signing_fingerprint=_json("primitives.json")["fingerprint"])
    assert a.bundle_id == worked["bundle_id"] == bytes((31 + i) % 256 for i in range(16)).hex()
    assert a.data_key.hex() == worked["data_key"]
    (proposal,) = inputs()["assignment"]["proposals"]
    assert a.read_pdf("P001") == bytes.fromhex(proposal["pdf_hex"])
    meta = a.proposals[0]
    assert (meta.proposal_id, meta.title, meta.institution, meta.institution_type, meta.region) == (
        proposal["id"], proposal["title"], proposal["institution"], proposal["institution_type"], proposal["region"])
    assert {k: str(v) for k, v in meta.figures.items()} == proposal["figures"]
    assert a.created_at == inputs()["assignment"]["created_at"]


def test_reader_opens_result_vector(tmp_path: Path) -> None:
    reg = svc.open_registry(tmp_path / "reg.sqlite")
    report = svc.verify_result_bundle(HERE / "result.rvb", fixed_secretariat(), reg)
    reg.close()
    assert report.outcome is VerifyOutcome.NOT_ISSUED  # authentic, but this empty registry never issued it
    assert report.payload is not None
    assert payload_json(report.payload) == inputs()["result"]["payload"]
    assert payload_digest(report.payload) == _json("result.json")["payload_sha256"]
    assert report.reviewer_key_fingerprint == _json("result.json")["reviewer_fingerprint"]
    header = svc.inspect_bundle(HERE / "result.rvb")
    worked = spec_json("worked-values")["result"]
    # The result's own header id is not the assignment's: the binding MAC uses the payload's.
    assert header.bundle_id == worked["header_bundle_id"] != report.payload.bundle_id


def test_the_spec_worked_values_are_what_the_code_computes() -> None:
    values = worked_values((HERE / "assignment.rvb").read_bytes(), (HERE / "result.rvb").read_bytes())
    assert worked_values_text(values) == worked_values_text(spec_json("worked-values"))


# --- HPKE exactly as the spec states it, from RFC 9180 primitives (not the library's HPKE) ----------


def _hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def _hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([i]), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


def _labeled_extract(suite: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    return _hkdf_extract(salt, b"HPKE-v1" + suite + label + ikm)


def _labeled_expand(suite: bytes, prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    return _hkdf_expand(prk, struct.pack(">H", length) + b"HPKE-v1" + suite + label + info, length)


def test_hpke_wrap_is_rfc9180_base_mode_with_empty_aad() -> None:
    """Decrypt the result vector's wrapped key with the construction the spec names, step by step."""
    raw = (HERE / "result.rvb").read_bytes()
    _m, header_len, _ = c.TRAILER.unpack(raw[-c.TRAILER.size:])
    header = json.loads(raw[-c.TRAILER.size - header_len: -c.TRAILER.size])
    (recipient,) = header["recipients"]
    import base64

    wrapped = base64.b64decode(recipient["wrapped"])
    enc, ct = wrapped[:32], wrapped[32:]
    sk = fixed_secretariat().encryption
    pk_r = sk.public_key().public_bytes_raw()
    dh = sk.exchange(X25519PublicKey.from_public_bytes(enc))
    kem_suite = b"KEM" + struct.pack(">H", 0x0020)
    eae_prk = _labeled_extract(kem_suite, b"", b"eae_prk", dh)
    shared = _labeled_expand(kem_suite, eae_prk, b"shared_secret", enc + pk_r, 32)
    suite = b"HPKE" + struct.pack(">HHH", 0x0020, 0x0001, 0x0002)
    info = bytes.fromhex(spec_json("worked-values")["result"]["hpke_info"])
    context = b"\x00" + _labeled_extract(suite, b"", b"psk_id_hash", b"") + _labeled_extract(suite, b"", b"info_hash", info)
    secret = _labeled_extract(suite, shared, b"secret", b"")
    key = _labeled_expand(suite, secret, b"key", context, 32)
    nonce = _labeled_expand(suite, secret, b"base_nonce", context, 12)
    data_key = AESGCM(key).decrypt(nonce, ct, b"")
    assert data_key.hex() == spec_json("worked-values")["result"]["data_key"]
