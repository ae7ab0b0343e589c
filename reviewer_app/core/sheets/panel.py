"""The panel meeting material (合議審査資料): every reviewer's verdict on each proposal side by side.

Built from verified results only (the secretariat imports and verifies the signed bundles
first). Grades and points sit in one matrix per proposal so disagreements show at a
glance; comments follow item by item, in full. Means and spreads count only reviewers
without a conflict of interest whose result is complete; spread is max − min, the figure a
panel discusses. A ranking over all proposals opens the document. Order never depends on
the order results were given in: proposals and reviewers are sorted by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from ...i18n import tr
from ..errors import SheetError
from ..rubric import Rubric, format_points
from ..scoring import ProposalResult
from .fonts import FontChoice, choose_font
from .model import ProposalInfo, SheetContext, VerifiedResult, check_token, combined_digest
from .parts import band_label, info_table, round_text, rubric_text
from .render import Footer, Section, SheetPdf, build_pdf
from .score_sheet import frame_width
from .styles import ALERT, SHADE, Styles, grid_style, make_styles, para

#: Reviewers per matrix table; more are continued in a second table below.
MAX_COLUMNS = 8


@dataclass(frozen=True)
class Scored:
    v: VerifiedResult
    result: ProposalResult | None  # None for a conflict of interest

    @property
    def counts(self) -> bool:
        return self.result is not None and self.result.complete


@dataclass(frozen=True)
class ProposalRow:
    proposal: ProposalInfo
    scored: tuple[Scored, ...]

    @property
    def counting(self) -> list[ProposalResult]:
        return [s.result for s in self.scored if s.counts and s.result is not None]


def fmt_mean(values: Sequence[Decimal]) -> str:
    if not values:
        return "—"
    mean = sum(values, Decimal(0)) / len(values)
    return format_points(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def fmt_spread(values: Sequence[Decimal]) -> str:
    return format_points(max(values) - min(values)) if values else "—"


def group_results(rubric: Rubric, results: Sequence[VerifiedResult]) -> list[ProposalRow]:
    by_proposal: dict[str, list[VerifiedResult]] = {}
    infos: dict[str, ProposalInfo] = {}
    for v in results:
        pid = v.result.proposal.proposal_id
        if any(o.reviewer.reviewer_id == v.reviewer.reviewer_id for o in by_proposal.get(pid, [])):
            raise SheetError("sheets.duplicate_result", reviewer=v.reviewer.reviewer_id, proposal=pid)
        by_proposal.setdefault(pid, []).append(v)
        infos.setdefault(pid, v.result.proposal)
    rows = []
    for pid in sorted(by_proposal):
        vs = sorted(by_proposal[pid], key=lambda v: v.reviewer.reviewer_id)
        rows.append(ProposalRow(infos[pid], tuple(
            Scored(v, None if v.result.conflict_of_interest else v.result.score(rubric)) for v in vs)))
    return rows


def ranked(rows: Sequence[ProposalRow]) -> list[tuple[int | None, ProposalRow, Decimal | None]]:
    """Competition ranking (1, 2, 2, 4) by mean total; proposals without a counting result last."""
    means = []
    for r in rows:
        totals = [p.total for p in r.counting]
        means.append((r, sum(totals, Decimal(0)) / len(totals) if totals else None))
    means.sort(key=lambda x: (x[1] is None, -(x[1] or 0), x[0].proposal.proposal_id))
    out: list[tuple[int | None, ProposalRow, Decimal | None]] = []
    for n, (r, m) in enumerate(means):
        rank = None if m is None else (out[-1][0] if out and out[-1][2] == m else n + 1)
        out.append((rank, r, m))
    return out


def _ranking_table(rubric: Rubric, rows: Sequence[ProposalRow], styles: Styles, width: float) -> Table:
    c = styles.cell_center
    banded = rubric.viewpoint(rubric.bands.viewpoint_id) if rubric.bands else None
    head = [tr("sheets.panel.rank"), tr("sheets.field.proposal"), tr("sheets.field.institution"), tr("sheets.field.type_region"),
            tr("sheets.panel.reviewers"), tr("sheets.panel.mean"), tr("sheets.panel.min_max"), tr("sheets.panel.spread"),
            *(tr("sheets.panel.mean_of", viewpoint=v.label) for v in rubric.viewpoints)]
    if banded:
        head.append(tr("sheets.panel.band_of_mean", viewpoint=banded.label))
    head += [tr("sheets.panel.unjudgeable_count"), tr("sheets.panel.coi_count")]
    table: list[list[object]] = [[para(h, c) for h in head]]
    for rank, r, _mean in ranked(rows):
        counting = r.counting
        totals = [p.total for p in counting]
        where = "・".join(x for x in (r.proposal.institution_type, r.proposal.region) if x)
        line = [str(rank) if rank else "—", r.proposal.proposal_id]
        cells: list[object] = [para(x, c) for x in line] + [para(r.proposal.institution, styles.cell), para(where, c)]
        cells += [para(x, c) for x in (str(len(counting)), fmt_mean(totals),
                                       f"{format_points(min(totals))}〜{format_points(max(totals))}" if totals else "—",
                                       fmt_spread(totals))]
        cells += [para(fmt_mean([p.viewpoint_totals[v.id] for p in counting]), c) for v in rubric.viewpoints]
        if banded and rubric.bands:
            vals = [p.viewpoint_totals[banded.id] for p in counting]
            band = rubric.bands.place(sum(vals, Decimal(0)) / len(vals)).id if vals else None
            cells.append(para(band_label(rubric, band), c))
        cells.append(para(str(sum(1 for p in counting for i in p.items if i.unjudgeable)), c))
        cells.append(para(str(sum(1 for s in r.scored if s.result is None)), c))
        table.append(cells)
    fixed = [12 * mm, 20 * mm, 0, 24 * mm, 16 * mm, 16 * mm, 22 * mm, 17 * mm, *([19 * mm] * len(rubric.viewpoints))]
    if banded:
        fixed.append(28 * mm)
    fixed += [16 * mm, 16 * mm]
    fixed[2] = width - sum(fixed)
    t = Table(table, colWidths=fixed, repeatRows=1)
    t.setStyle(grid_style(1))
    return t


def _reviewer_name(v: VerifiedResult) -> str:
    r = v.reviewer
    return f"{r.name}（{r.reviewer_id}）" if r.name else r.reviewer_id


def _matrix(rubric: Rubric, row: ProposalRow, cols: Sequence[Scored], styles: Styles, width: float,
            with_stats: bool) -> Table:
    c = styles.variant("m", styles.cell_center, fontSize=8.5, leading=11)
    s = styles.variant("ms", styles.cell, fontSize=8.5, leading=11)
    counting = row.counting
    head1: list[object] = [para(tr("sheets.col.item"), c), "", para(tr("sheets.col.max"), c)]
    head2: list[object] = ["", "", ""]
    for sc in cols:
        head1 += [para(_reviewer_name(sc.v), c), ""]
        head2 += [para(tr("sheets.col.grade"), c), para(tr("sheets.col.points"), c)]
    if with_stats:
        head1 += [para(tr("sheets.panel.mean"), c), para(tr("sheets.panel.spread"), c)]
        head2 += ["", ""]
    table: list[list[object]] = [head1, head2]
    extra: list[tuple[object, ...]] = [("SPAN", (0, 0), (1, 1)), ("SPAN", (2, 0), (2, 1))]
    for k in range(len(cols)):
        extra.append(("SPAN", (3 + 2 * k, 0), (4 + 2 * k, 0)))
    if with_stats:
        n = 3 + 2 * len(cols)
        extra += [("SPAN", (n, 0), (n, 1)), ("SPAN", (n + 1, 0), (n + 1, 1))]

    def add(label: object, title: object, maxp: str, per: list[tuple[str, str, bool]], values: list[Decimal],
            shade: bool) -> None:
        cells: list[object] = [label, title, para(maxp, c)]
        y = len(table)
        for k, (grade, pts, alert) in enumerate(per):
            cells += [para(grade, c), para(pts, c)]
            if alert:
                extra.append(("TEXTCOLOR", (3 + 2 * k, y), (3 + 2 * k, y), ALERT))
        if with_stats:
            cells += [para(fmt_mean(values), c), para(fmt_spread(values), c)]
        if shade:
            extra.append(("BACKGROUND", (0, y), (-1, y), SHADE))
        table.append(cells)

    for item in rubric.items:
        per = []
        for sc in cols:
            ir = sc.result.item(item.id) if sc.result else None
            grade = "—" if ir is None or ir.mark is None else ir.mark + ("※" if ir.unjudgeable else "")
            per.append((grade, "—" if ir is None or ir.points is None else format_points(ir.points), bool(ir and ir.unjudgeable)))
        values = [p.item(item.id).points for p in counting]
        add(para(rubric.display_label(item), c), para(item.title, s), format_points(item.points), per,
            [v for v in values if v is not None], False)
    for v in rubric.viewpoints:
        per = [("", format_points(sc.result.viewpoint_totals[v.id]) if sc.result else "—", False) for sc in cols]
        add(para(v.label, c), para(tr("sheets.totals.heading"), s), format_points(v.points), per,
            [p.viewpoint_totals[v.id] for p in counting], True)
    per = [("", format_points(sc.result.total) if sc.result else "—", False) for sc in cols]
    add(para(tr("sheets.totals.total"), c), "", format_points(rubric.total_points), per, [p.total for p in counting], True)
    if rubric.bands is not None:
        vp = rubric.viewpoint(rubric.bands.viewpoint_id)
        y = len(table)
        cells: list[object] = [para(tr("sheets.totals.band", viewpoint=vp.label), s), "", ""]
        for sc in cols:
            cells += [para(band_label(rubric, sc.result.band_id) if sc.result else "—", c), ""]
            extra.append(("SPAN", (len(cells) - 2, y), (len(cells) - 1, y)))
        if with_stats:
            cells += ["", ""]
        extra.append(("SPAN", (0, y), (2, y)))
        table.append(cells)
    stats_w = 2 * 15 * mm if with_stats else 0
    fixed = 16 * mm + 13 * mm
    col_w = 2 * 13 * mm
    title_w = max(50 * mm, width - fixed - stats_w - col_w * len(cols))
    if title_w + fixed + stats_w + col_w * len(cols) > width:
        col_w = (width - fixed - stats_w - title_w) / max(1, len(cols))
    widths = [16 * mm, title_w, 13 * mm] + [col_w / 2] * (2 * len(cols)) + ([15 * mm] * 2 if with_stats else [])
    t = Table(table, colWidths=widths, repeatRows=2, hAlign="LEFT")
    t.setStyle(grid_style(2, extra))
    return t


def _comments(rubric: Rubric, row: ProposalRow, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = [para(tr("sheets.panel.comments"), styles.heading)]
    label_style = styles.variant("by", styles.small, leftIndent=4, spaceBefore=3)
    for item in rubric.items:
        head = para(f"{rubric.display_label(item)} {item.title}", styles.subheading)
        head.keepWithNext = True
        out.append(head)
        for sc in row.scored:
            if sc.result is None:
                continue
            entry = sc.v.result.entry(item.id)
            ir = sc.result.item(item.id)
            grade = "—" if ir.mark is None else ir.mark
            label = para(tr("sheets.panel.comment_by", reviewer=_reviewer_name(sc.v), grade=grade), label_style)
            label.keepWithNext = True
            out.append(label)
            if ir.unjudgeable:
                reason = para(tr("sheets.unjudgeable_reason", reason=(entry.unjudgeable_reason if entry else "") or "—"),
                              styles.variant("pur", styles.alert, leftIndent=4))
                reason.keepWithNext = True
                out.append(reason)
            text = entry.comment if entry and entry.comment.strip() else tr("sheets.no_comment")
            out.append(para(text, styles.comment))
    return out


def _proposal_story(rubric: Rubric, row: ProposalRow, styles: Styles, width: float) -> list[Flowable]:
    p = row.proposal
    where = "・".join(x for x in (p.institution_type, p.region) if x)
    story: list[Flowable] = [
        para(tr("sheets.panel.proposal_heading", proposal=p.proposal_id, institution=p.institution), styles.heading),
        info_table([(tr("sheets.field.proposal_title"), p.title), (tr("sheets.field.type_region"), where)], styles, width),
        para(tr("sheets.panel.matrix"), styles.subheading),
    ]
    cols = [s for s in row.scored if s.result is not None]
    chunks = [cols[i:i + MAX_COLUMNS] for i in range(0, len(cols), MAX_COLUMNS)] or [[]]
    for n, chunk in enumerate(chunks):
        story += [_matrix(rubric, row, chunk, styles, width, n == len(chunks) - 1), Spacer(1, 2 * mm)]
    story.append(para(tr("sheets.panel.legend"), styles.small))
    coi = [_reviewer_name(s.v) + (f"：{s.v.result.coi_reason}" if s.v.result.coi_reason else "")
           for s in row.scored if s.result is None]
    if coi:
        story.append(para(tr("sheets.panel.coi_reviewers", names="、".join(coi)), styles.body))
    incomplete = [_reviewer_name(s.v) for s in row.scored if s.result is not None and not s.result.complete]
    if incomplete:
        story.append(para(tr("sheets.panel.incomplete_reviewers", names="、".join(incomplete)), styles.alert))
    if not row.counting:
        story.append(para(tr("sheets.panel.no_scores"), styles.alert))
    return story + _comments(rubric, row, styles)


def panel_footer(ctx: SheetContext, results: Sequence[VerifiedResult]) -> Footer:
    triples = [(v.result.proposal.proposal_id, v.reviewer.reviewer_id, check_token(v.result.result_digest, "result_digest"))
               for v in results]
    digest = combined_digest(triples)
    return Footer(
        caption=tr("sheets.footer.caption_panel", round=ctx.round_id or ctx.round_title),
        lines=((tr("sheets.footer.results_digest", count=len(results)), digest),),
        qr_fields=(("kind", "panel"), ("round", ctx.round_id), ("results", str(len(results))), ("digest", digest)),
    )


def render_panel(ctx: SheetContext, results: Sequence[VerifiedResult], font: FontChoice | None = None) -> SheetPdf:
    """Ranking first, then one part per proposal (each starting on a new page); landscape A4."""
    if not results:
        raise SheetError("sheets.no_results")
    font = font or choose_font()
    styles = make_styles(font.name)
    width = frame_width(wide=True)
    rubric = ctx.rubric
    rows = group_results(rubric, results)
    story: list[Flowable] = [
        para(tr("sheets.title.panel"), styles.title),
        para(ctx.round_title, styles.subtitle),
        info_table([(tr("sheets.field.round"), round_text(ctx)), (tr("sheets.field.rubric"), rubric_text(rubric))],
                   styles, width),
        para(tr("sheets.panel.ranking"), styles.heading),
        _ranking_table(rubric, rows, styles, width),
    ]
    for row in rows:
        story += [PageBreak(), *_proposal_story(rubric, row, styles, width)]
    return build_pdf([Section(panel_footer(ctx, results), story)], title=tr("sheets.title.panel"), font=font,
                     wide=True, subject=ctx.round_title)
