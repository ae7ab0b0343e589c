"""The secretariat's commands end to end: keygen, build, inspect, verify (with replay refused)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.services import bundles as svc
from reviewer_app.services import keys as ks
from tests.core.bundle.conftest import payload_for

KEY_PASS = "secretariat key-file passphrase 2026"
BUNDLE_PASS = "a bundle passphrase chosen by hand"
DESC = """
[round]
id = "R2009"
title = "書面審査"
deadline = "2009-06-30"
[reviewer]
id = "rv01"
name = "山田 太郎"
[[proposals]]
id = "P001"
title = "構想"
institution = "○○大学"
institution_type = "国立"
region = "関東"
pdf = "p1.pdf"
[proposals.figures]
"1-1" = 412
"""


def test_keygen_build_inspect_verify(tmp_path: Path, capsys) -> None:
    (tmp_path / "kp").write_text(KEY_PASS + "\n", encoding="utf-8")
    (tmp_path / "bp").write_text(BUNDLE_PASS + "\n", encoding="utf-8")
    (tmp_path / "p1.pdf").write_bytes(b"%PDF-1.4 x")
    (tmp_path / "d.toml").write_text(DESC, encoding="utf-8")
    kp = ["--key-passphrase-file", str(tmp_path / "kp")]
    assert main(["secretariat", "keygen", "--passphrase-file", str(tmp_path / "kp")]) == 0
    fp = ks.load_secretariat_keys(KEY_PASS).public.signing_fingerprint
    assert fp in capsys.readouterr().out
    out = tmp_path / "a.rvb"
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(out), "--passphrase-file", str(tmp_path / "bp"), *kp]) == 0
    capsys.readouterr()
    assert main(["bundle", "inspect", "--json", str(out)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "assignment" and info["signer"] == fp
    a = svc.open_assignment(out, BUNDLE_PASS, pinned_signing_fingerprint=fp)
    res = tmp_path / "r.rvb"
    svc.build_result_bundle(a, payload_for(a), ReviewerKey.generate(), res)
    assert main(["bundle", "verify", "--record", "--json", str(res), *kp]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "ok"
    assert main(["bundle", "verify", str(res), *kp]) == 1  # already imported
    assert main(["bundle", "verify", str(out), *kp]) == 1  # an assignment is not a result
    assert main(["bundle", "inspect", str(tmp_path / "p1.pdf")]) == 3
    assert "審査バンドルではありません" in capsys.readouterr().err



def _secretariat(tmp_path: Path) -> list[str]:
    (tmp_path / "kp").write_text(KEY_PASS + "\n", encoding="utf-8")
    assert main(["secretariat", "keygen", "--no-keyring", "--passphrase-file", str(tmp_path / "kp")]) == 0
    (tmp_path / "p1.pdf").write_bytes(b"%PDF-1.4 x")
    (tmp_path / "d.toml").write_text(DESC, encoding="utf-8")
    return ["--key-passphrase-file", str(tmp_path / "kp")]


@pytest.mark.parametrize("weak", ["a", "password1234", "aaaaaaaaaaaaaaaa", "パスフレーズ"])
def test_a_weak_passphrase_chosen_by_hand_is_refused(tmp_path: Path, capsys, weak: str) -> None:
    kp = _secretariat(tmp_path)
    capsys.readouterr()
    (tmp_path / "weak").write_text(weak + "\n", encoding="utf-8")
    out = tmp_path / "a.rvb"
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(out), "--passphrase-file", str(tmp_path / "weak"), *kp]) != 0
    err = capsys.readouterr().err
    assert "10" in err and "推測" in err and not out.exists()
    assert main(["secretariat", "keygen", "--no-keyring", "--force", "--key-file", str(tmp_path / "k2"),
                 "--passphrase-file", str(tmp_path / "weak")]) != 0
    assert not (tmp_path / "k2").exists()


def test_a_generated_passphrase_always_passes_the_rule(tmp_path: Path, capsys) -> None:
    from reviewer_app.cli.secretariat_cmd import new_passphrase
    from reviewer_app.core.keys import check_new_passphrase

    for _ in range(20):
        check_new_passphrase(new_passphrase())
    kp = _secretariat(tmp_path)
    capsys.readouterr()
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(tmp_path / "a.rvb"), *kp]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "パスフレーズ" in x)
    assert svc.open_assignment(tmp_path / "a.rvb", line.rsplit(" ", 1)[-1].split("：")[-1].strip()).proposals


def test_build_names_a_pdf_the_reviewer_could_not_open(tmp_path: Path, capsys) -> None:
    import io as _io

    from pypdf import PdfWriter

    kp = _secretariat(tmp_path)
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.encrypt("secret-user-password", "owner")
    buf = _io.BytesIO()
    w.write(buf)
    (tmp_path / "p1.pdf").write_bytes(b"\r\n" * 8 + buf.getvalue())  # leading bytes before %PDF-: accepted
    capsys.readouterr()
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(tmp_path / "a.rvb"), *kp]) == 0
    err = capsys.readouterr().err
    assert "P001" in err and str(tmp_path / "p1.pdf") in err and "パスワード" in err
    (tmp_path / "p1.pdf").write_bytes(b"x" * 1030 + b"%PDF-1.4")  # beyond the first 1,024 bytes: not a PDF
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(tmp_path / "b.rvb"), *kp]) != 0
    assert "PDF" in capsys.readouterr().err and not (tmp_path / "b.rvb").exists()


def _in_child(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child, so a reader that blocked (a FIFO, /dev/zero) fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "REVIEWER_APP_LANG": "en"})


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "folder"])
def test_readers_refuse_what_is_not_a_regular_file_before_reading(tmp_path: Path, kind: str) -> None:
    target = {"fifo": tmp_path / "r.rvb", "dev_zero": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    for command in (["bundle", "inspect"], ["bundle", "verify", "--key-passphrase-file", "/nonexistent"], ["review", "add"]):
        done = _in_child(f"import sys; from reviewer_app.cli import main; sys.exit(main({[*command, str(target)]!r}))")
        assert done.returncode != 0, command
        assert str(target) in done.stderr and "not an ordinary file" in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr


def test_a_huge_sparse_file_is_refused_by_its_size_before_it_is_hashed(tmp_path: Path) -> None:
    from reviewer_app.core.bundle import limits
    from reviewer_app.core.bundle.model import VerifyOutcome
    from reviewer_app.core.errors import BundleLimitError
    from reviewer_app.core.keys import SecretariatKeys

    sec_keys = SecretariatKeys.generate()

    huge = tmp_path / "huge.rvb"
    with huge.open("wb") as fh:
        fh.truncate(20 * 1024**3)  # 20 GB, sparse: costs nothing to make, 70 s to hash
    with pytest.raises(BundleLimitError) as e:
        svc.inspect_bundle(huge)
    assert e.value.params == {"path": str(huge), "size": 20 * 1024**3, "limit": limits.MAX_BUNDLE_BYTES}
    reg = svc.open_registry(tmp_path / "reg.sqlite")
    try:
        report = svc.verify_result_bundle(huge, sec_keys, reg)
    finally:
        reg.close()
    assert report.outcome is VerifyOutcome.CORRUPT and report.code == "bundle.limit.file_size"
    assert report.params["limit"] == limits.MAX_RESULT_BYTES and report.params["path"] == str(huge)
    assert report.file_digest == ""  # refused before a byte was hashed
