"""The decision tables (表1–表4 in 2009) as a printable document, with the balance the criteria ask to weigh.

One section per decision table of the rubric: the table's options as the criteria print them,
then every proposal that stands at that stage (all proposals for the first stage; for later
stages those admitted by the previous one, plus any already decided) with its document-review
mean and rank, the current code, the note, who recorded it and when, and how often it was
changed. Under the tables whose "yes" codes select proposals (every table but the grading
ones), the 地域 and 国公私 balance of the selection beside all applicants. Landscape A4;
the footer carries a SHA-256 over the current decisions, so two printouts can be compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from ...i18n import tr
from ..rubric import Rubric, format_points
from ..sheets.fonts import FontChoice, choose_font
from ..sheets.render import Footer, Section, SheetPdf, build_pdf
from ..sheets.score_sheet import frame_width
from ..sheets.styles import SHADE, Styles, grid_style, make_styles, para
from .decisions import Balance, Decision, prerequisite


@dataclass(frozen=True)
class ProposalLine:
    proposal_id: str
    title: str
    institution: str
    institution_type: str
    region: str
    mean_total: Decimal | None
    rank: int | None


def decisions_digest(now: Mapping[tuple[str, str], Decision]) -> str:
    lines = sorted(f"{p}\t{t}\t{d.code}\t{d.recorded_at}\t{d.recorded_by}" for (p, t), d in now.items())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _pct(d: Decimal) -> str:
    return f"{(d * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _balance_table(b: Balance, styles: Styles, width: float) -> list[Flowable]:
    c = styles.cell_center
    out: list[Flowable] = [para(tr("secretariat.tables.balance", codes=" ".join(b.codes), selected=b.selected,
                                   applicants=b.applicants), styles.subheading)]
    for title, rows in ((tr("secretariat.tables.by_region"), b.by_region), (tr("secretariat.tables.by_type"), b.by_type)):
        head = [para(x, c) for x in (title, tr("secretariat.tables.selected"), tr("secretariat.tables.share"),
                                     tr("secretariat.tables.applicants"), tr("secretariat.tables.applicant_share"))]
        body = [[para(r.key, styles.cell), para(str(r.selected), c), para(_pct(r.share), c), para(str(r.applicants), c),
                 para(_pct(r.applicant_share), c)] for r in rows]
        t = Table([head, *body], colWidths=[width * 0.3] + [width * 0.14] * 4, hAlign="LEFT", repeatRows=1)
        t.setStyle(grid_style(1))
        out += [t, Spacer(1, 2 * mm)]
    return out


def render_decision_tables(
    rubric: Rubric,
    round_id: str,
    round_title: str,
    proposals: Sequence[ProposalLine],
    now: Mapping[tuple[str, str], Decision],
    changes: Mapping[tuple[str, str], int],
    balances: Mapping[str, Balance],
    font: FontChoice | None = None,
) -> SheetPdf:
    font = font or choose_font()
    st = make_styles(font.name)
    width = frame_width(wide=True)
    c = st.cell_center
    story: list[Flowable] = [para(tr("secretariat.tables.title"), st.title),
                             para(f"{round_title}（{round_id}）", st.subtitle)]
    for n, table in enumerate(rubric.decision_tables):
        if n:
            story.append(PageBreak())
        story.append(para(tr("secretariat.tables.heading", title=table.title, stage=table.stage), st.heading))
        legend = "　".join(f"{o.code}：{o.label}" for o in table.options)
        story.append(para(legend, st.body))
        gate = prerequisite(rubric, table.id)
        lines = []
        for p in proposals:
            d = now.get((p.proposal_id, table.id))
            if gate is not None and d is None:
                g = now.get((p.proposal_id, gate[0].id))
                if g is None or g.code not in gate[1]:
                    continue
            lines.append((p, d))
        if gate is not None:
            story.append(para(tr("secretariat.tables.gate", gate=gate[0].title, codes=" ".join(gate[1])), st.small))
        labels = {o.code: o.label for o in table.options}
        head = [tr("secretariat.tables.col.proposal"), tr("secretariat.tables.col.institution"),
                tr("secretariat.tables.col.title"), tr("secretariat.tables.col.type_region"),
                tr("secretariat.tables.col.mean"), tr("secretariat.tables.col.rank"), tr("secretariat.tables.col.code"),
                tr("secretariat.tables.col.note"), tr("secretariat.tables.col.recorded")]
        rows: list[list[object]] = [[para(h, c) for h in head]]
        for p, d in lines:
            mean = "—" if p.mean_total is None else format_points(p.mean_total.quantize(Decimal("0.1"), ROUND_HALF_UP))
            code = "—" if d is None else f"{d.code} {labels.get(d.code, '')}"
            changed = changes.get((p.proposal_id, table.id), 0)
            recorded = "" if d is None else f"{d.recorded_by} {d.recorded_at[:16].replace('T', ' ')}"
            if changed > 1:
                recorded += "\n" + tr("secretariat.tables.changed", count=changed - 1)
            rows.append([para(p.proposal_id, c), para(p.institution, st.cell), para(p.title, st.cell),
                         para("・".join(x for x in (p.institution_type, p.region) if x), c), para(mean, c),
                         para(str(p.rank) if p.rank else "—", c), para(code, st.cell),
                         para("" if d is None else d.note, st.cell), para(recorded, st.small)])
        fixed = [20 * mm, 34 * mm, 0, 24 * mm, 16 * mm, 12 * mm, 40 * mm, 50 * mm, 34 * mm]
        fixed[2] = width - sum(fixed)
        t = Table(rows, colWidths=fixed, repeatRows=1)
        t.setStyle(grid_style(1, [("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
        story += [t, Spacer(1, 3 * mm)]
        if len(lines) == 0:
            story.append(para(tr("secretariat.tables.none"), st.alert))
        if table.id in balances:
            story += _balance_table(balances[table.id], st, width)
    digest = decisions_digest(now)
    footer = Footer(caption=tr("secretariat.tables.caption", round=round_id),
                    lines=((tr("secretariat.tables.digest", count=len(now)), digest),),
                    qr_fields=(("kind", "decisions"), ("round", round_id), ("digest", digest)))
    return build_pdf([Section(footer, story)], title=tr("secretariat.tables.title"), font=font, wide=True,
                     subject=round_title)
