"""Turning flowables into PDF bytes: A4 pages, a footer on every page, byte-identical output.

A document is a list of :class:`Section` s (one per score sheet, or one for a summary).
Each carries its own footer — the digest, the key fingerprint, a QR code of both — and
numbers its pages ``x / y`` within itself, so a stack of printed sheets can be separated
and each sheet still proves which signed result it shows. Totals per section are only
known at the end, so pages are kept and their footers drawn when the canvas is saved.

Output is deterministic: reportlab's ``invariant`` mode fixes dates and the document id,
and nothing else here reads the clock or a random source.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from ...i18n import tr
from .fonts import FontChoice, SheetWarning
from .qr import define_qr_form
from .styles import FOOTER_HEIGHT, GRID, MARGIN

QR_SIZE = 21 * mm
QR_SCHEME = "reviewer-app:sheet"
QR_VERSION = "1"


@dataclass(frozen=True)
class Footer:
    """What every page of a section repeats at its foot."""

    caption: str
    #: (label, value) lines, e.g. the digest and the key fingerprint, printed in full.
    lines: tuple[tuple[str, str], ...] = ()
    #: Fields carried by the QR code (None: no QR code, e.g. on a blank sheet without data).
    qr_fields: tuple[tuple[str, str], ...] | None = None


def qr_payload(fields: Sequence[tuple[str, str]]) -> str:
    """The QR code's text: ``reviewer-app:sheet?v=1&kind=…&digest=…&key=…`` (ASCII, percent-encoded)."""
    return f"{QR_SCHEME}?" + urlencode([("v", QR_VERSION), *fields])


@dataclass(frozen=True)
class SheetPdf:
    """A produced document: its bytes, how many pages, and what the caller should tell the user."""

    data: bytes
    pages: int
    font: FontChoice

    @property
    def warnings(self) -> tuple[SheetWarning, ...]:
        return self.font.warnings


@dataclass
class Section:
    footer: Footer
    flowables: list[Flowable] = field(default_factory=list)


class _SectionMark(Flowable):
    """Zero-size marker: pages from here on belong to ``footer``'s section."""

    def __init__(self, footer: Footer) -> None:
        super().__init__()
        self.footer = footer
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._sheet_section = self.footer  # type: ignore[attr-defined]


def _make_canvas_class(font: str, pagesize: tuple[float, float], counted: list[int]) -> type[Canvas]:
    class SheetCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._sheet_pages: list[dict[str, Any]] = []
            self._sheet_section: Footer | None = None

        def showPage(self) -> None:
            self._sheet_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            sections = [p["_sheet_section"] for p in self._sheet_pages]
            numbers: list[tuple[int, int]] = []
            start = 0
            for i in range(1, len(sections) + 1):
                if i == len(sections) or sections[i] is not sections[start]:
                    numbers.extend((k - start + 1, i - start) for k in range(start, i))
                    start = i
            qr = _QrState()
            for state, (page, total) in zip(self._sheet_pages, numbers):
                self.__dict__.update(state)
                self._sheet_qr = qr
                if self._sheet_section is not None:
                    _draw_footer(self, self._sheet_section, page, total, font, pagesize)
                Canvas.showPage(self)
            counted.append(len(self._sheet_pages))
            Canvas.save(self)

    return SheetCanvas


@dataclass
class _QrState:
    """The QR forms defined so far in one document (by footer), and the mask they share."""

    forms: dict[int, str] = field(default_factory=dict)
    mask: int | None = None


def _draw_footer(c: Canvas, footer: Footer, page: int, total: int, font: str, pagesize: tuple[float, float]) -> None:
    width, _height = pagesize
    top = MARGIN + FOOTER_HEIGHT - 3 * mm
    c.saveState()
    c.setStrokeColor(GRID)
    c.setLineWidth(0.5)
    c.line(MARGIN, top, width - MARGIN, top)
    qr_left = width - MARGIN - QR_SIZE
    if footer.qr_fields is not None:
        qr: _QrState = c._sheet_qr  # type: ignore[attr-defined]
        name = qr.forms.get(id(footer))
        if name is None:
            name = qr.forms[id(footer)] = f"sheetqr{len(qr.forms)}"
            qr.mask = define_qr_form(c, name, qr_payload(footer.qr_fields), QR_SIZE, qr.mask)
        c.saveState()
        c.translate(qr_left, MARGIN - 1 * mm)
        c.doForm(name)
        c.restoreState()
    text_right = qr_left - 4 * mm
    c.setFont(font, 9)
    c.drawRightString(text_right, top - 4.5 * mm, tr("sheets.footer.page", page=page, total=total))
    c.setFont(font, 7.5)
    c.drawString(MARGIN, top - 4.5 * mm, footer.caption)
    y = top - 9 * mm
    for label, value in footer.lines:
        c.setFont(font, 6.8)
        c.drawString(MARGIN, y, f"{label}：{value}")
        y -= 3.6 * mm
    c.restoreState()


def page_size(wide: bool = False) -> tuple[float, float]:
    return landscape(A4) if wide else A4


def build_pdf(sections: Sequence[Section], *, title: str, font: FontChoice, wide: bool = False,
              subject: str = "") -> SheetPdf:
    """Lay out the sections (each starting on a new page) and return the PDF bytes."""
    size = page_size(wide)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT, title=title, author="", subject=subject,
        creator="reviewer-app", invariant=1, pageCompression=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])
    story: list[Flowable] = []
    for n, section in enumerate(sections):
        if n:
            story.append(PageBreak())
        story.append(_SectionMark(section.footer))
        story.extend(section.flowables)
    counted: list[int] = []
    doc.build(story, canvasmaker=_make_canvas_class(font.name, size, counted))
    return SheetPdf(buf.getvalue(), counted[-1] if counted else 0, font)
