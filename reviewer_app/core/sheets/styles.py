"""Paragraph and table styles shared by every document, so the sheets look like one family.

Japanese needs ``wordWrap='CJK'`` (break between any two characters, keeping closing
punctuation off the start of a line); without it reportlab only breaks at spaces and long
comments overflow their boxes. Every text a user or the rubric wrote goes through
:func:`para`, which escapes it and keeps line breaks, so nothing is dropped or interpreted.

:class:`SheetParagraph` is reportlab's ``Paragraph`` with three memos that change no output:
a table measures a cell and then draws it, and keep-with-next measures again, so one
paragraph is wrapped two or three times at the same width (the second wrap reuses the
first); CJK line breaking asks the font for each character's width one call at a time
(the widths of a font at a size are kept); and the same short label (a column header,
``30点``, ``b（優れている）``) is parsed as markup on every row of every sheet (a short text
is parsed once per style, and each paragraph gets its own copy of the fragments).
Profiling 100 score sheets put about half the time in these repeated computations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import dumbSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, TableStyle

GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
LIGHT = colors.Color(0.97, 0.97, 0.97)
ALERT = colors.Color(0.65, 0.0, 0.0)
MARGIN = 15 * mm
#: Space kept free at the bottom of every page for the footer and its QR code.
FOOTER_HEIGHT = 24 * mm


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    comment: ParagraphStyle
    alert: ParagraphStyle
    _variants: dict[str, ParagraphStyle] = field(default_factory=dict, compare=False, repr=False)

    def variant(self, name: str, base: ParagraphStyle, **changes: Any) -> ParagraphStyle:
        """``base.clone(name, **changes)`` made once per document, not once per row (``name`` is the key)."""
        style = self._variants.get(name)
        if style is None:
            style = self._variants[name] = base.clone(name, **changes)
        return style


def make_styles(font: str) -> Styles:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        font=font,
        title=derive("title", fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=2 * mm),
        subtitle=derive("subtitle", fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=4 * mm),
        heading=derive("heading", fontSize=11.5, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm,
                       backColor=SHADE, borderPadding=(2, 3, 2, 3), keepWithNext=1),
        subheading=derive("subheading", fontSize=10, leading=14, spaceBefore=2 * mm, spaceAfter=1 * mm, keepWithNext=1),
        body=base,
        small=derive("small", fontSize=7.5, leading=10.5),
        cell=derive("cell", fontSize=9, leading=12.5),
        cell_center=derive("cell_center", fontSize=9, leading=12.5, alignment=TA_CENTER),
        cell_right=derive("cell_right", fontSize=9, leading=12.5, alignment=TA_RIGHT),
        comment=derive("comment", fontSize=9, leading=13.5, borderWidth=0.5, borderColor=GRID,
                       borderPadding=(3, 4, 3, 4), leftIndent=4, rightIndent=4, spaceBefore=3, spaceAfter=6),
        alert=derive("alert", fontSize=9, leading=13, textColor=ALERT),
    )


def text(value: str) -> str:
    """Markup-safe text with its line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")


#: Glyph widths by (font, size): CJK wrapping measures every character of every line.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(chars: str, font: str, size: float) -> list[float]:
    known = _WIDTHS.setdefault((font, size), {})
    out = []
    for ch in chars:
        w = known.get(ch)
        if w is None:
            w = known[ch] = stringWidth(ch, font, size)
        out.append(w)
    return out


#: Texts up to this length are labels that repeat; longer ones (comments) are parsed each time.
_PARSE_MEMO_CHARS = 40
_PARSE_MEMO_LIMIT = 4096
#: (text, id(style)) → (style, cleaned text, parsed style, fragments, bullet fragments).
#: The style is kept alive by the entry, so its id cannot be reused while the entry exists.
_PARSED: dict[tuple[str, int], tuple[Any, ...]] = {}


class SheetParagraph(Paragraph):
    """``Paragraph`` with remembered wraps, glyph widths and label parses (see the module doc)."""

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None or bulletText is not None or len(text) > _PARSE_MEMO_CHARS:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style))
        memo = _PARSED.get(key)
        if memo is None or memo[0] is not style:
            super()._setup(text, style, bulletText, None, cleaner)
            if len(_PARSED) >= _PARSE_MEMO_LIMIT:
                _PARSED.clear()
            _PARSED[key] = memo = (style, self.text, self.style, self.frags, self.bulletText)
        _style, self.text, self.style, parsed, self.bulletText = memo
        self.frags = [f.clone() for f in parsed]
        self.debug = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self.__dict__.get("_sheet_wrap")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = memo
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            self._sheet_wrap = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return size

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        # reportlab's single-fragment case (``wordSplit``), with the glyph widths looked up once.
        frags = self.frags
        f = frags[0] if len(frags) == 1 else None
        if (f is None or not hasattr(f, "text") or hasattr(f, "cbDefn") or self.style.endDots or self.bulletText
                or getattr(self, "_splitpara", 0)):
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        self.height = 0
        lines = dumbSplit(f.text, _char_widths(f.text, f.fontName, f.fontSize), widths)
        return f.clone(kind=0, lines=[(sp, [line]) for sp, line in lines], ascent=f.fontSize,
                       descent=-0.2 * f.fontSize)


def para(value: str, style: ParagraphStyle) -> Paragraph:
    return SheetParagraph(text(value), style)


def grid_style(header_rows: int = 1, extra: list[tuple[object, ...]] | None = None) -> TableStyle:
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    cmds.extend(extra or [])
    return TableStyle(cmds)
