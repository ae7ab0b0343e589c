"""One round at a glance: where it stands, what to do next, and its proposals, reviewers and assignments.

The return status per reviewer uses the service's states (未配布 / 配布済み・未返却 / 返却済み 第n版 /
要再配布) with 期限超過 marked; 「次にすること」 is derived from those counts so a clerk never
has to know the order of the steps by heart.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ...i18n import tr
from ...paths import resource_path
from ...services.secretariat import ReviewerState, RoundOverview, Secretariat
from .common import Coloured, local_time, make_table

#: Overdue reviewers named in 「次にすること」 before the rest are counted.
NAMED_OVERDUE = 3
OVERDUE_COLOUR = "#b3261e"


def next_action(ov: RoundOverview | None, decisions: int = 0) -> tuple[str, str]:
    """(the one sentence telling the clerk what to do now, where to go for it: "setup" or a tab's name)."""
    if ov is None:
        return tr("gui.secretariat.next.setup", example=str(resource_path("demo", "round-example"))), "setup"
    states = [r.state for r in ov.reviewers if r.state is not ReviewerState.NO_ASSIGNMENT]
    to_issue = sum(1 for s in states if s in (ReviewerState.NOT_ISSUED, ReviewerState.NEEDS_REISSUE))
    waiting = [r for r in ov.reviewers if r.state is ReviewerState.ISSUED]
    returned = sum(1 for s in states if s is ReviewerState.RETURNED)
    if not states:
        return tr("gui.secretariat.next.assign"), "setup"
    if to_issue:
        return tr("gui.secretariat.next.issue", count=to_issue), "secretariatIssue"
    if waiting:
        text = tr("gui.secretariat.next.wait", count=len(waiting))
        late = [r for r in waiting if r.overdue]
        if late:
            names = "、".join(f"{r.reviewer_id} {r.name}".strip() for r in late[:NAMED_OVERDUE])
            if len(late) > NAMED_OVERDUE:
                names = tr("gui.secretariat.next.and_more", names=names, more=len(late) - NAMED_OVERDUE)
            text += tr("gui.secretariat.next.overdue", names=names)
        if returned:
            text += tr("gui.secretariat.next.partial", count=returned)
        return text, "secretariatImport"
    if decisions == 0:
        return tr("gui.secretariat.next.aggregate"), "secretariatAggregation"
    return tr("gui.secretariat.next.decide", count=decisions), "secretariatDecisions"


def next_step(ov: RoundOverview, decisions: int) -> str:
    """The sentence of ``next_action`` alone."""
    return next_action(ov, decisions)[0]


def state_text(state: ReviewerState, revision: int | None, overdue: bool) -> str:
    text = tr(f"secretariat.state.{state.value}")
    if state is ReviewerState.RETURNED and revision is not None:
        text = tr("gui.secretariat.overview.returned_rev", revision=revision)
    if overdue:
        return Coloured(text + tr("gui.secretariat.overview.overdue_mark"), OVERDUE_COLOUR)
    return text


class OverviewPanel(QWidget):
    #: The clerk pressed the next-step button: "setup" or the name of the tab to show.
    next_requested = Signal(str)

    def __init__(self, sec: Secretariat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatOverview")
        self.sec = sec
        self.round_id: str | None = None
        self.overview: RoundOverview | None = None
        self.next_target = "setup"
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_box = QWidget(self)
        self.next_box.setObjectName("overviewNextBox")
        self.next_box.setStyleSheet("QWidget#overviewNextBox { background: #e8f0fe; border: 1px solid #8ab4f8; }")
        self.next_label = QLabel(self.next_box)
        self.next_label.setObjectName("overviewNext")
        self.next_label.setWordWrap(True)
        self.next_button = QPushButton(self.next_box)
        self.next_button.setObjectName("overviewNextButton")
        self.next_button.clicked.connect(lambda: self.next_requested.emit(self.next_target))
        nl = QHBoxLayout(self.next_box)
        nl.setContentsMargins(8, 6, 8, 6)
        nl.addWidget(self.next_label, 1)
        nl.addWidget(self.next_button)
        self.status_view, self.status_model, _ = make_table(self, "reviewerStatus", sortable=True)
        self.tables = QTabWidget(self)
        self.proposals_view, self.proposals_model, _ = make_table(self, "proposalsTable", sortable=True)
        self.reviewers_view, self.reviewers_model, _ = make_table(self, "reviewersTable", sortable=True)
        self.assign_view, self.assign_model, _ = make_table(self, "assignmentsTable", sortable=True)
        for v in (self.proposals_view, self.reviewers_view, self.assign_view):
            self.tables.addTab(v, "")
        self.status_title = QLabel(self)
        split = self.split = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(split)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.status_title)
        tl.addWidget(self.status_view)
        split.addWidget(top)
        split.addWidget(self.tables)
        lay = self.lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.next_box)
        lay.addWidget(split, 1)
        lay.addStretch(0)  # takes the space while the tables are hidden (no round yet)
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
            self.overview = None
            self.summary.setText(tr("gui.secretariat.overview.no_round"))
            self._show_next(*next_action(None))
            self.split.hide()  # empty tables say nothing; the next step says what to do
            self.lay.setStretch(3, 1)
            for m in (self.status_model, self.proposals_model, self.reviewers_model, self.assign_model):
                m.set_rows([], [])
            return
        self.split.show()
        self.lay.setStretch(3, 0)
        ov = self.overview = self.sec.overview(rid)
        s = ov.summary
        rubric = self.sec.rubric(rid)
        self.summary.setText(tr("gui.secretariat.overview.summary", title=s.title, round=s.round_id,
                                deadline=s.deadline or "—", rubric=rubric.title or s.rubric_name,
                                proposals=s.proposals, reviewers=s.reviewers, assignments=s.assignments,
                                issued=s.issued, returned=s.returned, decisions=s.decisions))
        self._show_next(*next_action(ov, s.decisions))
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        self.status_model.set_rows(
            [c("reviewer"), c("name"), c("assigned"), c("state"), c("issued_at"), c("bundle")],
            [[r.reviewer_id, r.name, r.assigned, state_text(r.state, r.revision, r.overdue), local_time(r.issued_at),
              (r.bundle_id or "")[:12]] for r in ov.reviewers])
        self.proposals_model.set_rows(
            [c("proposal"), c("proposal_title"), c("institution"), c("type"), c("region"), c("pdf")],
            [[p.meta.proposal_id, p.meta.title, p.meta.institution, p.meta.institution_type, p.meta.region,
              p.pdf_path.name] for p in self.sec.proposals(rid)])
        self.reviewers_model.set_rows(
            [c("reviewer"), c("name"), c("affiliation")],
            [[r.reviewer_id, r.name, r.affiliation] for r in self.sec.reviewers(rid)])
        # A conflict from conflicts.csv is never an assignment (the check refuses that), so a column
        # marking assigned pairs stayed empty: the known conflicts are rows of their own, with the reason.
        pairs = self.sec.assignments(rid)
        assigned = set(pairs)
        rows = [[r, p, ""] for r, p in pairs]
        for x in self.sec.conflicts(rid):
            if (x.reviewer_id, x.proposal_id) not in assigned:
                rows.append([x.reviewer_id, x.proposal_id,
                             Coloured(tr("gui.secretariat.overview.conflict_row", reason=x.reason or "—"), OVERDUE_COLOUR)])
        rows.sort(key=lambda row: (row[0], row[1]))
        self.assign_model.set_rows([c("reviewer"), c("proposal"), c("conflict")], rows)
        for v in (self.status_view, self.proposals_view, self.reviewers_view, self.assign_view):
            v.resizeColumnsToContents()

    def _show_next(self, text: str, target: str) -> None:
        self.next_target = target
        self.next_label.setText(tr("gui.secretariat.next.prefix") + text)
        self.next_button.setText(tr(f"gui.secretariat.next.go.{target}"))
