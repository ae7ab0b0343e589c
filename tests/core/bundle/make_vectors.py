"""Regenerate ``vectors/*.json`` (run by hand only when the format version changes).

``python -m tests.core.bundle.make_vectors``
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from reviewer_app.core.bundle import crypto
from reviewer_app.core.bundle.assignment import write_assignment
from reviewer_app.core.keys import SecretariatKeys

HERE = Path(__file__).parent / "vectors"
KDF = {"memory_kib": 64, "iterations": 2, "lanes": 1}


class CountingRng:
    """Deterministic "randomness": byte i of call n is (n * 31 + i) mod 256."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, size: int) -> bytes:
        self.n += 1
        return bytes((self.n * 31 + i) % 256 for i in range(size))


def fixed_secretariat() -> SecretariatKeys:
    return SecretariatKeys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))),
                           X25519PrivateKey.from_private_bytes(bytes(range(32, 64))), bytes(range(64, 96)))


def primitives() -> dict[str, str]:
    from reviewer_app.core.bundle.model import KdfParams
    from reviewer_app.core.keys import ed25519_raw, fingerprint

    keys = fixed_secretariat()
    kek = crypto.derive_passphrase_key("パスフレーズ", bytes(16), KdfParams(**KDF))
    aad = crypto.member_aad("00" * 16, "assignment", "p0001")
    return {
        "argon2id_passphrase": "パスフレーズ", "argon2id_salt": "00" * 16, "argon2id_out": kek.hex(),
        "aes_key": kek.hex(), "aes_nonce": "01" * 12, "aes_aad": aad.hex(), "aes_plaintext": b"%PDF-1.4 test".hex(),
        "aes_out": crypto.seal(kek, bytes([1]) * 12, b"%PDF-1.4 test", aad).hex(),
        "ed25519_seed": bytes(range(32)).hex(), "ed25519_public": ed25519_raw(keys.signing.public_key()).hex(),
        "ed25519_message": b"rvb1 test".hex(), "ed25519_signature": keys.signing.sign(b"rvb1 test").hex(),
        "fingerprint": fingerprint("ed25519", ed25519_raw(keys.signing.public_key())),
        "binding_key": crypto.binding_key(keys.binding_master, "00" * 16).hex(),
    }


def assignment_bytes(spec_folder: Path) -> bytes:
    from reviewer_app.core.bundle.model import KdfParams
    from tests.core.bundle.conftest import make_spec

    rubric = (HERE / "rubric.toml").read_bytes()
    spec = make_spec(spec_folder, rubric, sizes=(40,))
    buf = io.BytesIO()
    write_assignment(buf, spec, fixed_secretariat(), passphrase="パスフレーズ", kdf=KdfParams(**KDF), rng=CountingRng(),
                     created_at="2009-05-01T00:00:00+00:00")
    return buf.getvalue()


def main() -> None:
    import tempfile

    (HERE / "primitives.json").write_text(json.dumps(primitives(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as d:
        raw = assignment_bytes(Path(d))
    (HERE / "assignment.rvb").write_bytes(raw)
    (HERE / "assignment.json").write_text(json.dumps({"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw),
                                                       "passphrase": "パスフレーズ", "kdf": KDF}, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    result_vector(HERE / "assignment.rvb")


def result_vector(assignment: Path) -> None:
    """HPKE is randomised, so this vector is a fixed file plus what it must decrypt to."""
    from reviewer_app.core.bundle.assignment import read_assignment
    from reviewer_app.core.bundle.result import payload_digest, write_result
    from reviewer_app.core.keys import ReviewerKey
    from tests.core.bundle.conftest import payload_for

    a = read_assignment(assignment, passphrase="パスフレーズ")
    key = ReviewerKey(Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132))),
                      X25519PrivateKey.from_private_bytes(bytes(range(132, 164))))
    payload = payload_for(a)
    (HERE / "result.rvb").write_bytes(write_result(a.result_target(), payload, key, rng=CountingRng()))
    (HERE / "result.json").write_text(json.dumps({"payload_sha256": payload_digest(payload),
                                                   "reviewer_fingerprint": key.fingerprint}, indent=1) + "\n")


if __name__ == "__main__":
    main()
