"""Blank sheet, reviewer summary and panel material."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from reportlab.lib.pagesizes import A4

from reviewer_app.core.errors import SheetError
from reviewer_app.core.sheets import (
    ReviewerInfo,
    ReviewerResult,
    VerifiedResult,
    combined_digest,
    qr_payload,
    render_blank_sheet,
    render_panel,
    render_summary,
)
from reviewer_app.core.sheets.panel import group_results, ranked
from reviewer_app.core.sheets.render import Footer
from reviewer_app.core.sheets.score_sheet import score_footer

from .conftest import LONG_COMMENT, PUNCTUATION, body_text, digest_of, flat, pdf_text, sample_result


def _sizes(data: bytes) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pypdf.PdfReader(io.BytesIO(data)).pages}


def test_blank_sheet_lists_every_item_and_perspective(ja, rubric):
    pdf = render_blank_sheet(rubric)
    text = body_text(pdf_text(pdf.data))
    for item in rubric.items:
        assert flat(item.title) in text
        for p in item.perspectives:
            assert flat(p.text) in text
    pages = pdf_text(pdf.data)
    assert all(rubric.digest in p for p in pages)
    assert _sizes(pdf.data) == {(round(A4[0]), round(A4[1]))}
    assert render_blank_sheet(rubric).data == pdf.data


def _summary_results(rubric) -> list[ReviewerResult]:
    a = sample_result(rubric, "P-001")
    b = sample_result(rubric, "P-002", variant=2)
    coi = ReviewerResult(sample_result(rubric, "P-003").proposal, (), True, "申請機関の学外委員", digest_of("coi"))
    return [a, b, coi]


def test_summary_shows_totals_bands_conflicts_and_distribution(ja, ctx, reviewer, rubric):
    results = _summary_results(rubric)
    pdf = render_summary(ctx, reviewer, results)
    pages = pdf_text(pdf.data)
    text = body_text(pages)
    for r in results[:2]:
        scored = r.score(rubric)
        assert flat(f"{scored.total.normalize():f}点") in text
        band = next(b for b in rubric.bands.bands if b.id == scored.band_id)
        assert band.label in text
    assert "申請機関の学外委員" in text and "利害関係あり" in text
    assert "視点2の合計点の分布と目安" in text and "10%" in text
    expected = combined_digest((r.proposal.proposal_id, r.result_digest) for r in results)
    assert all(expected in p for p in pages)
    assert all(reviewer.key_fingerprint in p for p in pages)


def _verified(rubric) -> list[VerifiedResult]:
    r1 = ReviewerInfo("R01", "山田 太郎", digest_of("k1"))
    r2 = ReviewerInfo("R02", "佐藤 花子", digest_of("k2"))
    r3 = ReviewerInfo("R03", "鈴木 一郎", digest_of("k3"))
    out = []
    for pid, variant in (("P-001", 0), ("P-002", 1)):
        out.append(VerifiedResult(r1, sample_result(rubric, pid, variant)))
        out.append(VerifiedResult(r2, sample_result(rubric, pid, variant + 1)))
    coi = ReviewerResult(out[0].result.proposal, (), True, "共同研究者", digest_of("coi"))
    out.append(VerifiedResult(r3, coi))
    return out


@pytest.fixture(scope="module")
def panel(ja, ctx, rubric):
    return render_panel(ctx, _verified(rubric))


def test_panel_shows_every_reviewer_grade_and_comment(panel, rubric):
    text = body_text(pdf_text(panel.data))
    for v in _verified(rubric):
        assert flat(v.reviewer.name) in text
        for e in v.result.entries:
            if e.comment:
                assert flat(e.comment) in text
            if e.unjudgeable:
                assert flat(e.unjudgeable_reason) in text
    assert flat(LONG_COMMENT) in text and flat(PUNCTUATION) in text
    assert "共同研究者" in text
    assert "提案の順位" in text


def test_panel_is_landscape_a4_with_digest_on_every_page(panel, rubric):
    assert _sizes(panel.data) == {(round(A4[1]), round(A4[0]))}
    results = _verified(rubric)
    expected = combined_digest((v.result.proposal.proposal_id, v.reviewer.reviewer_id, v.result.result_digest) for v in results)
    assert all(expected in p for p in pdf_text(panel.data))


def test_panel_does_not_depend_on_input_order(panel, ctx, rubric):
    assert render_panel(ctx, list(reversed(_verified(rubric)))).data == panel.data


def test_panel_means_ranking_and_conflicts(rubric):
    rows = group_results(rubric, _verified(rubric))
    p1 = rows[0]
    assert len(p1.scored) == 3 and len(p1.counting) == 2  # the conflicted reviewer does not count
    order = ranked(rows)
    means = [m for _rank, _row, m in order]
    assert means == sorted(means, reverse=True)
    assert order[0][0] == 1
    totals = [p.total for p in p1.counting]
    assert next(m for _r, row, m in order if row is p1) == sum(totals, Decimal(0)) / 2


def test_panel_refuses_duplicates_and_nothing(ctx, rubric):
    v = _verified(rubric)
    with pytest.raises(SheetError) as e:
        render_panel(ctx, [v[0], v[0]])
    assert e.value.code == "sheets.duplicate_result"
    with pytest.raises(SheetError):
        render_panel(ctx, [])


def test_qr_payload_carries_digest_and_key(ctx, reviewer, rubric):
    result = sample_result(rubric)
    footer = score_footer(ctx, reviewer, result)
    assert isinstance(footer, Footer) and footer.qr_fields is not None
    payload = qr_payload(footer.qr_fields)
    assert payload.startswith("reviewer-app:sheet?v=1&kind=score")
    assert f"digest={result.result_digest}" in payload
    assert f"key={reviewer.key_fingerprint}" in payload
    assert payload.isascii()
