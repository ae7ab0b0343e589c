"""Key pairs, fingerprints and the passphrase-protected key file.

Secrets leave memory only as an entry in the OS keyring or as a key file sealed with
Argon2id + AES-256-GCM; never as plaintext on disk. Fingerprints are short, grouped base32
strings that a person can read over the phone to compare with the secretariat's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .bundle.limits import check_kdf_params
from .bundle.model import DEFAULT_KDF, KdfParams
from .errors import KeyFileError

KEYFILE_FORMAT = "reviewer-app-keyfile"
KEYFILE_VERSION = 1
MAX_KEYFILE_BYTES = 64 * 1024
#: The keys of a key file and of its ``kdf`` object (docs/bundle-format.md, "Key files").
KEYFILE_KEYS = frozenset({"format", "version", "label", "kdf", "nonce", "ciphertext"})
KDF_KEYS = frozenset({"alg", "salt", "memory_kib", "iterations", "lanes"})
#: The fingerprint's domain prefix: SHA-256("rvb1 fingerprint" 00 alg 00 raw key).
FINGERPRINT_PREFIX = b"rvb1 fingerprint\x00"

#: A passphrase a person chooses must have at least this many characters …
MIN_PASSPHRASE_CHARS = 10
#: … and at least 10**this many guesses by the zxcvbn estimate (≈ 48 core-years at 0.15 s a guess).
MIN_PASSPHRASE_GUESSES_LOG10 = 10
#: zxcvbn's cost grows with length; characters beyond this add no doubt about the verdict.
_STRENGTH_PREFIX_CHARS = 64

_RAW = serialization.Encoding.Raw
_PUB_RAW = serialization.PublicFormat.Raw
_PRIV_RAW = serialization.PrivateFormat.Raw
_NOENC = serialization.NoEncryption()


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: Any, length: int | None = None) -> bytes:
    """Strict base64 (no whitespace, canonical padding); ``length`` pins the decoded size."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if b64e(raw) != text or (length is not None and len(raw) != length):
        raise ValueError("non-canonical base64 or wrong length")
    return raw


def ed25519_raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(_RAW, _PUB_RAW)


def x25519_raw(pub: X25519PublicKey) -> bytes:
    return pub.public_bytes(_RAW, _PUB_RAW)


def fingerprint(kind: str, raw_public: bytes) -> str:
    """A short grouped fingerprint, e.g. ``K7QF-2M3A-XP9D-4H6T`` (80 bits of SHA-256).

    ``kind`` ("ed25519" or "x25519") is hashed in, so the same bytes used as two key types
    can never show the same fingerprint.
    """
    digest = hashlib.sha256(FINGERPRINT_PREFIX + kind.encode("ascii") + b"\x00" + raw_public).digest()
    text = base64.b32encode(digest[:10]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class SecretariatPublicKeys:
    """What a reviewer's bundle carries and pins: the secretariat's two public keys."""

    signing: Ed25519PublicKey
    encryption: X25519PublicKey

    @property
    def signing_fingerprint(self) -> str:
        return fingerprint("ed25519", ed25519_raw(self.signing))

    @property
    def encryption_fingerprint(self) -> str:
        return fingerprint("x25519", x25519_raw(self.encryption))


@dataclass(frozen=True)
class SecretariatKeys:
    """The secretariat's secrets: signing, HPKE decryption, and the reviewer-key binding master.

    ``binding_master`` derives one binding key per issued assignment (HKDF with the bundle
    id), which the assignment carries encrypted; a reviewer proves their signing key with it.
    """

    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    binding_master: bytes

    @classmethod
    def generate(cls) -> SecretariatKeys:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate(), os.urandom(32))

    @property
    def public(self) -> SecretariatPublicKeys:
        return SecretariatPublicKeys(self.signing.public_key(), self.encryption.public_key())

    def to_secret_bytes(self) -> bytes:
        return _dump({
            "kind": "secretariat",
            "ed25519": b64e(self.signing.private_bytes(_RAW, _PRIV_RAW, _NOENC)),
            "x25519": b64e(self.encryption.private_bytes(_RAW, _PRIV_RAW, _NOENC)),
            "binding": b64e(self.binding_master),
        })

    @classmethod
    def from_secret_bytes(cls, data: bytes) -> SecretariatKeys:
        doc = _load(data, "secretariat")
        try:
            return cls(
                Ed25519PrivateKey.from_private_bytes(b64d(doc["ed25519"], 32)),
                X25519PrivateKey.from_private_bytes(b64d(doc["x25519"], 32)),
                b64d(doc["binding"], 32),
            )
        except (KeyError, ValueError):
            raise KeyFileError("keys.file.malformed") from None


@dataclass(frozen=True)
class ReviewerKey:
    """A reviewer's signing key (results) and HPKE key (assignments sent to a public key)."""

    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    @classmethod
    def generate(cls) -> ReviewerKey:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def signing_public_raw(self) -> bytes:
        return ed25519_raw(self.signing.public_key())

    @property
    def fingerprint(self) -> str:
        return fingerprint("ed25519", self.signing_public_raw)

    @property
    def encryption_public(self) -> X25519PublicKey:
        return self.encryption.public_key()

    def to_secret_bytes(self) -> bytes:
        return _dump({
            "kind": "reviewer",
            "ed25519": b64e(self.signing.private_bytes(_RAW, _PRIV_RAW, _NOENC)),
            "x25519": b64e(self.encryption.private_bytes(_RAW, _PRIV_RAW, _NOENC)),
        })

    @classmethod
    def from_secret_bytes(cls, data: bytes) -> ReviewerKey:
        doc = _load(data, "reviewer")
        try:
            return cls(
                Ed25519PrivateKey.from_private_bytes(b64d(doc["ed25519"], 32)),
                X25519PrivateKey.from_private_bytes(b64d(doc["x25519"], 32)),
            )
        except (KeyError, ValueError):
            raise KeyFileError("keys.file.malformed") from None


