from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from reviewer_app.core.errors import SheetError
from reviewer_app.core.sheets import fonts, render_blank_sheet


@pytest.fixture
def fresh_fonts():
    fonts.forget_font_choice()
    yield
    fonts.forget_font_choice()


def _font_files(data: bytes) -> list[str]:
    out = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages[:1]:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            descriptors = [d.get_object().get("/FontDescriptor") for d in f.get("/DescendantFonts", [])]
            descriptors.append(f.get("/FontDescriptor"))
            for fd in descriptors:
                if fd is not None:
                    out += [k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in fd.get_object()]
    return out


def test_system_truetype_font_is_found_and_embedded(fresh_fonts, monkeypatch, rubric):
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    choice = fonts.choose_font()
    if choice.path is None:
        pytest.skip("no Japanese TrueType font installed (the CI installs fonts-ipaexfont)")
    assert choice.embedded and choice.warnings == ()
    assert "/FontFile2" in _font_files(render_blank_sheet(rubric, font=choice).data)


def test_fallback_to_cid_font_with_a_warning(fresh_fonts, monkeypatch, tmp_path, rubric):
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "shipped_font_dirs", lambda: [])
    choice = fonts.choose_font()
    assert choice.name == fonts.FALLBACK_CID_FONT
    assert not choice.embedded
    assert [w.code for w in choice.warnings] == ["font_not_embedded"]
    pdf = render_blank_sheet(rubric, font=choice)
    assert pdf.warnings == choice.warnings
    assert _font_files(pdf.data) == []
    assert b"HeiseiKakuGo-W5" in pdf.data

    from reviewer_app.services.sheets import warning_messages

    (message,) = warning_messages(pdf)
    assert "HeiseiKakuGo-W5" in message and "閲覧ソフト" in message


def test_cff_fonts_are_refused(tmp_path):
    fonts_root = Path("/usr/share/fonts")
    noto = sorted(fonts_root.rglob("NotoSansCJK*.tt[cf]")) + sorted(fonts_root.rglob("NotoSerifCJK*.ttc"))
    if not noto:
        pytest.skip("no Noto CJK font to try")
    assert fonts._try_load(noto[0], 0) is None


def test_not_a_font_is_skipped(tmp_path, fresh_fonts, monkeypatch):
    bogus = tmp_path / "ipaexg.ttf"
    bogus.write_bytes(b"not a font")
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "shipped_font_dirs", lambda: [])
    assert fonts.choose_font().name == fonts.FALLBACK_CID_FONT


def test_explicit_font_that_cannot_be_used_is_an_error(tmp_path, fresh_fonts, monkeypatch):
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(SheetError) as e:
        fonts.choose_font()
    assert e.value.code == "sheets.font_unusable"
