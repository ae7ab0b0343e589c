"""The key schedule: every derivation and every associated-data string in one place.

Only vetted constructions from ``cryptography`` are used (Argon2id, HKDF-SHA256, HMAC-SHA256,
AES-256-GCM, HPKE X25519/HKDF-SHA256/AES-256-GCM, Ed25519). The labels below are part of the
format: changing one is a format version change (see docs/bundle-format.md, "Key schedule").
"""

from __future__ import annotations

import hashlib
import hmac as _hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .model import KdfParams

PREFIX = b"rvb1"
HPKE_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
HPKE_ENC_LEN = 32
KEY_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
SIG_LEN = 64


def derive_passphrase_key(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    """Argon2id(passphrase) → 32-byte key-encryption key; the caller checked ``kdf`` against limits."""
    return Argon2id(
        salt=salt, length=KEY_LEN, iterations=kdf.iterations, lanes=kdf.lanes, memory_cost=kdf.memory_kib
    ).derive(passphrase.encode("utf-8"))


def _label(*parts: str) -> bytes:
    """``PREFIX``, then each part in UTF-8, joined by NUL bytes (joined as text, then encoded once: the same bytes)."""
    return "\x00".join((_PREFIX_TEXT, *parts)).encode("utf-8")


_PREFIX_TEXT = PREFIX.decode("ascii")


def wrap_aad(bundle_id: str, kind: str) -> bytes:
    return _label("wrap", kind, bundle_id)


def member_aad(bundle_id: str, kind: str, name: str) -> bytes:
    return _label("member", kind, bundle_id, name)


def manifest_aad(bundle_id: str, kind: str, header_digest: bytes) -> bytes:
    return _label("manifest", kind, bundle_id) + b"\x00" + header_digest


def signed_message(kind: str, header_digest: bytes, manifest_bytes: bytes) -> bytes:
    """What the Ed25519 signature covers: the context, the exact header, the exact manifest."""
    return _label("signature", kind) + b"\x00" + header_digest + manifest_bytes


def hpke_info(bundle_id: str, kind: str) -> bytes:
    return _label("hpke", kind, bundle_id)


def content_info(bundle_id: str, kind: str) -> bytes:
    return _label("content", kind, bundle_id)


def content_key(data_key: bytes, bundle_id: str, kind: str) -> bytes:
    """HKDF-SHA256 of the data key: the key of the members and the manifest."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None, info=content_info(bundle_id, kind)).derive(data_key)


def binding_key(binding_master: bytes, bundle_id: str) -> bytes:
    """The per-assignment secret the secretariat can recompute from its master key alone."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=None, info=_label("binding", bundle_id)).derive(
        binding_master
    )


def key_binding_mac(binding: bytes, bundle_id: str, reviewer_id: str, reviewer_public_raw: bytes) -> bytes:
    """HMAC-SHA256 proving the holder of the assignment's secret vouches for this signing key."""
    msg = _label("reviewer-key", bundle_id, reviewer_id) + b"\x00" + reviewer_public_raw
    return _hmac.new(binding, msg, hashlib.sha256).digest()


def seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes | None:
    """Plaintext, or None when authentication fails (the caller picks the typed error)."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        return None


def hpke_wrap(data_key: bytes, recipient: X25519PublicKey, info: bytes) -> bytes:
    return HPKE_SUITE.encrypt(data_key, recipient, info=info)


def hpke_unwrap(blob: bytes, private: X25519PrivateKey, info: bytes) -> bytes | None:
    try:
        return HPKE_SUITE.decrypt(blob, private, info=info)
    except (InvalidTag, ValueError):
        return None
