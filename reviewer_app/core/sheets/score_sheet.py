"""The reviewer's score sheet (審査票): one proposal, every 審査項目, provably the signed result.

Totals and the band come from :func:`score_proposal` on the same entries the signed bundle
holds, never from numbers passed in, so the paper cannot disagree with the result. Every
comment is printed in full; long ones flow onto the following pages inside their box.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ...i18n import tr
from ..rubric import Item, Rubric, format_points, iter_item_tree
from ..scoring import Entry, ItemResult, ProposalResult
from .fonts import FontChoice, choose_font
from .model import ReviewerInfo, ReviewerResult, SheetContext, check_token
from .parts import (
    band_label,
    column_header,
    header_table,
    heading_for,
    item_row,
    mark_text,
    pts,
    signature_block,
)
from .render import Footer, Section, SheetPdf, build_pdf, page_size
from .styles import MARGIN, SHADE, Styles, grid_style, make_styles, para

#: Comments longer than this (characters) are not kept on one page with their item row.
LONG_COMMENT = 600


def frame_width(wide: bool = False) -> float:
    return page_size(wide)[0] - 2 * MARGIN


def score_footer(ctx: SheetContext, reviewer: ReviewerInfo, result: ReviewerResult) -> Footer:
    key = check_token(reviewer.key_fingerprint, "key_fingerprint") or "—"
    if result.draft:
        # A draft must not carry a digest it does not match, on paper or in the QR code.
        shown, digest, extra = tr("sheets.footer.draft"), "", (("draft", "1"),)
    else:
        shown = digest = check_token(result.result_digest, "result_digest") or "—"
        extra = ()
    return Footer(
        caption=tr("sheets.footer.caption_score", round=ctx.round_id or ctx.round_title,
                   proposal=result.proposal.proposal_id, reviewer=reviewer.reviewer_id),
        lines=((tr("sheets.footer.digest"), shown), (tr("sheets.footer.key"), key)),
        qr_fields=(("kind", "score"), ("round", ctx.round_id), ("proposal", result.proposal.proposal_id),
                   ("reviewer", reviewer.reviewer_id), ("digest", digest), *extra, ("key", key)),
    )


def _figure_line(item: Item, entry: Entry | None, ir: ItemResult) -> str | None:
    if entry is None or entry.figure is None or item.basis is None or ir.ratio is None:
        return None
    ratio = ir.ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return tr("sheets.figure", figure=format_points(entry.figure), basis=format_points(item.basis.count),
              unit=item.basis.unit, counts=item.basis.counts, ratio=str(ratio), suggested=ir.suggested_mark or "—")


def _item_block(rubric: Rubric, item: Item, entry: Entry | None, ir: ItemResult, styles: Styles, width: float) -> list[Flowable]:
    grade_text = mark_text(rubric, item, ir.mark)
    grade: list[Flowable] = [para(grade_text, styles.cell_center)]
    if ir.unjudgeable:
        grade.append(para(tr("sheets.unjudgeable"), styles.variant("uj", styles.alert, alignment=1, fontSize=8.5)))
    head: list[Flowable] = [item_row(rubric, item, grade, para(pts(ir.points), styles.cell_center), styles, width)]
    figure = _figure_line(item, entry, ir)
    if figure:
        head.append(para(figure, styles.variant("fig", styles.small, leftIndent=4, spaceBefore=2)))
    if ir.unjudgeable:
        reason = entry.unjudgeable_reason if entry else ""
        head.append(para(tr("sheets.unjudgeable_reason", reason=reason or "—"),
                         styles.variant("ujr", styles.alert, leftIndent=4, spaceBefore=2)))
    head.append(para(tr("sheets.comment"), styles.variant("cl", styles.small, leftIndent=4, spaceBefore=3)))
    comment = entry.comment if entry and entry.comment.strip() else ""
    body = para(comment, styles.comment) if comment else para(tr("sheets.no_comment"), styles.comment)
    # The item row stays on one page with the start of its comment (keepWithNext chains;
    # KeepTogether would not chain with the group headings above it). A long comment is not
    # kept whole with its row: that would only push it all over and leave a half-empty page.
    for f in head[:-1]:
        f.keepWithNext = True
    head[-1].keepWithNext = len(comment) <= LONG_COMMENT
    return [*head, body]


def totals_table(rubric: Rubric, scored: ProposalResult, styles: Styles, width: float) -> Table:
    s, c = styles.cell, styles.cell_center
    rows: list[list[object]] = [[para(tr("sheets.totals.heading"), s), para(tr("sheets.col.max"), c),
                                 para(tr("sheets.col.points"), c)]]
    for v in rubric.viewpoints:
        rows.append([para(f"{v.label} {v.title}", s), para(pts(v.points), c), para(pts(scored.viewpoint_totals[v.id]), c)])
    rows.append([para(tr("sheets.totals.total"), s), para(pts(rubric.total_points), c), para(pts(scored.total), c)])
    if rubric.bands is not None:
        vp = rubric.viewpoint(rubric.bands.viewpoint_id)
        rows.append([para(tr("sheets.totals.band", viewpoint=vp.label), s), "", para(band_label(rubric, scored.band_id), c)])
    t = Table(rows, colWidths=[width - 60 * mm, 25 * mm, 35 * mm], hAlign="LEFT")
    extra = [("BACKGROUND", (0, len(rubric.viewpoints) + 1), (-1, -1), SHADE)]
    t.setStyle(grid_style(1, extra))
    return t


def score_sheet_section(ctx: SheetContext, reviewer: ReviewerInfo, result: ReviewerResult, styles: Styles) -> Section:
    rubric = ctx.rubric
    width = frame_width()
    scored = result.score(rubric)
    story: list[Flowable] = [
        para(tr("sheets.title.score"), styles.title),
        para(ctx.round_title, styles.subtitle),
        header_table(ctx, reviewer, result.proposal, rubric, styles, width),
        Spacer(1, 3 * mm),
    ]
    if result.conflict_of_interest:
        story.append(para(tr("sheets.coi", reason=result.coi_reason or "—"), styles.alert))
    if not (result.conflict_of_interest and not result.entries):
        for depth, node in iter_item_tree(rubric):
            if isinstance(node, Item):
                story.extend(_item_block(rubric, node, result.entry(node.id), scored.item(node.id), styles, width))
            else:
                story.append(heading_for(node, depth, styles))
                if depth == 0:
                    story.append(column_header(styles, width))
        missing = sum(1 for i in scored.items if i.mark is None)
        block: list[Flowable] = [para(tr("sheets.totals.heading"), styles.heading), totals_table(rubric, scored, styles, width)]
        if missing:
            block.append(para(tr("sheets.totals.incomplete", count=missing), styles.alert))
        story.append(KeepTogether(block))
    story.append(signature_block(styles, width, reviewer))
    return Section(score_footer(ctx, reviewer, result), story)


def render_score_sheets(ctx: SheetContext, reviewer: ReviewerInfo, results: Sequence[ReviewerResult],
                        font: FontChoice | None = None) -> SheetPdf:
    """One PDF holding each proposal's sheet; each sheet numbers its own pages and has its own footer."""
    from ..errors import SheetError

    if not results:
        raise SheetError("sheets.no_results")
    font = font or choose_font()
    styles = make_styles(font.name)
    sections = [score_sheet_section(ctx, reviewer, r, styles) for r in results]
    title = tr("sheets.title.score") if len(results) > 1 else f"{tr('sheets.title.score')} {results[0].proposal.proposal_id}"
    return build_pdf(sections, title=title, font=font, subject=ctx.round_title)
