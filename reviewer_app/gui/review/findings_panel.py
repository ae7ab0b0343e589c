"""The findings panel: what blocks the export and what the reviewer may want to look at again.

Findings come from the workspace service (the same engine the export check uses) and are
worded exactly as the CLI and the sheets word them (``services.rubrics.finding_message``).
Activating one (Enter, double-click or a click) asks the round view to open that proposal
and put the focus on the control that resolves it: the comment for a missing comment, the
reason for a missing reason, the 観点's figure for a figure below its level, the grade
otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import Rubric
from ...core.scoring import Finding, FindingCode, Severity
from ...i18n import tr
from ...services.rubrics import finding_message
from .item_editor import COMMENT, FIGURE, GRADE, REASON
from .status_icons import severity_icon

ROLE = Qt.ItemDataRole.UserRole

_FIELD = {
    FindingCode.COMMENT_REQUIRED: COMMENT,
    FindingCode.COMMENT_RECOMMENDED: COMMENT,
    FindingCode.LEVEL_DIFFERS_FROM_FIGURE: COMMENT,
    FindingCode.UNJUDGEABLE_REASON_REQUIRED: REASON,
    FindingCode.FIGURE_BELOW_LEVEL: FIGURE,
    FindingCode.FIGURE_BELOW_LEVEL_STRICT: FIGURE,
    FindingCode.FIGURE_BELOW_TARGET: FIGURE,
}


def finding_field(finding: Finding) -> str:
    """Which of the item's controls resolves the finding."""
    return _FIELD.get(finding.code, GRADE)


def ordered(rubric: Rubric, findings: Sequence[Finding]) -> list[Finding]:
    """Blocking first, then in the rubric's order."""
    pos = {item.id: i for i, item in enumerate(rubric.items)}
    return sorted(findings, key=lambda f: (f.severity is not Severity.BLOCKING, pos.get(f.item_id, 0)))


