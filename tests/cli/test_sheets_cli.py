from __future__ import annotations

import json

from reviewer_app.cli import main
from reviewer_app.paths import resource_path

DEMO = str(resource_path("demo", "sheets-demo.json"))


def test_sheets_commands_write_pdfs(tmp_path, capsys):
    cases = [
        ["sheets", "score", DEMO, "--reviewer", "R01", "--proposal", "P-001", "-o", str(tmp_path / "s.pdf")],
        ["sheets", "summary", DEMO, "--reviewer", "R01", "-o", str(tmp_path / "m.pdf")],
        ["sheets", "panel", DEMO, "-o", str(tmp_path / "p.pdf")],
        ["sheets", "blank", "-o", str(tmp_path / "b.pdf")],
    ]
    for argv in cases:
        assert main(argv) == 0, argv
        assert (tmp_path / argv[-1].split("/")[-1]).read_bytes().startswith(b"%PDF-")
    assert "ページ" in capsys.readouterr().out


def test_sheets_errors_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["sheets", "score", DEMO, "-o", str(tmp_path / "s.pdf")]) == 3
    err = capsys.readouterr().err
    assert "--reviewer" in err and "Traceback" not in err


def test_sheets_fonts_json(capsys):
    assert main(["sheets", "fonts", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"font", "path", "subfont_index", "embedded", "warnings"}
    assert data["embedded"] == (data["path"] is not None)
