"""``reviewer-app review sheets`` / ``summary-sheet``: printed from the workspace, tied to the export."""

from __future__ import annotations

import hashlib
import io
import re
import sys

import pypdf

from reviewer_app.cli import main
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment, secretariat_reads


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def text_of(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(path).pages]


def test_review_sheets_and_summary_sheet_match_the_export_then_become_drafts(tmp_path, capsys, monkeypatch):
    from reviewer_app.services.workspace import Workspace

    built = make_assignment(tmp_path / "sec", n=2)
    b = built.bundle_id
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(b, PASSPHRASE)
        grade_everything(ws, b, built.proposal_ids, comment="紙と電子の一致を確認")
    result = tmp_path / "result.rvb"
    code, _, _ = run(capsys, monkeypatch, "review", "export", b[:8], "--out", str(result), "--passphrase-stdin",
                     stdin=PASSPHRASE + "\n")
    assert code == 0
    digest = hashlib.sha256(result.read_bytes()).hexdigest()
    fingerprint = secretariat_reads(result, built).reviewer_key_fingerprint

    sheets = tmp_path / "print" / "sheets.pdf"
    sheets.parent.mkdir()
    code, out, err = run(capsys, monkeypatch, "review", "sheets", b[:8], "--proposal", "P002", "-o", str(sheets),
                         "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert code == 0 and digest in out and fingerprint in out and "版 1" in out and "下書き" not in err
    pages = text_of(sheets)
    assert all(digest in p and fingerprint in p for p in pages)
    assert "国際化拠点構想P002" in pages[0] and "P001" not in "".join(pages) and "紙と電子の一致を確認" in "".join(pages)
    assert sorted(p.name for p in sheets.parent.iterdir()) == ["sheets.pdf"]  # atomic: no temp file left

    summary = tmp_path / "print" / "summary.pdf"
    code, out, err = run(capsys, monkeypatch, "review", "summary-sheet", b[:8], "-o", str(summary), stdin="")
    assert code == 0 and all(digest in p for p in text_of(summary))
    assert "提案番号のみ" in err  # not unlocked in this process and no passphrase: ids only, said so

    run(capsys, monkeypatch, "review", "grade", b[:8], "P001", "2-1", "c")
    before = sheets.read_bytes()
    code, out, err = run(capsys, monkeypatch, "review", "sheets", b[:8], "-o", str(sheets), "--lang", "en", stdin="")
    assert code == 3 and "--force" in err and sheets.read_bytes() == before  # never replaced unasked
    code, out, err = run(capsys, monkeypatch, "--lang", "en", "review", "sheets", b[:8], "-o", str(sheets), "--force",
                         stdin="")
    assert code == 0 and "changed after revision 1" in err and "draft" in err and digest not in out
    assert all(digest not in p and "draft,notexported" in p for p in text_of(sheets))  # English sheet labels
