"""The reviewer's summary: every assigned proposal with its totals and band, conflicts of
interest, and the 視点2 distribution against the round's targets — the page a reviewer signs
to say "these are all my results".

Its footer prints a digest over all the result digests it lists (see
:func:`combined_digest`), so the one page can be matched to the set of signed results.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from ...i18n import tr
from ..distribution import distribution
from ..errors import SheetError
from ..rubric import Rubric
from .fonts import FontChoice, choose_font
from .model import ReviewerInfo, ReviewerResult, SheetContext, check_token, combined_digest
from .parts import band_label, info_table, pts, round_text, rubric_text, signature_block
from .render import Footer, Section, SheetPdf, build_pdf
from .score_sheet import frame_width
from .styles import ALERT, Styles, grid_style, make_styles, para


def percent(share: Decimal | None) -> str:
    if share is None:
        return tr("sheets.summary.no_target")
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}%"


def summary_footer(ctx: SheetContext, reviewer: ReviewerInfo, results: Sequence[ReviewerResult],
                   file_digest: str = "") -> Footer:
    """``file_digest``: the one result bundle all ``results`` came from, when there is one (the workspace)."""
    key = check_token(reviewer.key_fingerprint, "key_fingerprint") or "—"
    caption = tr("sheets.footer.caption_summary", round=ctx.round_id or ctx.round_title, reviewer=reviewer.reviewer_id)
    head = (("kind", "summary"), ("round", ctx.round_id), ("reviewer", reviewer.reviewer_id),
            ("results", str(len(results))))
    if any(r.draft for r in results):
        # A digest over partly unsigned entries would look like proof of something never sent.
        return Footer(caption, ((tr("sheets.footer.digest"), tr("sheets.footer.draft")), (tr("sheets.footer.key"), key)),
                      (*head, ("digest", ""), ("draft", "1"), ("key", key)))
    digests = [(r.proposal.proposal_id, check_token(r.result_digest, "result_digest")) for r in results]
    combined = combined_digest(digests)
    lines = [(tr("sheets.footer.results_digest", count=len(results)), combined)]
    fields = [*head, ("digest", combined)]
    file_digest = check_token(file_digest, "file_digest")
    if file_digest:
        lines.append((tr("sheets.footer.file_digest"), file_digest))
        fields.append(("file", file_digest))
    return Footer(caption, (*lines, (tr("sheets.footer.key"), key)), (*fields, ("key", key)))


def _results_table(rubric: Rubric, results: Sequence[ReviewerResult], styles: Styles,
                   width: float) -> tuple[Table, list[Decimal]]:
    c, s = styles.cell_center, styles.cell
    vps = rubric.viewpoints
    head = [tr("sheets.summary.no"), tr("sheets.field.proposal"), tr("sheets.field.institution"),
            *(v.label for v in vps), tr("sheets.totals.total")]
    if rubric.bands is not None:
        head.append(tr("sheets.totals.band", viewpoint=rubric.viewpoint(rubric.bands.viewpoint_id).label))
    head += [tr("sheets.summary.unjudgeable_count"), tr("sheets.summary.status")]
    rows: list[list[object]] = [[para(h, c) for h in head]]
    banded: list[Decimal] = []
    alerts: list[tuple[object, ...]] = []
    for n, r in enumerate(results, 1):
        where = "・".join(x for x in (r.proposal.institution_type, r.proposal.region) if x)
        inst = r.proposal.institution + (f"（{where}）" if where else "")
        row: list[object] = [para(str(n), c), para(r.proposal.proposal_id, c), para(inst, s)]
        if r.conflict_of_interest:
            row += [para("—", c) for _ in vps] + [para("—", c)]
            if rubric.bands is not None:
                row.append(para("—", c))
            row += [para("—", c), para(tr("sheets.summary.coi"), c)]
            alerts.append(("TEXTCOLOR", (len(row) - 1, n), (len(row) - 1, n), ALERT))
        else:
            scored = r.score(rubric)
            row += [para(pts(scored.viewpoint_totals[v.id]), c) for v in vps] + [para(pts(scored.total), c)]
            if rubric.bands is not None:
                row.append(para(band_label(rubric, scored.band_id), c))
            row.append(para(str(sum(1 for i in scored.items if i.unjudgeable)), c))
            missing = sum(1 for i in scored.items if i.mark is None)
            row.append(para(tr("sheets.summary.complete") if scored.complete
                            else tr("sheets.summary.incomplete", missing=missing), c))
            if scored.complete and rubric.bands is not None:
                banded.append(scored.viewpoint_totals[rubric.bands.viewpoint_id])
        rows.append(row)
    fixed = [10 * mm, 20 * mm] + [17 * mm] * (len(vps) + 1)
    if rubric.bands is not None:
        fixed.append(27 * mm)
    fixed += [15 * mm, 22 * mm]
    widths = [*fixed[:2], width - sum(fixed), *fixed[2:]]
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(grid_style(1, alerts))
    return t, banded


def _distribution_table(ctx: SheetContext, totals: list[Decimal], styles: Styles) -> list[Flowable]:
    rubric = ctx.rubric
    if rubric.bands is None:
        return [para(tr("sheets.summary.no_bands"), styles.body)]
    dist = distribution(rubric, totals, ctx.band_targets)
    c = styles.cell_center
    keys = ("band", "count", "share", "target", "allowed", "check")
    rows: list[list[object]] = [[para(tr(f"sheets.summary.{k}"), c) for k in keys]]
    extra: list[tuple[object, ...]] = []
    for n, row in enumerate(dist.rows, 1):
        check = tr("sheets.summary.over", count=row.over_by) if row.over_by else (
            tr("sheets.summary.within") if row.target_share is not None else "—")
        rows.append([para(row.label, styles.cell), para(str(row.count), c), para(percent(row.share), c),
                     para(percent(row.target_share), c), para("—" if row.allowed is None else str(row.allowed), c),
                     para(check, c)])
        if row.over_by:
            extra.append(("TEXTCOLOR", (5, n), (5, n), ALERT))
    t = Table(rows, colWidths=[45 * mm, 18 * mm, 20 * mm, 22 * mm, 22 * mm, 30 * mm], hAlign="LEFT")
    t.setStyle(grid_style(1, extra))
    vp = rubric.viewpoint(dist.viewpoint_id)
    return [para(tr("sheets.summary.distribution", viewpoint=vp.label), styles.heading),
            para(tr("sheets.summary.basis", n=dist.n), styles.small), Spacer(1, 1.5 * mm), t]


def render_summary(ctx: SheetContext, reviewer: ReviewerInfo, results: Sequence[ReviewerResult],
                   font: FontChoice | None = None, *, file_digest: str = "") -> SheetPdf:
    if not results:
        raise SheetError("sheets.no_results")
    font = font or choose_font()
    styles = make_styles(font.name)
    width = frame_width()
    table, banded = _results_table(ctx.rubric, results, styles, width)
    who = f"{reviewer.name}（{reviewer.reviewer_id}）" if reviewer.name else reviewer.reviewer_id
    story: list[Flowable] = [
        para(tr("sheets.title.summary"), styles.title),
        para(ctx.round_title, styles.subtitle),
        info_table([(tr("sheets.field.round"), round_text(ctx)), (tr("sheets.field.rubric"), rubric_text(ctx.rubric)),
                    (tr("sheets.field.reviewer"), who)], styles, width),
        para(tr("sheets.summary.proposals"), styles.heading),
        table,
        *_distribution_table(ctx, banded, styles),
    ]
    coi = [r for r in results if r.conflict_of_interest]
    if coi:
        story.append(para(tr("sheets.summary.coi_heading"), styles.heading))
        for r in coi:
            story.append(para(tr("sheets.summary.coi_line", proposal=r.proposal.proposal_id,
                                 institution=r.proposal.institution or "—", reason=r.coi_reason or "—"), styles.body))
    story.append(signature_block(styles, width, reviewer))
    section = Section(summary_footer(ctx, reviewer, results, file_digest), story)
    return build_pdf([section], title=tr("sheets.title.summary"), font=font, subject=ctx.round_title)
