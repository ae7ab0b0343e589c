"""Building blocks the score sheet and the blank sheet share, so paper and PDF match.

The blank sheet is the paper fallback: it must have the same rows in the same order as a
filled sheet, so a secretariat can key a handwritten sheet in without hunting for items.
Both therefore walk the rubric with :func:`iter_item_tree` and use these helpers.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from ...i18n import tr
from ..rubric import Group, Item, Rubric, Viewpoint, format_points
from .model import ProposalInfo, ReviewerInfo, SheetContext
from .styles import SHADE, Styles, grid_style, para

#: Column widths of an item row (the title column takes what is left of the frame).
LABEL_W, POINTS_W, GRADE_W, AWARD_W = 20 * mm, 15 * mm, 38 * mm, 17 * mm


def pts(value: Decimal | None) -> str:
    return "—" if value is None else tr("sheets.points", points=format_points(value))


def mark_text(rubric: Rubric, item: Item, code: str | None) -> str:
    """A grade as the criteria write it: ``b（優れている）``; a level as its number."""
    if code is None:
        return tr("sheets.not_graded")
    scale = rubric.scale_of(item)
    mark = scale.mark(code)
    if scale.kind == "level" or mark is None or mark.label == code:
        return code
    return f"{code}（{mark.label.rstrip('。.')}）"


def header_table(ctx: SheetContext | None, reviewer: ReviewerInfo | None, proposal: ProposalInfo | None,
                 rubric: Rubric, styles: Styles, width: float) -> Table:
    """Who, what and which round; empty cells stay tall enough to write in by hand."""
    s = styles.cell

    def v(value: str) -> object:
        # An empty cell keeps room for handwriting on the paper sheet.
        return para(value, s) if value else Spacer(1, 6 * mm)

    round_text = f"{ctx.round_title}（{ctx.round_id}）" if ctx and ctx.round_id else (ctx.round_title if ctx else "")
    where = "・".join(x for x in (proposal.institution_type, proposal.region) if x) if proposal else ""
    reviewer_text = ""
    if reviewer:
        reviewer_text = f"{reviewer.name}（{reviewer.reviewer_id}）" if reviewer.name else reviewer.reviewer_id
    lw = 27 * mm
    rows = [
        [para(tr("sheets.field.round"), s), v(round_text), para(tr("sheets.field.proposal"), s),
         v(proposal.proposal_id if proposal else "")],
        [para(tr("sheets.field.institution"), s), v(proposal.institution if proposal else ""),
         para(tr("sheets.field.type_region"), s), v(where)],
        [para(tr("sheets.field.proposal_title"), s), v(proposal.title if proposal else ""), "", ""],
        [para(tr("sheets.field.reviewer"), s), v(reviewer_text), para(tr("sheets.field.rubric"), s),
         v(f"{rubric.title}（{rubric.issued}）" if rubric.issued else rubric.title)],
    ]
    half = (width - 2 * lw) / 2
    t = Table(rows, colWidths=[lw, half, lw, half], hAlign="LEFT")
    t.setStyle(grid_style(0, [
        ("SPAN", (1, 2), (3, 2)),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, 1), SHADE),
        ("BACKGROUND", (2, 3), (2, 3), SHADE),
    ]))
    return t


def column_header(styles: Styles, width: float) -> Table:
    s = styles.cell_center
    t = Table([[para(tr("sheets.col.item"), s), "", para(tr("sheets.col.max"), s), para(tr("sheets.col.grade"), s),
                para(tr("sheets.col.points"), s)]], colWidths=item_widths(width))
    t.setStyle(grid_style(1, [("SPAN", (0, 0), (1, 0))]))
    return t


def item_widths(width: float) -> list[float]:
    return [LABEL_W, width - LABEL_W - POINTS_W - GRADE_W - AWARD_W, POINTS_W, GRADE_W, AWARD_W]


def item_row(rubric: Rubric, item: Item, grade: object, awarded: object, styles: Styles, width: float) -> Table:
    t = Table([[para(rubric.display_label(item), styles.cell_center), para(item.title, styles.cell),
                para(pts(item.points), styles.cell_center), grade, awarded]], colWidths=item_widths(width))
    t.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, 0), SHADE)]))
    return t


def heading_for(node: Viewpoint | Group, depth: int, styles: Styles) -> Flowable:
    text = f"{node.label} {node.title}（{pts(node.points)}）"
    if isinstance(node, Viewpoint):
        return para(text, styles.heading)
    style = styles.variant(f"sub{depth}", styles.subheading, leftIndent=(depth - 1) * 4 * mm)
    p = para(text, style)
    p.keepWithNext = True
    return p


def perspectives_block(item: Item, styles: Styles) -> list[Flowable]:
    """The 観点 and notes, verbatim, in small type (the paper reviewer has no app beside them)."""
    out: list[Flowable] = []
    style = styles.variant("persp", styles.small, leftIndent=6 * mm, firstLineIndent=-4 * mm)
    for p in item.perspectives:
        out.append(para(f"{p.label} {p.text}", style))
    for n in item.notes:
        out.append(para(n, style))
    return out


def signature_block(styles: Styles, width: float, reviewer: ReviewerInfo | None) -> Flowable:
    s = styles.cell
    name = reviewer.name if reviewer and reviewer.name else ""
    # Year, month and day as cells: paragraphs collapse the spaces a date line is written in.
    date = Table([["", para(tr("sheets.signature.year"), s), "", para(tr("sheets.signature.month"), s),
                   "", para(tr("sheets.signature.day"), s)]],
                 colWidths=[10 * mm, 5 * mm, 7 * mm, 5 * mm, 7 * mm, 5 * mm])
    date.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    rows = [[para(tr("sheets.signature.date"), s), date, para(tr("sheets.signature.name"), s), para(name, s) if name else "",
             para(tr("sheets.signature.sign"), s), ""]]
    lw = 22 * mm
    rest = width - 3 * lw
    t = Table(rows, colWidths=[lw, rest * 0.36, lw, rest * 0.32, lw, rest * 0.32], rowHeights=[12 * mm])
    t.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, 0), SHADE), ("BACKGROUND", (2, 0), (2, 0), SHADE),
                              ("BACKGROUND", (4, 0), (4, 0), SHADE)]))
    return KeepTogether([Spacer(1, 5 * mm), para(tr("sheets.signature.statement"), styles.body), Spacer(1, 2 * mm), t])


def band_label(rubric: Rubric, band_id: str | None) -> str:
    if band_id is None or rubric.bands is None:
        return "—"
    for b in rubric.bands.bands:
        if b.id == band_id:
            return b.label
    return band_id


def info_table(pairs: list[tuple[str, str]], styles: Styles, width: float) -> Table:
    """Label/value pairs two per row (summary and panel headers)."""
    s = styles.cell
    cells = [[para(k, s), para(v, s)] for k, v in pairs]
    if len(cells) % 2:
        cells.append(["", ""])
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    lw = 27 * mm
    half = (width - 2 * lw) / 2
    t = Table(rows, colWidths=[lw, half, lw, half], hAlign="LEFT")
    t.setStyle(grid_style(0, [("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE)]))
    return t


def round_text(ctx: SheetContext) -> str:
    return f"{ctx.round_title}（{ctx.round_id}）" if ctx.round_id else ctx.round_title


def rubric_text(rubric: Rubric) -> str:
    return f"{rubric.title}（{rubric.issued}）" if rubric.issued else rubric.title
