"""The tabular views of a round (aggregation, reviews, reviewers, decisions, returns, imports) as plain sheets.

Each view is a :class:`Sheet` whose headers are translated and whose cells are numbers where
they are numbers; ``exports.py`` writes them as CSV or Excel, a window can show them as they are.
Raw figures are exact decimals rounded to 4 places only for display; standardized figures
sit in their own columns beside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ...core.secretariat.aggregate import RoundAggregate
from ...core.secretariat.decisions import Decision, current
from ...core.secretariat.tabular import Cell, Sheet
from ...core.secretariat.view_names import VIEWS
from ...i18n import tr
from .aggregation import AggregationMixin
from .deciding import DecidingMixin
from .rounds import RoundsMixin

Q4 = Decimal("0.0001")


def dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Q4, rounding=ROUND_HALF_UP).normalize()


def flo(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def h(key: str, **params: object) -> str:
    return tr(f"secretariat.export.col.{key}", **params)


class ViewsMixin(AggregationMixin, DecidingMixin, RoundsMixin):
    def view(self, round_id: str, name: str, agg: RoundAggregate | None = None) -> Sheet:
        """One view by name (one of ``VIEWS``)."""
        from ...core.errors import SecretariatError

        if name not in VIEWS:
            raise SecretariatError("secretariat.export.unknown_view", view=name, known=", ".join(VIEWS))
        if name in ("proposals", "reviewers", "not_returned") and agg is None:
            agg = self.aggregate(round_id)
        build = getattr(self, f"_view_{name}")
        return build(round_id, agg) if name in ("proposals", "reviewers", "not_returned") else build(round_id)

    def views(self, round_id: str) -> list[Sheet]:
        agg = self.aggregate(round_id)
        return [self.view(round_id, n, agg) for n in VIEWS]

    def _title(self, name: str) -> str:
        return tr(f"secretariat.export.sheet.{name}")

    def _view_proposals(self, round_id: str, agg: RoundAggregate) -> Sheet:
        rubric = self.rubric(round_id)
        metas = {p.meta.proposal_id: p.meta for p in self.proposals(round_id)}
        now = current(self.decisions(round_id, history=True))
        headers = [h("rank"), h("standardized_rank"), h("proposal"), h("title"), h("institution"), h("type"), h("region"),
                   h("assigned"), h("returned"), h("coi"), h("counted"), h("mean"), h("median"), h("min"), h("max"),
                   h("spread"), h("sd"), *(h("viewpoint_mean", viewpoint=v.label) for v in rubric.viewpoints)]
        bands = rubric.bands.bands if rubric.bands else ()
        if rubric.bands:
            headers.append(h("band_of_mean", viewpoint=rubric.viewpoint(rubric.bands.viewpoint_id).label))
            headers += [h("band_count", band=b.label) for b in bands]  # how many reviews fell in each band
        headers += [h("standardized_mean"), h("unjudgeable"), *(t.title for t in rubric.decision_tables)]

        def rows() -> Iterator[list[Cell]]:
            for s in agg.proposals:
                m = metas[s.proposal_id]
                row: list[Cell] = [s.rank, s.standardized_rank, s.proposal_id, m.title, m.institution, m.institution_type,
                                   m.region, s.assigned, s.returned, s.coi, s.total.n, dec(s.total.mean),
                                   dec(s.total.median), s.total.minimum, s.total.maximum, s.total.spread, dec(s.total.sd),
                                   *(dec(s.viewpoint_means[v.id]) for v in rubric.viewpoints)]
                if rubric.bands:
                    row.append(_band_label(rubric, s.band_of_mean))
                    row += [s.band_counts.get(b.id, 0) if s.total.n else None for b in bands]
                row += [flo(s.standardized_mean), s.unjudgeable,
                        *((d.code if (d := now.get((s.proposal_id, t.id))) else None) for t in rubric.decision_tables)]
                yield row

        return Sheet(self._title("proposals"), tuple(headers), rows())

    def _view_reviews(self, round_id: str) -> Sheet:
        rubric = self.rubric(round_id)
        names = {r.reviewer_id: r.name for r in self.reviewers(round_id)}
        agg_scores = {(s.reviewer_id, s.proposal_id): s for p in self.aggregate(round_id).proposals
                      for s in p.reviews}
        headers = [h("proposal"), h("reviewer"), h("reviewer_name"), h("revision"), h("coi"), h("coi_reason"),
                   *(h("viewpoint_total", viewpoint=v.label) for v in rubric.viewpoints), h("total"), h("band"),
                   h("standardized"), h("key"), h("digest")]
        for item in rubric.items:
            label = rubric.display_label(item)
            headers += [h("item_mark", item=label), h("item_points", item=label), h("item_unjudgeable", item=label),
                        h("item_comment", item=label)]

        def rows() -> Iterator[list[Cell]]:
            for r in self.reviews(round_id):
                s = agg_scores.get((r.reviewer_id, r.proposal_id))
                vps = s.viewpoint_totals if s else {}
                row: list[Cell] = [r.proposal_id, r.reviewer_id, names.get(r.reviewer_id, ""), r.revision,
                                   tr("secretariat.export.yes") if r.coi else "", r.coi_reason,
                                   *(vps.get(v.id) for v in rubric.viewpoints), s.total if s else None,
                                   _band_label(rubric, s.band_id) if s and s.band_id else None,
                                   flo(s.standardized) if s else None, r.reviewer_key, r.file_digest]
                by_item = {e.item_id: e for e in r.entries}
                for item in rubric.items:
                    e = by_item.get(item.id)
                    if e is None:
                        row += [None, None, None, None]
                        continue
                    comment = e.comment if not e.unjudgeable else f"{tr('secretariat.export.reason')}{e.reason}\n{e.comment}"
                    row += [e.mark, e.points, tr("secretariat.export.yes") if e.unjudgeable else "", comment.strip()]
                yield row

        return Sheet(self._title("reviews"), tuple(headers), rows())

    def _view_reviewers(self, round_id: str, agg: RoundAggregate) -> Sheet:
        rubric = self.rubric(round_id)
        names = {r.reviewer_id: r.name for r in self.reviewers(round_id)}
        bands = rubric.bands.bands if rubric.bands else ()
        headers = [h("reviewer"), h("reviewer_name"), h("assigned"), h("revision"), h("counted"), h("coi"), h("mean"),
                   h("sd"), h("min"), h("max"), h("leniency"), h("leniency_n")]
        for b in bands:
            headers += [h("band_count", band=b.label), h("band_share", band=b.label), h("band_target", band=b.label),
                        h("band_over", band=b.label)]

        def rows() -> Iterator[list[Cell]]:
            for r in agg.reviewers:
                row: list[Cell] = [r.reviewer_id, names.get(r.reviewer_id, ""), r.assigned, r.revision, r.counted, r.coi,
                                   dec(r.total.mean), dec(r.total.sd), r.total.minimum, r.total.maximum, dec(r.leniency),
                                   r.leniency_n]
                rows_by_band = {x.band_id: x for x in r.distribution.rows} if r.distribution else {}
                for b in bands:
                    x = rows_by_band.get(b.id)
                    row += [x.count if x else None, dec(x.share) if x else None,
                            dec(x.target_share) if x and x.target_share is not None else None, x.over_by if x else None]
                yield row

        return Sheet(self._title("reviewers"), tuple(headers), rows())

    def _decision_rows(self, round_id: str, decisions: list[Decision], with_changes: bool) -> Iterator[list[Cell]]:
        rubric = self.rubric(round_id)
        metas = {p.meta.proposal_id: p.meta for p in self.proposals(round_id)}
        labels = {t.id: (t.title, {o.code: o.label for o in t.options}) for t in rubric.decision_tables}
        counts: dict[tuple[str, str], int] = {}
        for d in self.decisions(round_id, history=True):
            counts[(d.proposal_id, d.table_id)] = counts.get((d.proposal_id, d.table_id), 0) + 1
        for d in decisions:
            title, options = labels.get(d.table_id, (d.table_id, {}))
            m = metas.get(d.proposal_id)
            row: list[Cell] = [d.proposal_id, m.institution if m else "", m.region if m else "",
                               m.institution_type if m else "", title, d.code, options.get(d.code, ""), d.note,
                               d.recorded_by, d.recorded_at]
            if with_changes:
                row.append(counts.get((d.proposal_id, d.table_id), 1) - 1)
            yield row

    def _decision_headers(self, with_changes: bool) -> tuple[str, ...]:
        base = (h("proposal"), h("institution"), h("region"), h("type"), h("table"), h("code"), h("label"), h("note"),
                h("recorded_by"), h("recorded_at"))
        return (*base, h("changes")) if with_changes else base

    def _view_decisions(self, round_id: str) -> Sheet:
        rubric = self.rubric(round_id)
        order = {t.id: n for n, t in enumerate(rubric.decision_tables)}
        now = sorted(self.decisions(round_id), key=lambda d: (order.get(d.table_id, 99), d.proposal_id))
        return Sheet(self._title("decisions"), self._decision_headers(True), self._decision_rows(round_id, now, True))

    def _view_decision_history(self, round_id: str) -> Sheet:
        every = self.decisions(round_id, history=True)
        return Sheet(self._title("decision_history"), self._decision_headers(False),
                     self._decision_rows(round_id, every, False))

    def _view_not_returned(self, round_id: str, agg: RoundAggregate) -> Sheet:
        overview = {r.reviewer_id: r for r in self.overview(round_id).reviewers}
        headers = (h("reviewer"), h("reviewer_name"), h("assigned"), h("state"), h("issued_at"), h("overdue"))

        def rows() -> Iterator[list[Cell]]:
            for rid in agg.not_returned:
                o = overview[rid]
                yield [rid, o.name, o.assigned, tr(f"secretariat.state.{o.state.value}"), o.issued_at,
                       tr("secretariat.export.yes") if o.overdue else ""]

        return Sheet(self._title("not_returned"), headers, rows())

    def _view_imports(self, round_id: str) -> Sheet:
        headers = (h("reviewer"), h("bundle"), h("revision"), h("current"), h("created_at"), h("imported_at"), h("key"),
                   h("digest"), h("file"))

        def rows() -> Iterator[list[Cell]]:
            for r in self.result_history(round_id):
                yield [r.reviewer_id, r.bundle_id, r.revision, tr("secretariat.export.yes") if r.current else "",
                       r.created_at, r.imported_at, r.reviewer_key, r.file_digest, r.source_name]

        return Sheet(self._title("imports"), headers, rows())


def _band_label(rubric: object, band_id: str | None) -> str | None:
    bands = getattr(rubric, "bands", None)
    if band_id is None or bands is None:
        return None
    for b in bands.bands:
        if b.id == band_id:
            return str(b.label)
    return band_id
