"""``reviewer-app secretariat …``: the secretariat's key pairs (a later issue adds round setup)."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, KeyStoreError
from ..i18n import tr
from ..lazy import lazy_module
from ._common import EXIT_OK, add_command, add_group, hidden_alias, say

key_service = lazy_module("reviewer_app.services.keys")  # keyring and cryptography: loaded when a command runs


def register(sub: Any) -> None:
    g = add_group(sub, "secretariat", "cli.secretariat.help")
    p = add_command(g, "keygen", "cli.secretariat.keygen_help", cmd_keygen)
    p.add_argument("--key-file", type=Path, help=tr("cli.secretariat.key_file_arg"))
    # The key file's passphrase has one name everywhere (--key-passphrase-file); the old spelling stays.
    p.add_argument("--key-passphrase-file", dest="passphrase_file", type=Path,
                   help=tr("cli.secretariat.passphrase_file_arg"))
    hidden_alias(p, "--passphrase-file", "passphrase_file", type=Path)
    p.add_argument("--no-keyring", action="store_true", help=tr("cli.secretariat.no_keyring_arg"))
    p.add_argument("--force", action="store_true", help=tr("cli.secretariat.force_arg"))
    p = add_command(g, "fingerprints", "cli.secretariat.fingerprints_help", cmd_fingerprints)
    add_key_arguments(p)  # needed only for a key file made before public key files were written


def add_key_arguments(p: argparse.ArgumentParser) -> None:
    """Options that unlock the secretariat's keys where no keyring holds them."""
    p.add_argument("--key-file", type=Path, help=tr("cli.secretariat.key_file_arg"))
    p.add_argument("--key-passphrase-file", type=Path, help=tr("cli.secretariat.key_passphrase_file_arg"))


def read_secret(path: Path | None, prompt_key: str, *, confirm: bool = False, new: bool = False) -> str:
    """A passphrase from a file (first line), a terminal prompt, or one line of standard input.

    The file must be a regular file of at most 64 KiB (checked before reading: a FIFO or a
    device never blocks the command). ``new``: a passphrase a person chooses now, checked against
    the strength rule before it is typed a second time or anything slow starts.
    """
    if path is not None:
        value = _first_line(path)
    elif sys.stdin.isatty():
        value = getpass.getpass(tr(prompt_key) + ": ")
        if new and value:
            check_new_passphrase(value)
        if confirm and getpass.getpass(tr("cli.secretariat.confirm_prompt") + ": ") != value:
            raise KeyStoreError("keys.passphrase_mismatch")
    else:
        value = _stdin_line()
    if not value:
        raise KeyStoreError("keys.passphrase_empty")
    if new:
        check_new_passphrase(value)
    return value


_MAX_SECRET_FILE_BYTES = 64 * 1024


def _stdin_line() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (tests, embedding)
        return sys.stdin.readline().strip()
    try:
        return str(buffer.readline(_MAX_SECRET_FILE_BYTES).decode("utf-8-sig")).strip()
    except UnicodeDecodeError:
        raise InputFileError("bundle.input.secret_not_utf8", path="-") from None


def _first_line(path: Path) -> str:
    from ..core.bundle.files import read_regular

    def too_large(p: str, size: int, limit: int) -> InputFileError:
        return InputFileError("bundle.input.secret_too_large", path=p, size=size, limit=limit)

    try:
        lines = read_regular(path, _MAX_SECRET_FILE_BYTES, too_large).decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputFileError("bundle.input.secret_not_utf8", path=str(path)) from None
    return lines[0].strip() if lines else ""


def check_new_passphrase(value: str) -> None:
    from ..core.keys import check_new_passphrase as check

    check(value)


def load_keys(args: argparse.Namespace) -> Any:
    """The secretariat's keys: from the keyring, else from the key file and its passphrase."""
    from ..core.errors import KeyringUnavailableError

    try:
        return key_service.load_secretariat_keys(None, args.key_file)
    except KeyringUnavailableError:
        pass
    passphrase = read_secret(args.key_passphrase_file, "cli.secretariat.key_passphrase_prompt")
    return key_service.load_secretariat_keys(passphrase, args.key_file)


def new_passphrase() -> str:
    """A random passphrase for a bundle: 6 groups of 5 base32 characters (150 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(6))


def cmd_keygen(args: argparse.Namespace) -> int:
    use_keyring = not args.no_keyring and key_service.keyring_available()
    passphrase = None
    if args.passphrase_file is not None or not use_keyring or sys.stdin.isatty():
        passphrase = read_secret(args.passphrase_file, "cli.secretariat.passphrase_prompt", confirm=True, new=True)
    _keys, report = key_service.create_secretariat_keys(
        passphrase, key_file=args.key_file, use_keyring=use_keyring, overwrite=args.force
    )
    print(tr("cli.secretariat.created"))
    print(tr("cli.secretariat.signing_fp", fingerprint=report.signing_fingerprint))
    print(tr("cli.secretariat.encryption_fp", fingerprint=report.encryption_fingerprint))
    if report.in_keyring:
        print(tr("cli.secretariat.in_keyring"))
    if report.key_file is not None:
        say("cli.secretariat.in_key_file", path=report.key_file)
    return EXIT_OK


def cmd_fingerprints(args: argparse.Namespace) -> int:
    """Fingerprints are public: read from the keyring or the public keys file, no passphrase asked."""
    from ..core.errors import KeyringUnavailableError

    try:
        pub = key_service.load_secretariat_public_keys(args.key_file)
    except KeyringUnavailableError:  # an older key file without its public keys file: once more with the secret
        pub = load_keys(args).public
    print(tr("cli.secretariat.signing_fp", fingerprint=pub.signing_fingerprint))
    print(tr("cli.secretariat.encryption_fp", fingerprint=pub.encryption_fingerprint))
    return EXIT_OK
