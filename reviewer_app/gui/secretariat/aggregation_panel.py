"""Aggregation: a sortable, filterable table of proposals, one proposal's reviews side by side, each reviewer's distribution.

The proposals table is the service's ``proposals`` view as it is exported (mean, median,
spread, returns, standardized mean beside the raw one, band of the mean, unjudgeable and
conflict counts, decisions), so the screen and the Excel file never disagree, with the
視点2 band counts beside the band of the mean (one sortable column per band: how many of
the proposal's counting reviews fall in it). Selecting a row shows every reviewer's grade and
comment per 審査項目; the reviewers tab shows each reviewer's 視点2 distribution against the
targets (the reviewer side's chart) and leniency.

Aggregating a large round takes a noticeable moment, so it runs through ``tasks.Op`` (busy
cover over the tab); a result that arrives after the round changed again is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ...core.rubric import Rubric
from ...core.secretariat.aggregate import RoundAggregate
from ...i18n import tr
from ...services.secretariat import Secretariat
from ..review.distribution_chart import DistributionChart
from ..tasks import Op
from .common import cell_text, make_table
from .keys import KeyProvider
from .sorted_rows import make_sorted_table

log = logging.getLogger("reviewer_app")


@dataclass(frozen=True)
class Tables:
    """Everything the tab shows for one round, read off the GUI thread."""

    round_id: str
    agg: RoundAggregate
    rubric: Rubric
    headers: list[str]
    rows: list[list[Any]]
    reviewer_headers: list[str]
    reviewer_rows: list[list[Any]]


def read_tables(sec: Secretariat, round_id: str) -> Tables:
    """The proposals and reviewers views with the band counts put in (runs on the worker: no widgets)."""
    agg = sec.aggregate(round_id)
    rubric = sec.rubric(round_id)
    sheet = sec.view(round_id, "proposals", agg)
    headers = list(sheet.headers)
    rows = [list(r) for r in sheet.rows]
    if rubric.bands is not None:
        banded = rubric.viewpoint(rubric.bands.viewpoint_id).label
        at = headers.index(tr("secretariat.export.col.band_of_mean", viewpoint=banded)) + 1
        headers[at:at] = [tr("secretariat.export.col.band_count", band=b.label) for b in rubric.bands.bands]
        for row, s in zip(rows, agg.proposals, strict=True):
            # Blank (sorted last) until a review counts: no reviews is not "0 in every band".
            row[at:at] = [s.band_counts.get(b.id, 0) if s.total.n else None for b in rubric.bands.bands]
    rsheet = sec.view(round_id, "reviewers", agg)
    return Tables(round_id, agg, rubric, headers, rows, list(rsheet.headers), [list(r) for r in rsheet.rows])


class AggregationPanel(QWidget):
    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatAggregation")
        self.sec = sec
        self.round_id: str | None = None
        self.agg: RoundAggregate | None = None
        self._request = 0  # the latest refresh; older results arriving late are dropped
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("aggregationFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.table, self.model, self.proxy = make_sorted_table(self, "aggregationTable")
        self.filter_edit.textChanged.connect(
            lambda text: self.proxy.setFilterRegularExpression(QRegularExpression(QRegularExpression.escape(text),
                                                               QRegularExpression.PatternOption.CaseInsensitiveOption)))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._proposal_picked())

        self.details = QTabWidget(self)
        self.proposal_title = QLabel(self)
        self.proposal_title.setWordWrap(True)
        self.reviews_view, self.reviews_model, _ = make_table(self, "proposalReviews")
        self.reviews_view.setWordWrap(True)
        prop = QWidget(self)
        pl = QVBoxLayout(prop)
        pl.addWidget(self.proposal_title)
        pl.addWidget(self.reviews_view, 1)
        self.reviewers_view, self.reviewers_model, self.reviewers_proxy = make_sorted_table(self, "reviewerSummary")
        self.reviewers_view.selectionModel().currentRowChanged.connect(lambda *_: self._reviewer_picked())
        self.chart_title = QLabel(self)
        self.chart = DistributionChart("", self)
        rev = QWidget(self)
        rl = QVBoxLayout(rev)
        rl.addWidget(self.reviewers_view, 1)
        rl.addWidget(self.chart_title)
        rl.addWidget(self.chart)
        self.details.addTab(prop, "")
        self.details.addTab(rev, "")

        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.filter_edit)
        tl.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.details)
        split.setSizes([420, 380])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(tr("gui.secretariat.aggregation.filter"))
        self.details.setTabText(0, tr("gui.secretariat.aggregation.tab_proposal"))
        self.details.setTabText(1, tr("gui.secretariat.aggregation.tab_reviewers"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self) -> None:
        """Aggregate the round again off the GUI thread; the tables fill in when it is done."""
        self._request += 1
        request = self._request
        rid = self.round_id
        if rid is None:
            self.agg = None
            self.model.set_rows([], [])
            self.reviewers_model.set_rows([], [])
            self.reviews_model.set_rows([], [])
            self._proposal_picked()
            self._reviewer_picked()
            return
        sec = self.sec
        Op(self, lambda: read_tables(sec, rid), busy=tr("gui.secretariat.aggregation.busy")) \
            .success(lambda tables: self._show(request, tables)) \
            .failure(lambda exc: self._failed(request, exc)).run()

    def _failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            log.info("aggregation of a round no longer shown failed: %s", exc)  # nothing on screen depends on it
            return
        from ..errors import show_error

        show_error(self, exc)

    def _show(self, request: int, tables: Tables) -> None:
        if request != self._request or tables.round_id != self.round_id:
            return  # the round (or the language) changed while this one was being computed
        self.agg = tables.agg
        self.model.set_rows(tables.headers, tables.rows)
        self.table.resizeColumnsToContents()
        rubric = tables.rubric
        self.chart.viewpoint_label = rubric.viewpoint(rubric.bands.viewpoint_id).label if rubric.bands else ""
        self.reviewers_model.set_rows(tables.reviewer_headers, tables.reviewer_rows)
        self.reviewers_view.resizeColumnsToContents()
        self._proposal_picked()
        self._reviewer_picked()

    def _current_id(self, view: Any, column: int) -> str | None:
        idx = view.currentIndex()
        if not idx.isValid():
            return None
        return str(view.model().index(idx.row(), column).data())

    def _proposal_picked(self) -> None:
        rid = self.round_id
        pid = self._current_id(self.table, self.model.headers.index(tr("secretariat.export.col.proposal"))) \
            if self.model.headers else None
        if rid is None or pid is None:
            self.proposal_title.setText(tr("gui.secretariat.aggregation.pick_proposal"))
            self.reviews_model.set_rows([], [])
            return
        self.show_proposal(pid)

    def show_proposal(self, pid: str) -> None:
        """Every reviewer's grade and comment per item, side by side (rows: items; two columns per reviewer)."""
        rid = self.round_id
        assert rid is not None
        rubric = self.sec.rubric(rid)
        reviews = self.sec.reviews(rid, pid)
        names = {r.reviewer_id: r.name for r in self.sec.reviewers(rid)}
        headers = [tr("gui.secretariat.aggregation.item")]
        for r in reviews:
            who = f"{r.reviewer_id} {names.get(r.reviewer_id, '')}".strip()
            headers += [tr("gui.secretariat.aggregation.grade_of", reviewer=who),
                        tr("gui.secretariat.aggregation.comment_of", reviewer=who)]
        rows = []
        for item in rubric.items:
            row: list[Any] = [rubric.display_label(item)]
            for r in reviews:
                if r.coi:
                    row += [tr("gui.secretariat.aggregation.coi"), r.coi_reason]
                    continue
                e = next((x for x in r.entries if x.item_id == item.id), None)
                if e is None:
                    row += ["", ""]
                    continue
                mark = e.mark + (tr("gui.secretariat.aggregation.unjudgeable") if e.unjudgeable else "")
                if e.figure is not None:
                    mark += tr("gui.secretariat.aggregation.figure", value=cell_text(e.figure))
                comment = e.comment if not e.unjudgeable else f"{e.reason}\n{e.comment}".strip()
                row += [mark, comment]
            rows.append(row)
        self.reviews_model.set_rows(headers, rows)
        self.reviews_view.resizeColumnsToContents()
        self.reviews_view.resizeRowsToContents()
        summary = next((s for s in (self.agg.proposals if self.agg else ()) if s.proposal_id == pid), None)
        mean = cell_text(summary.total.mean) if summary and summary.total.mean is not None else "—"
        self.proposal_title.setText(tr("gui.secretariat.aggregation.proposal_title", proposal=pid, returned=len(reviews),
                                       mean=mean))

    def _reviewer_picked(self) -> None:
        rid_col = 0
        reviewer = self._current_id(self.reviewers_view, rid_col)
        summary = None
        if self.agg is not None and reviewer is not None:
            summary = next((r for r in self.agg.reviewers if r.reviewer_id == reviewer), None)
        self.chart.set_distribution(summary.distribution if summary else None)
        if summary is None:
            self.chart_title.setText(tr("gui.secretariat.aggregation.pick_reviewer"))
            return
        len_text = cell_text(summary.leniency) if summary.leniency is not None else "—"
        self.chart_title.setText(tr("gui.secretariat.aggregation.reviewer_title", reviewer=reviewer,
                                    leniency=len_text, n=summary.leniency_n))
