"""Keys: keyring present (in memory), absent (null backend / NoKeyringError), and the key-file fallback."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest

from reviewer_app.core.errors import KeyFileError, KeyNotFoundError, KeyringUnavailableError, KeyStoreError
from reviewer_app.core.keys import SecretariatKeys, fingerprint, open_key_file, seal_key_file
from reviewer_app.services import bundles as svc
from reviewer_app.services import keys as ks

from .conftest import FAST_KDF, PASS


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(before)


@pytest.fixture
def failing_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_keyring_present(memory_keyring) -> None:
    _keys, report = ks.create_secretariat_keys(None, kdf=FAST_KDF)
    assert report.in_keyring and report.key_file is None
    assert not ks.default_secretariat_key_file().exists()
    loaded = ks.load_secretariat_keys()
    assert loaded.public.signing_fingerprint == report.signing_fingerprint
    with pytest.raises(KeyStoreError):
        ks.create_secretariat_keys(None, kdf=FAST_KDF)


@pytest.mark.parametrize("backend", ["null", "fail"])
def test_keyring_absent_falls_back_to_key_file(backend, request) -> None:
    if backend == "fail":
        request.getfixturevalue("failing_keyring")
        with pytest.raises(keyring.errors.NoKeyringError):
            keyring.get_password("x", "y")
    assert not ks.keyring_available()
    with pytest.raises(KeyringUnavailableError):
        ks.create_secretariat_keys(None, kdf=FAST_KDF)
    _keys, report = ks.create_secretariat_keys(PASS, kdf=FAST_KDF)
    assert not report.in_keyring and report.key_file is not None
    with pytest.raises(KeyringUnavailableError):
        ks.load_secretariat_keys()
    assert ks.load_secretariat_keys(PASS).public.signing_fingerprint == report.signing_fingerprint
    with pytest.raises(KeyFileError):
        ks.load_secretariat_keys("wrong")


def test_key_file_holds_no_plaintext_secret() -> None:
    keys = SecretariatKeys.generate()
    secret = keys.to_secret_bytes()
    sealed = seal_key_file(secret, PASS, "secretariat", FAST_KDF)
    raw_sk = keys.signing.private_bytes_raw()
    assert raw_sk not in sealed and secret not in sealed
    import base64

    assert base64.b64encode(raw_sk) not in sealed
    assert open_key_file(sealed, PASS) == ("secretariat", secret)
    with pytest.raises(KeyFileError):
        open_key_file(sealed.replace(b'"label":"secretariat"', b'"label":"reviewer!!!!"'), PASS)
    for bad in (b"", b"{}", b"not json", sealed[:-5]):
        with pytest.raises(KeyFileError):
            open_key_file(bad, PASS)


def test_reviewer_key_created_once_and_found_again(memory_keyring) -> None:
    k1 = ks.get_or_create_reviewer_key("ab" * 16, PASS, kdf=FAST_KDF)
    assert ks.get_or_create_reviewer_key("ab" * 16, None).fingerprint == k1.fingerprint
    memory_keyring.store.clear()  # keyring lost: the sealed backup restores the same key
    assert ks.get_or_create_reviewer_key("ab" * 16, PASS).fingerprint == k1.fingerprint


def test_reviewer_key_without_keyring_needs_passphrase() -> None:
    with pytest.raises(KeyringUnavailableError):
        ks.get_or_create_reviewer_key("cd" * 16, None)
    k = ks.get_or_create_reviewer_key("cd" * 16, PASS, kdf=FAST_KDF)
    assert ks.get_or_create_reviewer_key("cd" * 16, PASS).fingerprint == k.fingerprint


def test_remembered_unlock(memory_keyring, issued) -> None:
    a = svc.open_assignment(issued[0], PASS)
    assert svc.remember_unlock(a)
    again = svc.open_remembered_assignment(issued[0])
    assert again.proposals == a.proposals
    svc.forget_unlock(a.bundle_id)
    with pytest.raises(KeyNotFoundError):
        svc.open_remembered_assignment(issued[0])


def test_remember_without_keyring_reports_false(issued) -> None:
    assert not svc.remember_unlock(svc.open_assignment(issued[0], PASS))


def test_fingerprint_shape() -> None:
    fp = fingerprint("ed25519", bytes(32))
    assert len(fp) == 19 and fp.count("-") == 3
    assert fp != fingerprint("x25519", bytes(32))