def _dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _load(data: bytes, kind: str) -> dict[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeyFileError("keys.file.malformed") from None
    if not isinstance(doc, dict) or doc.get("kind") != kind:
        raise KeyFileError("keys.file.wrong_kind", expected=kind)
    return doc


# --- the passphrase-protected key file ------------------------------------------------


def seal_key_file(secret: bytes, passphrase: str, label: str, kdf: KdfParams = DEFAULT_KDF) -> bytes:
    """A JSON key file: the secret under AES-256-GCM with a key from Argon2id(passphrase).

    The associated data is the canonical JSON of every other field, so the recorded cost,
    salt and label cannot be changed without the file failing to open.
    """
    from .bundle.crypto import derive_passphrase_key

    salt = os.urandom(16)
    nonce = os.urandom(12)
    head = {
        "format": KEYFILE_FORMAT,
        "version": KEYFILE_VERSION,
        "label": label,
        "kdf": {"alg": "argon2id", "salt": b64e(salt), "memory_kib": kdf.memory_kib,
                "iterations": kdf.iterations, "lanes": kdf.lanes},
        "nonce": b64e(nonce),
    }
    key = derive_passphrase_key(passphrase, salt, kdf)
    ct = AESGCM(key).encrypt(nonce, secret, _dump(head))
    return _dump({**head, "ciphertext": b64e(ct)})


def open_key_file(data: bytes, passphrase: str) -> tuple[str, bytes]:
    """(label, secret) from a key file; typed errors for damage, limits and a wrong passphrase."""
    from .bundle.crypto import derive_passphrase_key

    if len(data) > MAX_KEYFILE_BYTES:
        raise KeyFileError("keys.file.malformed")
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != KEYFILE_FORMAT:
            raise KeyFileError("keys.file.not_a_key_file")
        if type(doc.get("version")) is not int or doc["version"] != KEYFILE_VERSION:
            raise KeyFileError("keys.file.unknown_version", version=str(doc.get("version")))
        if set(doc) != KEYFILE_KEYS:
            raise KeyFileError("keys.file.malformed")
        k = doc["kdf"]
        if not isinstance(k, dict) or set(k) != KDF_KEYS or k["alg"] != "argon2id":
            raise KeyFileError("keys.file.malformed")
        if not all(type(k[n]) is int for n in ("memory_kib", "iterations", "lanes")):
            raise KeyFileError("keys.file.malformed")
        kdf = KdfParams(k["memory_kib"], k["iterations"], k["lanes"])
        salt = b64d(k["salt"], 16)
        nonce = b64d(doc["nonce"], 12)
        ct = b64d(doc["ciphertext"])
        label = doc["label"]
        if not isinstance(label, str):
            raise ValueError("label")
    except KeyFileError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
        raise KeyFileError("keys.file.malformed") from None
    check_kdf_params(kdf, error=KeyFileError)
    head = {k2: v for k2, v in doc.items() if k2 != "ciphertext"}
    key = derive_passphrase_key(passphrase, salt, kdf)
    try:
        return label, AESGCM(key).decrypt(nonce, ct, _dump(head))
    except InvalidTag:
        raise KeyFileError("keys.file.wrong_passphrase") from None


# --- passphrases a person chooses -----------------------------------------------------


def passphrase_guesses_log10(passphrase: str) -> float:
    """log10 of the guesses an attacker needs, by zxcvbn (dictionary words, keyboard runs, repeats, dates).

    zxcvbn (Dropbox's estimator, pip ``zxcvbn``) rather than a hand-written entropy formula:
    it knows what "password1234" and "aaaaaaaaaaaa" are. Imported here so other commands
    never pay for its word lists.
    """
    from zxcvbn import zxcvbn

    return float(zxcvbn(passphrase[:_STRENGTH_PREFIX_CHARS])["guesses_log10"])


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase a person chose for a bundle or a key file when it is too weak to guess slowly.

    The rule (docs/bundle-format.md, "Passphrases"): at least ``MIN_PASSPHRASE_CHARS`` characters
    and at least 10**``MIN_PASSPHRASE_GUESSES_LOG10`` estimated guesses. The app's generated
    passphrases (30 random characters of 32, 150 bits) always pass.
    """
    from .errors import KeyStoreError

    chars = len(passphrase.strip())
    if chars == 0:
        raise KeyStoreError("keys.passphrase_empty")
    if chars < MIN_PASSPHRASE_CHARS or passphrase_guesses_log10(passphrase) < MIN_PASSPHRASE_GUESSES_LOG10:
        raise KeyStoreError("keys.passphrase_weak", min_chars=MIN_PASSPHRASE_CHARS,
                            min_guesses=f"10^{MIN_PASSPHRASE_GUESSES_LOG10}")
