from __future__ import annotations

import io

import pypdf
import pytest
from reportlab.lib.pagesizes import A4

from reviewer_app.core.errors import SheetError
from reviewer_app.core.sheets import ReviewerInfo, render_score_sheets
from reviewer_app.core.sheets.parts import mark_text

from .conftest import LONG_COMMENT, PUNCTUATION, body_text, flat, pdf_text, sample_result


@pytest.fixture(scope="module")
def result(rubric):
    return sample_result(rubric)


@pytest.fixture(scope="module")
def pdf(ja, ctx, reviewer, result):
    return render_score_sheets(ctx, reviewer, [result])


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return pdf_text(pdf.data)


def test_every_item_title_grade_and_comment_is_printed(rubric, result, pages):
    text = body_text(pages)
    scored = result.score(rubric)
    for item in rubric.items:
        assert flat(item.title) in text, item.id
        assert flat(mark_text(rubric, item, scored.item(item.id).mark)) in text, item.id
        entry = result.entry(item.id)
        if entry and entry.comment:
            assert flat(entry.comment) in text, item.id
    assert flat(LONG_COMMENT) in text
    assert flat(PUNCTUATION) in text


def test_long_comment_flows_over_pages_nothing_cut(pdf, pages):
    assert pdf.pages >= 3
    starts = [n for n, p in enumerate(pages) if flat(LONG_COMMENT[:40]) in flat(p)]
    ends = [n for n, p in enumerate(pages) if "（以上、長文所見）" in flat(p)]
    assert starts and ends and ends[0] > starts[0]


def test_unjudgeable_is_marked_with_its_reason(rubric, result, pages):
    text = flat("".join(pages))
    assert "判断不能" in text
    assert flat(result.entries[12].unjudgeable_reason) in text


def test_totals_and_band(rubric, result, pages):
    scored = result.score(rubric)
    last = flat(pages[-1])
    assert flat(f"{scored.total}点") in last or flat(f"{scored.total.normalize():f}点") in last
    band = next(b for b in rubric.bands.bands if b.id == scored.band_id)
    assert band.label in last
    assert "記入日" in last and "署名" in last


def test_footer_on_every_page_with_digest_fingerprint_and_page_numbers(pdf, pages, result, reviewer):
    for n, page in enumerate(pages, 1):
        assert result.result_digest in page
        assert reviewer.key_fingerprint in page
        assert flat(f"{n} / {pdf.pages} ページ") in flat(page)


def test_a4_and_font_embedded(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (round(A4[0]), round(A4[1]))
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                fd = desc.get_object().get("/FontDescriptor")
                if fd is not None and "/FontFile2" in fd.get_object():
                    embedded.append(font["/BaseFont"])
            fd = font.get("/FontDescriptor")
            if fd is not None and "/FontFile2" in fd.get_object():
                embedded.append(font["/BaseFont"])
    assert pdf.font.embedded
    assert embedded
    assert pdf.warnings == ()


def test_same_data_gives_identical_bytes(ja, ctx, reviewer, result, pdf):
    assert render_score_sheets(ctx, reviewer, [result]).data == pdf.data


def test_several_sheets_number_their_pages_separately(ja, ctx, reviewer, rubric):
    a, b = sample_result(rubric, "P-001"), sample_result(rubric, "P-002", variant=1)
    single_a = render_score_sheets(ctx, reviewer, [a])
    both = render_score_sheets(ctx, reviewer, [a, b])
    pages = pdf_text(both.data)
    assert a.result_digest in pages[0] and b.result_digest in pages[-1]
    assert flat(f"1 / {single_a.pages} ページ") in flat(pages[0])
    assert flat(f"1 / {both.pages - single_a.pages} ページ") in flat(pages[single_a.pages])


def test_conflict_of_interest_sheet(ja, ctx, reviewer, rubric):
    from reviewer_app.core.sheets import ReviewerResult

    coi = ReviewerResult(sample_result(rubric).proposal, (), True, "申請機関の学外委員", "ab" * 32)
    text = flat("".join(pdf_text(render_score_sheets(ctx, reviewer, [coi]).data)))
    assert "利害関係あり" in text and "申請機関の学外委員" in text


def test_bad_digest_and_empty_input_are_refused(ja, ctx, reviewer, rubric):
    with pytest.raises(SheetError) as e:
        render_score_sheets(ctx, reviewer, [])
    assert e.value.code == "sheets.no_results"
    with pytest.raises(SheetError) as e:
        render_score_sheets(ctx, ReviewerInfo("R01", "x", "has space"), [sample_result(rubric)])
    assert e.value.code == "sheets.bad_token"


def test_english_labels_keep_rubric_text(ctx, reviewer, rubric, monkeypatch):
    from reviewer_app import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    text = flat("".join(pdf_text(render_score_sheets(ctx, reviewer, [sample_result(rubric)]).data)))
    assert flat("Document review score sheet") in text
    assert flat(rubric.items[0].title) in text
