"""One round at a glance: where it stands, what to do next, and its proposals, reviewers and assignments.

The return status per reviewer uses the service's states (未配布 / 配布済み・未返却 / 返却済み 第n版 /
要再配布) with 期限超過 marked; 「次にすること」 is derived from those counts so a clerk never
has to know the order of the steps by heart.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ...i18n import tr
from ...services.secretariat import ReviewerState, RoundOverview, Secretariat
from .common import make_table


def next_step(ov: RoundOverview, decisions: int) -> str:
    """The one sentence telling the clerk what to do now."""
    states = [r.state for r in ov.reviewers if r.state is not ReviewerState.NO_ASSIGNMENT]
    to_issue = sum(1 for s in states if s in (ReviewerState.NOT_ISSUED, ReviewerState.NEEDS_REISSUE))
    waiting = sum(1 for s in states if s is ReviewerState.ISSUED)
    overdue = sum(1 for r in ov.reviewers if r.overdue)
    if not states:
        return tr("gui.secretariat.next.assign")
    if to_issue:
        return tr("gui.secretariat.next.issue", count=to_issue)
    if waiting:
        return tr("gui.secretariat.next.wait", count=waiting, overdue=overdue)
    if decisions == 0:
        return tr("gui.secretariat.next.aggregate")
    return tr("gui.secretariat.next.decide", count=decisions)


def state_text(state: ReviewerState, revision: int | None, overdue: bool) -> str:
    text = tr(f"secretariat.state.{state.value}")
    if state is ReviewerState.RETURNED and revision is not None:
        text = tr("gui.secretariat.overview.returned_rev", revision=revision)
    if overdue:
        text += tr("gui.secretariat.overview.overdue_mark")
    return text


class OverviewPanel(QWidget):
    def __init__(self, sec: Secretariat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatOverview")
        self.sec = sec
        self.round_id: str | None = None
        self.overview: RoundOverview | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.next_label = QLabel(self)
        self.next_label.setObjectName("overviewNext")
        self.next_label.setWordWrap(True)
        self.next_label.setStyleSheet("QLabel { background: #e8f0fe; border: 1px solid #8ab4f8; padding: 6px; }")
        self.status_view, self.status_model, _ = make_table(self, "reviewerStatus", sortable=True)
        self.tables = QTabWidget(self)
        self.proposals_view, self.proposals_model, _ = make_table(self, "proposalsTable", sortable=True)
        self.reviewers_view, self.reviewers_model, _ = make_table(self, "reviewersTable", sortable=True)
        self.assign_view, self.assign_model, _ = make_table(self, "assignmentsTable", sortable=True)
        for v in (self.proposals_view, self.reviewers_view, self.assign_view):
            self.tables.addTab(v, "")
        self.status_title = QLabel(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(split)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.status_title)
        tl.addWidget(self.status_view)
        split.addWidget(top)
        split.addWidget(self.tables)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.next_label)
        lay.addWidget(split, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.status_title.setText(tr("gui.secretariat.overview.status_title"))
        for n, key in enumerate(("proposals", "reviewers", "assignments")):
            self.tables.setTabText(n, tr(f"gui.secretariat.overview.tab_{key}"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self) -> None:
        rid = self.round_id
        if rid is None:
            self.summary.setText(tr("gui.secretariat.overview.no_round"))
            self.next_label.setText(tr("gui.secretariat.next.setup"))
            for m in (self.status_model, self.proposals_model, self.reviewers_model, self.assign_model):
                m.set_rows([], [])
            return
        ov = self.overview = self.sec.overview(rid)
        s = ov.summary
        self.summary.setText(tr("gui.secretariat.overview.summary", title=s.title, round=s.round_id,
                                deadline=s.deadline or "—", rubric=s.rubric_name, proposals=s.proposals,
                                reviewers=s.reviewers, assignments=s.assignments, issued=s.issued, returned=s.returned,
                                decisions=s.decisions))
        self.next_label.setText(tr("gui.secretariat.next.prefix") + next_step(ov, s.decisions))
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        self.status_model.set_rows(
            [c("reviewer"), c("name"), c("assigned"), c("state"), c("issued_at"), c("bundle")],
            [[r.reviewer_id, r.name, r.assigned, state_text(r.state, r.revision, r.overdue), r.issued_at or "",
              (r.bundle_id or "")[:12]] for r in ov.reviewers])
        self.proposals_model.set_rows(
            [c("proposal"), c("title"), c("institution"), c("type"), c("region"), c("pdf")],
            [[p.meta.proposal_id, p.meta.title, p.meta.institution, p.meta.institution_type, p.meta.region,
              p.pdf_path.name] for p in self.sec.proposals(rid)])
        self.reviewers_model.set_rows(
            [c("reviewer"), c("name"), c("affiliation")],
            [[r.reviewer_id, r.name, r.affiliation] for r in self.sec.reviewers(rid)])
        conflicts = {(x.reviewer_id, x.proposal_id) for x in self.sec.conflicts(rid)}
        self.assign_model.set_rows(
            [c("reviewer"), c("proposal"), c("conflict")],
            [[r, p, tr("gui.secretariat.overview.conflict_mark") if (r, p) in conflicts else ""]
             for r, p in self.sec.assignments(rid)])
        for v in (self.status_view, self.proposals_view, self.reviewers_view, self.assign_view):
            v.resizeColumnsToContents()
