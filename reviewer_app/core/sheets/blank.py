"""The blank score sheet: the paper fallback when a reviewer cannot use the app.

Same rubric, same rows, same order as the filled sheet, with the grades to circle, room
to write and the 観点 printed beside each item (on paper there is no app to show them).
The footer names the rubric's digest instead of a result digest: a paper sheet is not a
signed result, and the secretariat keys it in by hand.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ...i18n import tr
from ..rubric import Item, Rubric, format_points, iter_item_tree
from .fonts import FontChoice, choose_font
from .model import ProposalInfo, ReviewerInfo, SheetContext
from .parts import column_header, header_table, heading_for, item_row, perspectives_block, pts, signature_block
from .render import Footer, Section, SheetPdf, build_pdf
from .score_sheet import frame_width
from .styles import SHADE, Styles, grid_style, make_styles, para

COMMENT_BOX_HEIGHT = 30 * mm


def blank_footer(rubric: Rubric) -> Footer:
    return Footer(
        caption=tr("sheets.footer.caption_blank", rubric=rubric.title),
        lines=((tr("sheets.footer.rubric_digest"), rubric.digest),),
        qr_fields=(("kind", "blank"), ("rubric", rubric.id), ("rubric_digest", rubric.digest)),
    )


def _item_block(rubric: Rubric, item: Item, styles: Styles, width: float) -> list[Flowable]:
    scale = rubric.scale_of(item)
    choices = para("　".join(scale.codes), styles.variant("choices", styles.cell_center, fontSize=10.5, leading=14))
    parts: list[Flowable] = [item_row(rubric, item, choices, "", styles, width)]
    parts.extend(perspectives_block(item, styles))
    small = styles.variant("bl", styles.small, leftIndent=4, spaceBefore=2)
    if item.basis is not None:
        parts.append(para(tr("sheets.blank.figure_box", basis=format_points(item.basis.count), unit=item.basis.unit,
                             counts=item.basis.counts), small))
    parts.append(para(tr("sheets.blank.unjudgeable_box"), small))
    parts.append(para(tr("sheets.comment"), small))
    box = Table([[""]], colWidths=[width - 8], rowHeights=[COMMENT_BOX_HEIGHT])
    box.setStyle(grid_style(0))
    parts.extend([box, Spacer(1, 3 * mm)])
    for f in parts[:-1]:
        f.keepWithNext = True  # chains with the group headings above (KeepTogether would not)
    return parts


def _totals(rubric: Rubric, styles: Styles, width: float) -> Table:
    s, c = styles.cell, styles.cell_center
    rows: list[list[object]] = [[para(tr("sheets.totals.heading"), s), para(tr("sheets.col.max"), c),
                                 para(tr("sheets.col.points"), c)]]
    for v in rubric.viewpoints:
        rows.append([para(f"{v.label} {v.title}", s), para(pts(v.points), c), ""])
    rows.append([para(tr("sheets.totals.total"), s), para(pts(rubric.total_points), c), ""])
    if rubric.bands is not None:
        vp = rubric.viewpoint(rubric.bands.viewpoint_id)
        labels = "\n".join(f"□ {b.label}" for b in rubric.bands.bands)
        rows.append([para(tr("sheets.totals.band", viewpoint=vp.label), s), "", para(labels, styles.cell)])
    t = Table(rows, colWidths=[width - 95 * mm, 25 * mm, 70 * mm], hAlign="LEFT",
              rowHeights=[None] + [9 * mm] * (len(rows) - 1 - (rubric.bands is not None)) + [None] * (rubric.bands is not None))
    t.setStyle(grid_style(1, [("BACKGROUND", (0, len(rubric.viewpoints) + 1), (-1, -1), SHADE)]))
    return t


def render_blank_sheet(rubric: Rubric, ctx: SheetContext | None = None, reviewer: ReviewerInfo | None = None,
                       proposal: ProposalInfo | None = None, font: FontChoice | None = None) -> SheetPdf:
    """A sheet to fill in by hand; round, reviewer and proposal are printed when given."""
    font = font or choose_font()
    styles = make_styles(font.name)
    width = frame_width()
    story: list[Flowable] = [
        para(tr("sheets.title.blank"), styles.title),
        para(ctx.round_title if ctx else rubric.title, styles.subtitle),
        header_table(ctx, reviewer, proposal, rubric, styles, width),
        Spacer(1, 2 * mm),
        para(tr("sheets.blank.instructions"), styles.small),
    ]
    for depth, node in iter_item_tree(rubric):
        if isinstance(node, Item):
            story.extend(_item_block(rubric, node, styles, width))
        else:
            story.append(heading_for(node, depth, styles))
            if depth == 0:
                story.append(column_header(styles, width))
    story.append(KeepTogether([para(tr("sheets.totals.heading"), styles.heading), _totals(rubric, styles, width)]))
    story.append(signature_block(styles, width, reviewer))
    return build_pdf([Section(blank_footer(rubric), story)], title=tr("sheets.title.blank"), font=font, subject=rubric.title)