class FindingsPanel(QWidget):
    #: proposal id, item id ("" for the proposal itself), field
    activated = Signal(str, str, str)

    def __init__(self, rubric: Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self._findings: dict[str, tuple[Finding, ...]] = {}
        self._labels: dict[str, str] = {}  # proposal id → "P001 大学名"
        self._order: list[str] = []
        self._current: str | None = None
        self._title = QLabel()
        self._summary = QLabel()
        self._summary.setObjectName("muted")
        self._summary.setWordWrap(True)
        self._this = QToolButton()
        self._all = QToolButton()
        group = QButtonGroup(self)
        for b in (self._this, self._all):
            b.setCheckable(True)
            b.setAutoRaise(True)
            group.addButton(b)
        self._this.setChecked(True)
        group.buttonToggled.connect(lambda *_: self._render())
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self._title)
        head.addStretch(1)
        head.addWidget(self._this)
        head.addWidget(self._all)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self._summary)
        lay.addWidget(self.tree, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(f"<b>{tr('gui.review.findings.title')}</b>")
        self._this.setText(tr("gui.review.findings.scope_proposal"))
        self._all.setText(tr("gui.review.findings.scope_round"))
        self._this.setToolTip(tr("gui.review.findings.scope_proposal_tip"))
        self._all.setToolTip(tr("gui.review.findings.scope_round_tip"))
        self.tree.setAccessibleName(tr("gui.review.findings.a11y"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- data -------------------------------------------------------------------------

    def set_round(self, findings: Mapping[str, Sequence[Finding]], labels: Mapping[str, str], current: str | None) -> None:
        """Every proposal's findings (a conflicted proposal has none), in the list's order."""
        self._order = list(labels)
        self._labels = dict(labels)
        self._findings = {pid: tuple(ordered(self.rubric, findings.get(pid, ()))) for pid in self._order}
        self._current = current
        self._render()

    def update_proposal(self, proposal_id: str, findings: Sequence[Finding]) -> None:
        new = tuple(ordered(self.rubric, findings))
        if self._findings.get(proposal_id) == new and all(
                a.detail == b.detail for a, b in zip(new, self._findings.get(proposal_id, ()))):
            return
        self._findings[proposal_id] = new
        self._render()

    def set_current(self, proposal_id: str | None) -> None:
        if proposal_id != self._current:
            self._current = proposal_id
            self._render()

    def set_scope_round(self, whole_round: bool) -> None:
        (self._all if whole_round else self._this).setChecked(True)

    def counts(self, proposal_id: str | None = None) -> tuple[int, int]:
        """(blocking, reminders) for one proposal or the whole round."""
        ids = self._order if proposal_id is None else [proposal_id]
        fs = [f for pid in ids for f in self._findings.get(pid, ())]
        blocking = sum(1 for f in fs if f.severity is Severity.BLOCKING)
        return blocking, len(fs) - blocking

    # --- drawing ----------------------------------------------------------------------

    def _row(self, pid: str, f: Finding, with_proposal: bool) -> QTreeWidgetItem:
        label = self.rubric.display_label(self.rubric.item(f.item_id))
        text = f"{label}　{finding_message(self.rubric, f)}"
        row = QTreeWidgetItem([text])
        row.setIcon(0, severity_icon(f.severity))
        row.setData(0, ROLE, (pid, f.item_id, finding_field(f)))
        row.setToolTip(0, f"{pid} {text}" if with_proposal else text)
        return row

    def _missing_row(self, pid: str, missing: Sequence[Finding]) -> QTreeWidgetItem:
        """Ungraded items in one row (「評点が未入力：視点1 ①②③ 視点2 ④⑤」), leading to the first."""
        by_viewpoint: dict[str, str] = {}
        for f in missing:
            item = self.rubric.item(f.item_id)
            vp = self.rubric.viewpoint(item.viewpoint_id).label
            by_viewpoint[vp] = by_viewpoint.get(vp, "") + item.label
        where = "　".join(f"{vp} {labels}" for vp, labels in by_viewpoint.items())
        text = tr("gui.review.findings.missing", count=len(missing), items=where)
        row = QTreeWidgetItem([text])
        row.setIcon(0, severity_icon(Severity.BLOCKING))
        row.setData(0, ROLE, (pid, missing[0].item_id, GRADE))
        row.setToolTip(0, text)
        return row

    def _rows_for(self, pid: str, with_proposal: bool) -> list[QTreeWidgetItem]:
        fs = self._findings.get(pid, ())
        missing = [f for f in fs if f.code is FindingCode.MISSING_GRADE]
        blocking = [f for f in fs if f.severity is Severity.BLOCKING and f.code is not FindingCode.MISSING_GRADE]
        reminders = [f for f in fs if f.severity is not Severity.BLOCKING]
        rows = [self._row(pid, f, with_proposal) for f in blocking]
        if missing:
            rows.append(self._missing_row(pid, missing))
        rows += [self._row(pid, f, with_proposal) for f in reminders]
        return rows

    def _render(self) -> None:
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        whole = self._all.isChecked()
        if whole:
            self.tree.setRootIsDecorated(True)
            for pid in self._order:
                fs = self._findings.get(pid, ())
                if not fs:
                    continue
                b = sum(1 for f in fs if f.severity is Severity.BLOCKING)
                parent = QTreeWidgetItem([tr("gui.review.findings.proposal_row", proposal=self._labels.get(pid, pid),
                                             blocking=b, reminders=len(fs) - b)])
                parent.setIcon(0, severity_icon(Severity.BLOCKING if b else Severity.REMINDER))
                parent.setData(0, ROLE, (pid, "", GRADE))
                parent.addChildren(self._rows_for(pid, True))
                self.tree.addTopLevelItem(parent)
                parent.setExpanded(pid == self._current)
        else:
            self.tree.setRootIsDecorated(False)
            if self._current is not None:
                self.tree.addTopLevelItems(self._rows_for(self._current, False))
        empty = self.tree.topLevelItemCount() == 0
        if empty:
            placeholder = QTreeWidgetItem([tr("gui.review.findings.none_round" if whole else "gui.review.findings.none")])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(placeholder)
        self.tree.setUpdatesEnabled(True)
        rb, rr = self.counts()
        if self._current is not None:
            pb, pr = self.counts(self._current)
            self._summary.setText(tr("gui.review.findings.summary", blocking=pb, reminders=pr, round_blocking=rb))
        else:
            self._summary.setText(tr("gui.review.findings.summary_round", blocking=rb, reminders=rr))

    def _activate(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        data = row.data(0, ROLE)
        if data:
            pid, item_id, field = data
            self.activated.emit(pid, item_id, field)
