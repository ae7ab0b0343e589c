"""Laying out a demo 構想調書 as an A4 PDF that looks like the real form.

Mincho body text, Gothic headings in shaded bars, ruled tables, 「（様式1）」 and the
university's name in the running head, 「- n -」 page numbers: what a reviewer is used to
reading. Fonts come from the sheets' font machinery (``core.sheets.fonts``), so the demo
embeds the same Japanese TrueType the score sheets do; a Mincho of the same family is used
for the body when one is installed. Output is byte-identical for the same content
(reportlab's invariant mode), which keeps the cached demo bundle reproducible.
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ...core.sheets.fonts import choose_font, font_dirs, shipped_font_dirs
from . import document as d
from .institutions import Institution
from .prose_plan import summary

FORM_TITLE = "国際化拠点整備事業 構想調書"
DISCLAIMER = "※ 本書はデモ用に自動生成した架空の構想調書です。実在の大学・団体・人物とは関係ありません。"
MINCHO_FILES = ("ipaexm.ttf", "ipam.ttf")
GRID = colors.Color(0.3, 0.3, 0.3)
SHADE = colors.Color(0.88, 0.88, 0.88)
LIGHT = colors.Color(0.95, 0.95, 0.95)
MARGIN_X = 20 * mm
MARGIN_Y = 20 * mm


@cache
def _fonts() -> tuple[str, str]:
    """(gothic, mincho) reportlab font names; the Mincho falls back to the Gothic."""
    gothic = choose_font().name
    for folder in (*shipped_font_dirs(), *font_dirs()):
        for name in MINCHO_FILES:
            for path in (folder / name, *folder.glob(f"**/{name}")) if folder.is_dir() else ():
                if not path.is_file():
                    continue
                try:
                    font = TTFont("ReviewerAppDemoMincho", str(path))
                except (TTFError, OSError, ValueError):
                    continue
                pdfmetrics.registerFont(font)
                return gothic, font.fontName
    return gothic, gothic


class _Styles:
    def __init__(self) -> None:
        gothic, mincho = _fonts()
        self.gothic, self.mincho = gothic, mincho
        body = ParagraphStyle("body", fontName=mincho, fontSize=10, leading=17, wordWrap="CJK",
                              firstLineIndent=10, spaceAfter=1.5 * mm)
        self.body = body
        self.h1 = ParagraphStyle("h1", fontName=gothic, fontSize=12.5, leading=18, wordWrap="CJK", backColor=SHADE,
                                 borderPadding=(3, 4, 3, 4), spaceBefore=5 * mm, spaceAfter=3 * mm, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", fontName=gothic, fontSize=11, leading=16, wordWrap="CJK",
                                 spaceBefore=3.5 * mm, spaceAfter=1.5 * mm, keepWithNext=1)
        self.h3 = ParagraphStyle("h3", fontName=gothic, fontSize=10, leading=15, wordWrap="CJK", leftIndent=3 * mm,
                                 spaceBefore=2 * mm, spaceAfter=1 * mm, keepWithNext=1)
        self.cell = ParagraphStyle("cell", fontName=mincho, fontSize=8.8, leading=12, wordWrap="CJK")
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=gothic, alignment=TA_CENTER)
        self.cell_num = ParagraphStyle("cell_num", parent=self.cell, alignment=TA_RIGHT)
        self.caption = ParagraphStyle("caption", fontName=gothic, fontSize=9, leading=13, spaceBefore=1 * mm,
                                      spaceAfter=1 * mm, keepWithNext=1)
        self.note = ParagraphStyle("note", fontName=mincho, fontSize=8.5, leading=12, wordWrap="CJK",
                                   spaceBefore=1 * mm, spaceAfter=2 * mm)
        self.title = ParagraphStyle("title", fontName=gothic, fontSize=17, leading=26, alignment=TA_CENTER)
        self.subtitle = ParagraphStyle("subtitle", fontName=gothic, fontSize=11, leading=16, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


class _OutlinedDoc(SimpleDocTemplate):
    """Adds a PDF bookmark for every heading, so a viewer's outline lists the sections."""

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "outline_entry", None)
        if entry is None:
            return
        text, level = entry
        key = f"s{self.seq.nextf('outline')}"
        # An /XYZ destination at the heading (viewers, and QtPdf's bookmark model, read a
        # location from it; /Fit has none). The frame's cursor is just below the flowable.
        top = self.frame._y + getattr(flowable, "height", 0) + 6
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top, zoom=None)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    para = _p(text, style)
    para.outline_entry = (text, level)  # type: ignore[attr-defined]
    return para


