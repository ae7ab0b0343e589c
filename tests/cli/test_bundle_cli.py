"""The secretariat's commands end to end: keygen, build, inspect, verify (with replay refused)."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer_app.cli import main
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.services import bundles as svc
from reviewer_app.services import keys as ks
from tests.core.bundle.conftest import payload_for

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
    (tmp_path / "kp").write_text("key pass\n", encoding="utf-8")
    (tmp_path / "bp").write_text("bundle pass\n", encoding="utf-8")
    (tmp_path / "p1.pdf").write_bytes(b"%PDF-1.4 x")
    (tmp_path / "d.toml").write_text(DESC, encoding="utf-8")
    kp = ["--key-passphrase-file", str(tmp_path / "kp")]
    assert main(["secretariat", "keygen", "--passphrase-file", str(tmp_path / "kp")]) == 0
    fp = ks.load_secretariat_keys("key pass").public.signing_fingerprint
    assert fp in capsys.readouterr().out
    out = tmp_path / "a.rvb"
    assert main(["bundle", "build", str(tmp_path / "d.toml"), "-o", str(out), "--passphrase-file", str(tmp_path / "bp"), *kp]) == 0
    capsys.readouterr()
    assert main(["bundle", "inspect", "--json", str(out)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "assignment" and info["signer"] == fp
    a = svc.open_assignment(out, "bundle pass", pinned_signing_fingerprint=fp)
    res = tmp_path / "r.rvb"
    svc.build_result_bundle(a, payload_for(a), ReviewerKey.generate(), res)
    assert main(["bundle", "verify", "--record", "--json", str(res), *kp]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "ok"
    assert main(["bundle", "verify", str(res), *kp]) == 1  # already imported
    assert main(["bundle", "verify", str(out), *kp]) == 1  # an assignment is not a result
    assert main(["bundle", "inspect", str(tmp_path / "p1.pdf")]) == 3
    assert "審査バンドルではありません" in capsys.readouterr().err
