"""Where secrets live: the OS keyring when there is one, else (and as backup) a passphrase-sealed key file.

Nothing here ever writes a secret to disk in the clear. Without a keyring the app keeps
working: callers pass the passphrase again and the key file is opened with it.

A keyring backend that is configured but unusable (a ``PYTHON_KEYRING_BACKEND`` naming a
module that is not there, a D-Bus service that fails in its own way) counts as no keyring:
whatever it raises is logged and the caller asks for the passphrase, as without one.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from ..core.atomic import write_atomically
from ..core.bundle.files import read_regular
from ..core.bundle.model import DEFAULT_KDF, KdfParams
from ..core.errors import InputFileError, KeyFileError, KeyNotFoundError, KeyringUnavailableError, KeyStoreError
from ..core.keys import (
    MAX_KEYFILE_BYTES,
    ReviewerKey,
    SecretariatKeys,
    SecretariatPublicKeys,
    b64d,
    b64e,
    check_new_passphrase,
    ed25519_raw,
    open_key_file,
    seal_key_file,
    x25519_raw,
)
from ..paths import user_data_dir

SERVICE = "reviewer-app"
SECRETARIAT_ENTRY = "secretariat-keys"
_PROBE = "keyring-probe"

log = logging.getLogger(__name__)


class _Unusable(Exception):
    """The keyring backend failed; treated like having no keyring."""


def _keyring(call: Callable[..., object], *args: str) -> object:
    """One keyring call; any failure of the backend becomes ``_Unusable`` (logged with its details)."""
    try:
        return call(*args)
    except Exception as exc:  # a third-party backend may raise anything, even on import
        if not isinstance(exc, (keyring.errors.KeyringError, RuntimeError, OSError)):
            log.warning("keyring backend unusable: %r", exc, exc_info=True)
        raise _Unusable from None


@dataclass(frozen=True)
class KeygenReport:
    signing_fingerprint: str
    encryption_fingerprint: str
    in_keyring: bool
    key_file: Path | None


def keys_dir() -> Path:
    d = user_data_dir() / "keys"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def default_secretariat_key_file() -> Path:
    return keys_dir() / "secretariat.key"


def reviewer_key_file(bundle_id: str) -> Path:
    return keys_dir() / f"reviewer-{bundle_id}.key"


# --- the keyring --------------------------------------------------------------------


def keyring_available() -> bool:
    """True when a real keyring stores and returns secrets (the null backend silently drops them)."""
    try:
        _keyring(keyring.set_password, SERVICE, _PROBE, "1")
        ok = _keyring(keyring.get_password, SERVICE, _PROBE) == "1"
        if ok:
            _keyring(keyring.delete_password, SERVICE, _PROBE)
        return ok
    except _Unusable:
        return False


def remember_secret(name: str, secret: bytes) -> bool:
    """Store ``secret`` in the keyring; False (nothing stored anywhere) when there is none."""
    if not keyring_available():
        return False
    try:
        _keyring(keyring.set_password, SERVICE, name, base64.b64encode(secret).decode("ascii"))
    except _Unusable:
        return False
    return True


def recall_secret(name: str) -> bytes | None:
    try:
        value = _keyring(keyring.get_password, SERVICE, name)
    except _Unusable:
        return None
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except ValueError:
        return None


def forget_secret(name: str) -> bool:
    """Delete a remembered secret; True when one was there (False: none, or no keyring to ask)."""
    if recall_secret(name) is None:
        return False
    try:
        _keyring(keyring.delete_password, SERVICE, name)
    except _Unusable:
        return False
    return True


# --- key files ----------------------------------------------------------------------


def _key_file_too_large(path: str, size: int, limit: int) -> KeyFileError:
    return KeyFileError("keys.file.too_large", path=path, size=size, limit=limit)


def write_key_file(path: Path, data: bytes) -> None:
    """Owner-only, atomic: a key file is either the old one or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)


def read_key_file(path: Path, passphrase: str, label: str) -> bytes:
    """The secret in a key file; its type and size are checked before a byte is read (a FIFO never blocks)."""
    if not path.exists():
        raise KeyNotFoundError("keys.not_found.file", path=str(path))
    try:
        data = read_regular(path, MAX_KEYFILE_BYTES, _key_file_too_large)
    except InputFileError as exc:
        if exc.code == "file.unreadable":
            raise KeyFileError("keys.file.unreadable", path=str(path)) from None
        raise
    found, secret = open_key_file(data, passphrase)
    if found != label:
        raise KeyFileError("keys.file.wrong_kind", expected=label)
    return secret


# --- the secretariat's keys -----------------------------------------------------------


def create_secretariat_keys(
    passphrase: str | None,
    *,
    key_file: Path | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    use_keyring: bool = True,
    overwrite: bool = False,
) -> tuple[SecretariatKeys, KeygenReport]:
    """New signing + HPKE key pairs, kept in the keyring and/or a key file sealed with ``passphrase``.

    Refuses to replace existing keys unless ``overwrite``: a lost key means every issued bundle's
    results can no longer be opened. Without a keyring a passphrase is required, and a
    passphrase must pass ``check_new_passphrase`` (it guards every result the round returns).
    """
    if passphrase is not None:
        check_new_passphrase(passphrase)
    path = key_file or default_secretariat_key_file()
    in_keyring = use_keyring and keyring_available()
    if not overwrite and (path.exists() or (in_keyring and recall_secret(SECRETARIAT_ENTRY) is not None)):
        raise KeyStoreError("keys.exists", path=str(path))
    if not in_keyring and passphrase is None:
        raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    keys = SecretariatKeys.generate()
    secret = keys.to_secret_bytes()
    written: Path | None = None
    if passphrase is not None:
        write_key_file(path, seal_key_file(secret, passphrase, "secretariat", kdf))
        written = path
    if in_keyring and not remember_secret(SECRETARIAT_ENTRY, secret):
        in_keyring = False
        if written is None:
            raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    pub = keys.public
    write_public_keys(path, pub)
    return keys, KeygenReport(pub.signing_fingerprint, pub.encryption_fingerprint, in_keyring, written)


