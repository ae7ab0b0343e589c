"""100 score sheets, beside plain reportlab table documents made in the same run.

Two baselines, both in the same font with the same CJK wrapping:

- ``plain_same_text``: every text the sheets print (header fields, headings, item rows, the
  figure lines, comments, totals, signature labels, the footer lines) as paragraphs in one
  plain two-column table per proposal. The difference to the sheets is what the layout
  costs: item tables, keep-with-next, footers and QR codes. Goal (issue 11): at most 2×.
- ``plain_items``: only item title, mark and comment per row (the baseline of the first
  measurement), kept so figures stay comparable across runs.

Documents are timed alternately, best of three each, so a burst of load on a shared
machine does not land on one side only; ratios are also given in CPU time, which other
processes disturb far less than wall time.
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
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table

from reviewer_app.core.scoring import Entry
from reviewer_app.core.sheets import ProposalInfo, ReviewerInfo, ReviewerResult, SheetContext, choose_font, render_score_sheets
from reviewer_app.core.sheets.score_sheet import score_sheet_section
from reviewer_app.core.sheets.styles import make_styles
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


def _texts(items: object) -> list[str]:
    """Every paragraph text (markup) in a story, tables and keep-together groups included."""
    out: list[str] = []
    if isinstance(items, Paragraph):
        out.append(items.text)
    elif isinstance(items, Table):
        for row in items._cellvalues:
            for cell in row:
                out.extend(_texts(cell))
    elif isinstance(items, (list, tuple)):
        for x in items:
            out.extend(_texts(x))
    elif isinstance(items, Flowable) and hasattr(items, "_content"):  # KeepTogether and friends
        out.extend(_texts(items._content))
    elif isinstance(items, str) and items:
        out.append(items)
    return out


def _same_text_story(ctx: SheetContext, reviewer: ReviewerInfo, results: list[ReviewerResult], font: str) -> list[list[str]]:
    styles = make_styles(font)
    docs = []
    for r in results:
        section = score_sheet_section(ctx, reviewer, r, styles)
        footer = [section.footer.caption, *(f"{label}：{value}" for label, value in section.footer.lines)]
        docs.append(_texts(section.flowables) + footer)
    return docs


def _plain_same_text(docs: list[list[str]], font: str) -> bytes:
    style = ParagraphStyle("p", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    story: list[Flowable] = []
    for texts in docs:
        cells = [Paragraph(t, style) for t in texts] + ([""] if len(texts) % 2 else [])
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        story += [Table(rows, colWidths=[170, 340]), PageBreak()]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


def bench_score_sheets() -> list[tuple[str, float, str]]:
    rubric = load_shipped_rubric()
    ctx = SheetContext("ベンチマーク", "BENCH", rubric)
    reviewer = ReviewerInfo("R01", "審査 委員", "ab" * 32)
    results = _results(rubric, 100)
    font = choose_font()
    texts = _same_text_story(ctx, reviewer, results, font.name)
    jobs = {
        "sheets": lambda: render_score_sheets(ctx, reviewer, results, font).data,
        "plain_same_text": lambda: _plain_same_text(texts, font.name),
        "plain_items": lambda: _plain(rubric, results, font.name),
    }
    wall = dict.fromkeys(jobs, float("inf"))
    cpu = dict.fromkeys(jobs, float("inf"))
    size = {}
    for _ in range(3):
        for name, job in jobs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            size[name] = len(job())
            wall[name] = min(wall[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], time.process_time() - c0)
    pages = render_score_sheets(ctx, reviewer, results[:1], font).pages
    rows = [
        ("sheets.100_score_sheets", wall["sheets"], "s"),
        ("sheets.per_sheet", wall["sheets"] / 100 * 1000, "ms"),
        ("sheets.pages_per_sheet", pages, "pages"),
        ("sheets.pdf_size", size["sheets"] / 1024, "KiB"),
        ("sheets.100_score_sheets.cpu", cpu["sheets"], "s"),
    ]
    for base in ("plain_same_text", "plain_items"):
        rows += [
            (f"sheets.{base}", wall[base], "s"),
            (f"sheets.{base}.size", size[base] / 1024, "KiB"),
            (f"sheets.{base}.cpu", cpu[base], "s"),
            (f"sheets.ratio_to_{base}", wall["sheets"] / wall[base], "x"),
            (f"sheets.ratio_to_{base}.cpu", cpu["sheets"] / cpu[base], "x"),
        ]
    rows.append(("sheets.font_embedded", 1.0 if font.embedded else 0.0, "bool"))
    return rows


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "sheets", bench_score_sheets
