"""``secretariat fingerprints`` needs no secret (fingerprints are public), and one option name per thing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from reviewer_app.cli import main
from reviewer_app.services import keys as key_service

STRONG = "violet-tractor-57-ocean-lamp"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _keygen(tmp_path: Path, capsys, monkeypatch, option: str = "--key-passphrase-file") -> tuple[Path, str]:
    secret = tmp_path / "kp.txt"
    secret.write_text(STRONG + "\n", encoding="utf-8")
    key_file = tmp_path / "keys" / "secretariat.key"
    key_file.parent.mkdir()
    code, out, err = run(capsys, monkeypatch, "secretariat", "keygen", "--no-keyring", "--key-file", str(key_file),
                         option, str(secret))
    assert code == 0, err
    return key_file, out


def test_fingerprints_are_shown_without_any_passphrase(tmp_path, capsys, monkeypatch):
    key_file, created = _keygen(tmp_path, capsys, monkeypatch)
    stdin = io.StringIO("not a passphrase\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["secretariat", "fingerprints", "--key-file", str(key_file)]) == 0
    shown = capsys.readouterr().out
    assert shown.splitlines() == created.splitlines()[1:3]  # the same two lines keygen printed
    assert stdin.read() == "not a passphrase\n"  # nothing was asked for or read
    public = json.loads(key_service.public_keys_file(key_file).read_text(encoding="utf-8"))
    assert STRONG not in json.dumps(public) and set(public) == {"format", "version", "ed25519", "x25519"}


def test_an_older_key_file_asks_once_then_never_again(tmp_path, capsys, monkeypatch):
    key_file, created = _keygen(tmp_path, capsys, monkeypatch)
    key_service.public_keys_file(key_file).unlink()  # as keygen wrote it before public key files existed
    code, _, err = run(capsys, monkeypatch, "secretariat", "fingerprints", "--key-file", str(key_file), stdin="")
    assert code == 3 and "Traceback" not in err
    code, out, _ = run(capsys, monkeypatch, "secretariat", "fingerprints", "--key-file", str(key_file),
                       "--key-passphrase-file", str(tmp_path / "kp.txt"))
    assert code == 0 and out.splitlines() == created.splitlines()[1:3]
    code, out, _ = run(capsys, monkeypatch, "secretariat", "fingerprints", "--key-file", str(key_file))
    assert code == 0 and out.splitlines() == created.splitlines()[1:3]


def test_a_damaged_public_keys_file_is_a_typed_error(tmp_path, capsys, monkeypatch):
    key_file, _ = _keygen(tmp_path, capsys, monkeypatch)
    key_service.public_keys_file(key_file).write_text('{"format": "reviewer-app-public-keys"}', encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, "secretariat", "fingerprints", "--key-file", str(key_file))
    assert code == 3 and "Traceback" not in err and "KeyError" not in err


def test_the_key_file_passphrase_has_one_option_name_and_the_old_one_still_works(tmp_path, capsys, monkeypatch):
    key_file, _ = _keygen(tmp_path, capsys, monkeypatch, option="--passphrase-file")
    assert key_file.exists()
    try:
        main(["secretariat", "keygen", "--help"])
    except SystemExit:
        pass
    shown = capsys.readouterr().out
    assert "--key-passphrase-file" in shown and "--passphrase-file" not in shown.replace("--key-passphrase-file", "")