def load_secretariat_keys(passphrase: str | None = None, key_file: Path | None = None) -> SecretariatKeys:
    """The keyring first (unless a key file is named), then the key file with ``passphrase``."""
    if key_file is None:
        secret = recall_secret(SECRETARIAT_ENTRY)
        if secret is not None:
            return SecretariatKeys.from_secret_bytes(secret)
    path = key_file or default_secretariat_key_file()
    if passphrase is None:
        if not path.exists():
            raise KeyNotFoundError("keys.not_found.secretariat", path=str(path))
        raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    keys = SecretariatKeys.from_secret_bytes(read_key_file(path, passphrase, "secretariat"))
    if not public_keys_file(path).exists():  # key files made before public key files existed
        write_public_keys(path, keys.public)
    return keys


# --- the secretariat's public keys: fingerprints without a secret ----------------------

PUBLIC_KEYS_FORMAT = "reviewer-app-public-keys"


def public_keys_file(key_file: Path) -> Path:
    """``secretariat.key.pub`` beside the key file: the two public keys, in the clear (they are public)."""
    return key_file.with_name(key_file.name + ".pub")


def write_public_keys(key_file: Path, pub: SecretariatPublicKeys) -> None:
    doc = {"format": PUBLIC_KEYS_FORMAT, "version": 1,
           "ed25519": b64e(ed25519_raw(pub.signing)), "x25519": b64e(x25519_raw(pub.encryption))}
    key_file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(public_keys_file(key_file), json.dumps(doc, sort_keys=True, separators=(",", ":")).encode())


def load_secretariat_public_keys(key_file: Path | None = None) -> SecretariatPublicKeys:
    """The public keys without any secret: from the keyring's entry, else the public keys file.

    ``KeyringUnavailableError`` when neither is there (an older key file: open it once with its
    passphrase, which writes the public keys file).
    """
    if key_file is None:
        secret = recall_secret(SECRETARIAT_ENTRY)
        if secret is not None:
            return SecretariatKeys.from_secret_bytes(secret).public
    path = public_keys_file(key_file or default_secretariat_key_file())
    if not path.exists():
        if not (key_file or default_secretariat_key_file()).exists():
            raise KeyNotFoundError("keys.not_found.secretariat", path=str(key_file or default_secretariat_key_file()))
        raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    data = read_regular(path, MAX_KEYFILE_BYTES, _key_file_too_large)
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != PUBLIC_KEYS_FORMAT or type(doc.get("version")) is not int or doc["version"] != 1:
            raise ValueError("format")
        return SecretariatPublicKeys(Ed25519PublicKey.from_public_bytes(b64d(doc["ed25519"], 32)),
                                     X25519PublicKey.from_public_bytes(b64d(doc["x25519"], 32)))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileError("keys.file.malformed", path=str(path)) from None


# --- the reviewer's signing key -------------------------------------------------------


def existing_reviewer_key(bundle_id: str, passphrase: str | None) -> ReviewerKey | None:
    """The assignment's signing key if one was made, never creating one: printing must not mint a key.

    None when there is none; ``KeyringUnavailableError`` when it exists only in its sealed
    key file and no passphrase was given (the caller asks for it).
    """
    secret = recall_secret(_reviewer_entry(bundle_id))
    if secret is not None:
        return ReviewerKey.from_secret_bytes(secret)
    path = reviewer_key_file(bundle_id)
    if not path.exists():
        return None
    if passphrase is None:
        raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    return ReviewerKey.from_secret_bytes(read_key_file(path, passphrase, "reviewer"))


def _reviewer_entry(bundle_id: str) -> str:
    return f"reviewer-key:{bundle_id}"


def get_or_create_reviewer_key(bundle_id: str, passphrase: str | None, *, kdf: KdfParams = DEFAULT_KDF) -> ReviewerKey:
    """One signing key per assignment, created on first use, found again afterwards."""
    entry = _reviewer_entry(bundle_id)
    secret = recall_secret(entry)
    if secret is not None:
        return ReviewerKey.from_secret_bytes(secret)
    path = reviewer_key_file(bundle_id)
    if path.exists():
        if passphrase is None:
            raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
        key = ReviewerKey.from_secret_bytes(read_key_file(path, passphrase, "reviewer"))
        remember_secret(entry, key.to_secret_bytes())
        return key
    stored = keyring_available()
    if not stored and passphrase is None:
        raise KeyringUnavailableError("keys.no_keyring.passphrase_required")
    key = ReviewerKey.generate()
    if passphrase is not None:
        write_key_file(path, seal_key_file(key.to_secret_bytes(), passphrase, "reviewer", kdf))
    if stored:
        remember_secret(entry, key.to_secret_bytes())
    return key
