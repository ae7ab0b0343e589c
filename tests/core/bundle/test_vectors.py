"""Test vectors of docs/bundle-format.md: fixed keys, nonces and inputs give exactly these outputs."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

from reviewer_app.core.bundle.model import VerifyOutcome
from reviewer_app.core.bundle.result import payload_digest
from reviewer_app.services import bundles as svc

from .make_vectors import HERE, assignment_bytes, fixed_secretariat, primitives


def _json(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def test_primitive_vectors() -> None:
    assert primitives() == _json("primitives.json")


def test_writer_reproduces_assignment_vector(tmp_path: Path) -> None:
    raw = assignment_bytes(tmp_path)
    expected = _json("assignment.json")
    assert len(raw) == expected["size"]
    assert hashlib.sha256(raw).hexdigest() == expected["sha256"]
    assert raw == (HERE / "assignment.rvb").read_bytes()


def test_reader_opens_assignment_vector(tmp_path: Path) -> None:
    f = tmp_path / "a.rvb"
    shutil.copy(HERE / "assignment.rvb", f)
    a = svc.open_assignment(f, _json("assignment.json")["passphrase"],
                            pinned_signing_fingerprint=_json("primitives.json")["fingerprint"])
    assert a.bundle_id == bytes((31 + i) % 256 for i in range(16)).hex()
    assert a.read_pdf("P001") == b"%PDF-1.4\n" + b"B" * 40
    assert a.data_key == bytes((62 + i) % 256 for i in range(32))


def test_reader_opens_result_vector(tmp_path: Path) -> None:
    reg = svc.open_registry(tmp_path / "reg.sqlite")
    report = svc.verify_result_bundle(HERE / "result.rvb", fixed_secretariat(), reg)
    reg.close()
    assert report.outcome is VerifyOutcome.NOT_ISSUED  # authentic, but this empty registry never issued it
    assert report.payload is not None and payload_digest(report.payload) == _json("result.json")["payload_sha256"]
    assert report.reviewer_key_fingerprint == _json("result.json")["reviewer_fingerprint"]
    assert io.BytesIO((HERE / "result.rvb").read_bytes()).read(8) == b"\x89RVB\r\n\x1a\n"
