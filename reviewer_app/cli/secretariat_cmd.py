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
from ._common import EXIT_OK, add_command, add_group

key_service = lazy_module("reviewer_app.services.keys")  # keyring and cryptography: loaded when a command runs


def register(sub: Any) -> None:
    g = add_group(sub, "secretariat", "cli.secretariat.help")
    p = add_command(g, "keygen", "cli.secretariat.keygen_help", cmd_keygen)
    p.add_argument("--key-file", type=Path, help=tr("cli.secretariat.key_file_arg"))
    p.add_argument("--passphrase-file", type=Path, help=tr("cli.secretariat.passphrase_file_arg"))
    p.add_argument("--no-keyring", action="store_true", help=tr("cli.secretariat.no_keyring_arg"))
    p.add_argument("--force", action="store_true", help=tr("cli.secretariat.force_arg"))
    p = add_command(g, "fingerprints", "cli.secretariat.fingerprints_help", cmd_fingerprints)
    add_key_arguments(p)


def add_key_arguments(p: argparse.ArgumentParser) -> None:
    """Options that unlock the secretariat's keys where no keyring holds them."""
    p.add_argument("--key-file", type=Path, help=tr("cli.secretariat.key_file_arg"))
    p.add_argument("--key-passphrase-file", type=Path, help=tr("cli.secretariat.key_passphrase_file_arg"))


def read_secret(path: Path | None, prompt_key: str, *, confirm: bool = False) -> str:
    """A passphrase from a file (first line), a terminal prompt, or one line of standard input."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            raise InputFileError("file.unreadable", path=str(path)) from None
        value = text[0].strip() if text else ""
    elif sys.stdin.isatty():
        value = getpass.getpass(tr(prompt_key) + ": ")
        if confirm and getpass.getpass(tr("cli.secretariat.confirm_prompt") + ": ") != value:
            raise KeyStoreError("keys.passphrase_mismatch")
    else:
        value = sys.stdin.readline().strip()
    if not value:
        raise KeyStoreError("keys.passphrase_empty")
    return value


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
        passphrase = read_secret(args.passphrase_file, "cli.secretariat.passphrase_prompt", confirm=True)
    _keys, report = key_service.create_secretariat_keys(
        passphrase, key_file=args.key_file, use_keyring=use_keyring, overwrite=args.force
    )
    print(tr("cli.secretariat.created"))
    print(tr("cli.secretariat.signing_fp", fingerprint=report.signing_fingerprint))
    print(tr("cli.secretariat.encryption_fp", fingerprint=report.encryption_fingerprint))
    if report.in_keyring:
        print(tr("cli.secretariat.in_keyring"))
    if report.key_file is not None:
        print(tr("cli.secretariat.in_key_file", path=str(report.key_file)))
    return EXIT_OK


def cmd_fingerprints(args: argparse.Namespace) -> int:
    pub = load_keys(args).public
    print(tr("cli.secretariat.signing_fp", fingerprint=pub.signing_fingerprint))
    print(tr("cli.secretariat.encryption_fp", fingerprint=pub.encryption_fingerprint))
    return EXIT_OK