def render_proposal(inst: Institution, blocks: list[d.Block]) -> bytes:
    """The whole 構想調書: the cover, then every block in order."""
    st = _Styles()
    width = A4[0] - 2 * MARGIN_X
    story: list[Flowable] = [*_cover(inst, st, width)]
    for block in blocks:
        story.extend(_flow(block, st, width))
    buf = io.BytesIO()
    doc = _OutlinedDoc(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_Y + 4 * mm,
                            bottomMargin=MARGIN_Y, title=f"{FORM_TITLE}（{inst.name}）", author=inst.name,
                            subject="demo", creator="reviewer-app demo", invariant=1)

    def decorate(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        top = A4[1] - MARGIN_Y + 2 * mm
        canvas.setFont(st.gothic, 8.5)
        canvas.drawString(MARGIN_X, top, "（様式1）")
        canvas.drawRightString(A4[0] - MARGIN_X, top, f"{inst.name}　{FORM_TITLE}")
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, top - 2 * mm, A4[0] - MARGIN_X, top - 2 * mm)
        canvas.setFont(st.mincho, 9)
        canvas.drawCentredString(A4[0] / 2, MARGIN_Y / 2, f"- {canvas.getPageNumber()} -")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def _cover(inst: Institution, st: _Styles, width: float) -> list[Flowable]:
    number = Table([[_p("整理番号", st.cell_head), _p(inst.proposal_id, st.cell_head)]], colWidths=(22 * mm, 22 * mm),
                   hAlign="RIGHT", style=_grid(header_col=True))
    rows = [
        ("大学名", inst.name),
        ("設置者の区分", f"{inst.kind}大学"),
        ("所在地域", inst.region),
        ("学長名", inst.president),
        ("構想の名称", inst.title),
        ("事業責任者", inst.leader),
        ("全学的な推進組織", inst.hq),
        ("構想の概要", summary(inst)),
        ("受入重点国", "、".join(inst.priority_countries)),
        ("海外大学共同利用事務所", "、".join(f"{o.city}（{o.country}）" for o in inst.offices)),
        ("英語コース", f"{len(inst.courses)}コース（平成32年度末までに累計{inst.plan.english_courses[2]}コース）"),
    ]
    table = Table([[_p(k, st.cell_head), _p(v, st.cell)] for k, v in rows], colWidths=(38 * mm, width - 38 * mm),
                  style=_grid(header_col=True, padding=5))
    return [
        _bookmark("表紙"), number, Spacer(1, 8 * mm),
        _p("平成21年度", st.subtitle), Spacer(1, 2 * mm),
        _p(FORM_TITLE, st.title), Spacer(1, 1 * mm),
        _p("（国際化拠点の形成に関する構想）", st.subtitle), Spacer(1, 10 * mm),
        table, Spacer(1, 10 * mm),
        _p(DISCLAIMER, st.note),
    ]


def _bookmark(text: str) -> Flowable:
    mark = Spacer(0, 0)
    mark.outline_entry = (text, 0)  # type: ignore[attr-defined]
    return mark


def _flow(block: d.Block, st: _Styles, width: float) -> list[Flowable]:
    if isinstance(block, d.NewPage):
        return [PageBreak()]
    if isinstance(block, d.Heading):
        style = {1: st.h1, 2: st.h2, 3: st.h3}[block.level]
        return [_heading(block.text, style, block.level - 1)]
    if isinstance(block, d.Para):
        return [_p(block.text, st.body)]
    if isinstance(block, d.Note):
        return [_p(block.text, st.note)]
    return _table(block, st, width)


def _table(t: d.Table, st: _Styles, width: float) -> list[Flowable]:
    scale = width / sum(t.widths)
    head = [_p(h, st.cell_head) for h in t.header]
    body = [[_p(v, st.cell_num if i in t.numeric else st.cell) for i, v in enumerate(row)] for row in t.rows]
    extra: list[tuple[object, ...]] = []
    if t.total_row:
        extra += [("BACKGROUND", (0, -1), (-1, -1), LIGHT), ("LINEABOVE", (0, -1), (-1, -1), 1.0, GRID)]
    table = Table([head, *body], colWidths=[w * scale for w in t.widths], repeatRows=1, style=_grid(extra=extra))
    out: list[Flowable] = []
    if t.caption:
        out.append(_p(t.caption, st.caption))
    out += [table, Spacer(1, 2 * mm)]
    return out


def _grid(*, header_col: bool = False, padding: float = 3, extra: list[tuple[object, ...]] | None = None) -> TableStyle:
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (0, -1) if header_col else (-1, 0), SHADE),
    ]
    return TableStyle(cmds + (extra or []))
