"""100 score sheets, beside a plain reportlab table document of the same size made in the same run.

The plain document has the same pages' worth of text in one table per proposal with the
same font, so the difference is what the sheet layout (paragraphs, footers, QR codes) costs.
"""

from __future__ import annotations

import hashlib
import io
import random
import time
from collections.abc import Iterator
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

from reviewer_app.core.scoring import Entry
from reviewer_app.core.sheets import ProposalInfo, ReviewerInfo, ReviewerResult, SheetContext, choose_font, render_score_sheets
from reviewer_app.services.rubrics import load_shipped_rubric

COMMENT = "構想調書の記載から具体的な取組と実績が確認できる。受入体制の整備も着実である。"


def _results(rubric, n: int) -> list[ReviewerResult]:
    rng = random.Random(5)
    out = []
    for k in range(n):
        entries = []
        for item in rubric.items:
            scale = rubric.scale_of(item)
            figure = Decimal(rng.randint(0, 900)) if scale.kind == "level" else None
            entries.append(Entry(item.id, rng.choice(scale.codes), COMMENT * rng.randint(1, 4), figure=figure))
        proposal = ProposalInfo(f"P-{k:03d}", "国際化拠点の形成", f"大学{k}", "国立", "関東")
        out.append(ReviewerResult(proposal, tuple(entries), False, "", hashlib.sha256(str(k).encode()).hexdigest()))
    return out


def _plain(rubric, results: list[ReviewerResult], font: str) -> bytes:
    style = ParagraphStyle("p", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    story = []
    for r in results:
        rows = [[Paragraph(i.title, style), e.mark or "", Paragraph(e.comment, style)] for i, e in zip(rubric.items, r.entries)]
        story += [Table(rows, colWidths=[150, 40, 300]), PageBreak()]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


def bench_score_sheets() -> list[tuple[str, float, str]]:
    rubric = load_shipped_rubric()
    ctx = SheetContext("ベンチマーク", "BENCH", rubric)
    reviewer = ReviewerInfo("R01", "審査 委員", "ab" * 32)
    results = _results(rubric, 100)
    font = choose_font()
    t0 = time.perf_counter()
    pdf = render_score_sheets(ctx, reviewer, results, font)
    sheets = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain = _plain(rubric, results, font.name)
    baseline = time.perf_counter() - t0
    return [
        ("sheets.100_score_sheets", sheets, "s"),
        ("sheets.per_sheet", sheets / 100 * 1000, "ms"),
        ("sheets.pages", pdf.pages, "pages"),
        ("sheets.pdf_size", len(pdf.data) / 1024, "KiB"),
        ("sheets.plain_table_document_same_data", baseline, "s"),
        ("sheets.plain_table_document_size", len(plain) / 1024, "KiB"),
        ("sheets.ratio_sheets_to_plain", sheets / baseline if baseline else 0.0, "x"),
        ("sheets.font_embedded", 1.0 if font.embedded else 0.0, "bool"),
    ]


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "sheets", bench_score_sheets
