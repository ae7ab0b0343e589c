"""Paragraph and table styles shared by every document, so the sheets look like one family.

Japanese needs ``wordWrap='CJK'`` (break between any two characters, keeping closing
punctuation off the start of a line); without it reportlab only breaks at spaces and long
comments overflow their boxes. Every text a user or the rubric wrote goes through
:func:`para`, which escapes it and keeps line breaks, so nothing is dropped or interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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


def para(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


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
