"""Aggregation: a sortable, filterable table of proposals, one proposal's reviews side by side, each reviewer's distribution.

The proposals table is the service's ``proposals`` view as it is exported (mean, median,
spread, returns, standardized mean beside the raw one, band of the mean, unjudgeable and
conflict counts, decisions), so the screen and the Excel file never disagree, with the
視点2 band counts beside the band of the mean (one sortable column per band: how many of
the proposal's counting reviews fall in it). Selecting a row shows every reviewer's grade and
comment per 審査項目 (comment columns of one width, wrapped, so five or more reviewers sit side
by side); the reviewers tab shows each reviewer's 視点2 distribution against the targets (the
reviewer side's chart, worded for the secretariat), the reason they gave for a distribution
over the targets, and leniency. Headers are short with the exported text as their tooltip, and
the main figures come first (``aggregation_columns``).

Aggregating a large round takes a noticeable moment, so it runs through ``tasks.Op`` (busy
cover over the tab); a result that arrives after the round changed again is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import Rubric
from ...core.secretariat.aggregate import RoundAggregate
from ...i18n import tr
from ...services.secretariat import Secretariat
from ..review.distribution_chart import DistributionChart
from ..tasks import Op
from .aggregation_columns import columns, first_order, fit_widths, show_in_order
from .common import cell_text
from .keys import KeyProvider
from .sorted_rows import make_sorted_table

#: A comment column's width (in widths of 「国」): five reviewers side by side at 1360 px.
COMMENT_EM = 10
#: Lines a wrapped comment shows before it is cut (the whole text is the cell's tooltip).
COMMENT_LINES = 6

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
    #: Reviewer id → the reason they gave for a distribution over the targets (only those who gave one).
    justifications: dict[str, str]


def read_tables(sec: Secretariat, round_id: str) -> Tables:
    """The proposals and reviewers views as exported (runs on the worker: no widgets).

    The proposals view carries the 視点2 band counts itself (blank until a review counts).
    """
    agg = sec.aggregate(round_id)
    rubric = sec.rubric(round_id)
    sheet = sec.view(round_id, "proposals", agg)
    rsheet = sec.view(round_id, "reviewers", agg)
    return Tables(round_id, agg, rubric, list(sheet.headers), [list(r) for r in sheet.rows], list(rsheet.headers),
                  [list(r) for r in rsheet.rows], sec.justifications(round_id))


class AggregationPanel(QWidget):
    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatAggregation")
        self.sec = sec
        self.round_id: str | None = None
        self.agg: RoundAggregate | None = None
        self.justifications: dict[str, str] = {}
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
        self.reviews_view, self.reviews_model, _ = make_sorted_table(self, "proposalReviews")
        self.reviews_view.setSortingEnabled(False)  # the rubric's item order
        self.reviews_view.horizontalHeader().setSortIndicatorShown(False)
        self.reviews_view.horizontalHeader().setStretchLastSection(False)  # every comment column equally wide
        self.reviews_view.setWordWrap(True)
        self.reviews_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.timeout.connect(self._fit_review_rows)
        self.reviews_view.horizontalHeader().sectionResized.connect(lambda *_: self._fit_rows_timer.start(0))
        prop = QWidget(self)
        pl = QVBoxLayout(prop)
        pl.addWidget(self.proposal_title)
        pl.addWidget(self.reviews_view, 1)

        self.reviewers_view, self.reviewers_model, self.reviewers_proxy = make_sorted_table(self, "reviewerSummary")
        self.reviewers_view.selectionModel().currentRowChanged.connect(lambda *_: self._reviewer_picked())
        self.chart_title = QLabel(self)
        self.chart_title.setWordWrap(True)
        self.chart = DistributionChart("", self, wording="secretariat")
        self.justification_box = QGroupBox(self)
        self.justification_box.setObjectName("reviewerJustification")
        self.justification = QLabel(self.justification_box)
        self.justification.setObjectName("reviewerJustificationText")
        self.justification.setWordWrap(True)
        self.justification.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.justification.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        jl = QVBoxLayout(self.justification_box)
        jl.addWidget(self.justification, 1)
        below = QWidget(self)
        bl = QVBoxLayout(below)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.chart_title)
        beside = QHBoxLayout()
        beside.addWidget(self.chart, 3)
        beside.addWidget(self.justification_box, 2)
        bl.addLayout(beside)
        # The table takes what the chart leaves (it used to get two rows); the clerk can move the line.
        self.reviewer_split = QSplitter(Qt.Orientation.Vertical, self)
        self.reviewer_split.setObjectName("reviewerSplit")
        self.reviewer_split.addWidget(self.reviewers_view)
        self.reviewer_split.addWidget(below)
        self.reviewer_split.setStretchFactor(0, 1)
        self.reviewer_split.setStretchFactor(1, 0)
        self.reviewer_split.setChildrenCollapsible(False)
        rev = QWidget(self)
        rl = QVBoxLayout(rev)
        rl.addWidget(self.reviewer_split)
        self.details.addTab(prop, "")
        self.details.addTab(rev, "")

        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.filter_edit)
        tl.addWidget(self.table, 1)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(top)
        self.split.addWidget(self.details)
        self.split.setSizes([370, 530])  # the lower part holds a proposal's comments or the chart under a table
        self.split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(self.split)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(tr("gui.secretariat.aggregation.filter"))
        self.details.setTabText(0, tr("gui.secretariat.aggregation.tab_proposal"))
        self.details.setTabText(1, tr("gui.secretariat.aggregation.tab_reviewers"))
        self.justification_box.setTitle(tr("gui.secretariat.aggregation.justification_title"))
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
            self.justifications = {}
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
        self.justifications = tables.justifications
        rubric = tables.rubric
        cols = columns(tables.headers, rubric)
        self.model.set_rows(tables.headers, tables.rows, [c.label for c in cols])
        show_in_order(self.table, first_order(cols))
        fit_widths(self.table, cols)
        self.chart.viewpoint_label = rubric.viewpoint(rubric.bands.viewpoint_id).label if rubric.bands else ""
        rcols = columns(tables.reviewer_headers, rubric)
        self.reviewers_model.set_rows(tables.reviewer_headers, tables.reviewer_rows, [c.label for c in rcols])
        fit_widths(self.reviewers_view, rcols)
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
        labels = list(headers)
        for r in reviews:
            who = f"{r.reviewer_id} {names.get(r.reviewer_id, '')}".strip()
            headers += [tr("gui.secretariat.aggregation.grade_of", reviewer=who),
                        tr("gui.secretariat.aggregation.comment_of", reviewer=who)]
            labels += [tr("gui.secretariat.aggregation.grade_head", reviewer=r.reviewer_id),
                       tr("gui.secretariat.aggregation.comment_head", reviewer=who)]
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
                # The grade column is narrow: the unjudgeable mark and the figure go on lines of their own.
                mark = [e.mark]
                if e.unjudgeable:
                    mark.append(tr("gui.secretariat.aggregation.unjudgeable").strip())
                if e.figure is not None:
                    mark.append(tr("gui.secretariat.aggregation.figure", value=cell_text(e.figure)).strip())
                comment = e.comment if not e.unjudgeable else \
                    f"{tr('secretariat.export.reason')}{e.reason}\n{e.comment}".strip()
                row += ["\n".join(mark), comment]
            rows.append(row)
        self.reviews_model.set_rows(headers, rows, labels)
        self._fit_review_columns()
        summary = next((s for s in (self.agg.proposals if self.agg else ()) if s.proposal_id == pid), None)
        mean = cell_text(summary.total.mean) if summary and summary.total.mean is not None else "—"
        self.proposal_title.setText(tr("gui.secretariat.aggregation.proposal_title", proposal=pid, returned=len(reviews),
                                       mean=mean))

    def _fit_review_columns(self) -> None:
        """Grades as wide as they are, every comment column the same width, rows as tall as their comments."""
        view = self.reviews_view
        em = view.fontMetrics().horizontalAdvance("国")
        view.resizeColumnToContents(0)
        for n in range(1, self.reviews_model.columnCount()):
            if n % 2:  # a grade
                view.resizeColumnToContents(n)
            else:
                view.setColumnWidth(n, em * COMMENT_EM)
        self._fit_review_rows()

    def _fit_review_rows(self) -> None:
        """Rows grow with their comment, up to ``COMMENT_LINES`` lines (the rest is in the tooltip)."""
        view = self.reviews_view
        view.resizeRowsToContents()
        most = view.fontMetrics().lineSpacing() * COMMENT_LINES + 8
        for n in range(self.reviews_model.rowCount()):
            if view.rowHeight(n) > most:
                view.setRowHeight(n, most)

    def _reviewer_picked(self) -> None:
        rid_col = 0
        reviewer = self._current_id(self.reviewers_view, rid_col)
        summary = None
        if self.agg is not None and reviewer is not None:
            summary = next((r for r in self.agg.reviewers if r.reviewer_id == reviewer), None)
        self.chart.set_distribution(summary.distribution if summary else None)
        if summary is None or reviewer is None:
            self.chart_title.setText(tr("gui.secretariat.aggregation.pick_reviewer"))
            self.justification_box.hide()
            return
        len_text = cell_text(summary.leniency) if summary.leniency is not None else "—"
        self.chart_title.setText(tr("gui.secretariat.aggregation.reviewer_title", reviewer=reviewer,
                                    leniency=len_text, n=summary.leniency_n))
        self.justification.setText(self.justification_text(reviewer, summary.returned))
        self.justification_box.show()

    def justification_text(self, reviewer: str, returned: bool) -> str:
        """The reviewer's reason for a distribution over the targets, or why there is none."""
        text = self.justifications.get(reviewer, "")
        if text:
            return text
        if not returned:
            return tr("gui.secretariat.aggregation.justification_no_result")
        if self.chart.over_target():
            return tr("gui.secretariat.aggregation.justification_none")
        return tr("gui.secretariat.aggregation.justification_within")
