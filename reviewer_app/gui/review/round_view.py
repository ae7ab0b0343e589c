"""One open round: proposal list | proposal PDF | scoring form, findings and distribution.

The view is the only place that calls the workspace service for the round. Every edit goes
straight through the service (grades at once, typed text through :class:`PendingEdits`), and
what is shown afterwards — points, totals, band, findings, list status, distribution — is
the service's fresh answer for the proposal that changed. Pending text is committed before
the proposal changes, when the window loses focus, and in :meth:`flush` (close and quit).

Before a proposal's PDF is shown for the first time the reviewer answers the conflict of
interest question. The two flows live beside this module: :mod:`.edit_flow` (each edit to
the service and back) and :mod:`.conflict_flow` (the question, declaring, withdrawing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ...core.errors import ReviewerAppError
from ...core.scoring import Finding, FindingCode, ProposalResult, Severity
from ...i18n import tr
from ...services.rubrics import finding_message
from ...services.workspace import ProposalStatus, Workspace
from ..errors import show_error
from ..settings import app_settings
from .conflict_dialog import ConflictDialog
from .conflict_flow import ConflictFlow
from .distribution_chart import DistributionChart
from .edit_flow import EditFlow
from .findings_panel import FindingsPanel, finding_field
from .item_editor import GRADE
from .pdf_view import PdfPane
from .proposal_list import ProposalList
from .round_actions import build_actions
from .saved_indicator import PendingEdits, SavedIndicator
from .scoring_form import CONFLICT, OPEN, UNCONFIRMED, ScoringForm
from .shortcuts_dialog import ShortcutsDialog


class RoundView(ConflictFlow, EditFlow, QWidget):
    #: Going back to the rounds (the contract's hook; the application window's own 「ラウンド一覧」
    #: action and toolbar button do it today, so the view has no second button for it).
    close_requested = Signal()

    def __init__(self, workspace: Workspace, bundle_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roundView")
        self.ws, self.bundle_id = workspace, bundle_id
        self.info = workspace.round_info(bundle_id)
        self.rubric = self.info.rubric
        self.settings = app_settings()
        self.current: str | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.overview_dialog: Any = None
        self._pending_focus: tuple[str, str] | None = None

        self._round_timer = QTimer(self)
        self._round_timer.setSingleShot(True)
        self._round_timer.setInterval(0)
        self._round_timer.timeout.connect(self.refresh_round)
        self.edits = PendingEdits(self)
        self.edits.failed.connect(self._edit_failed)
        self.saved = SavedIndicator(self.edits)
        self.list = ProposalList()
        self.pdf = PdfPane(workspace, self)
        # While the conflict question is open or a conflict is declared, the PDF is not shown:
        # the middle pane says why instead of a blank viewer.
        self.pdf_closed = QLabel()
        self.pdf_closed.setObjectName("pdfClosed")
        self.pdf_closed.setWordWrap(True)
        self.pdf_closed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pdf_closed.setMargin(32)
        self.pdf_closed.setStyleSheet("QLabel#pdfClosed { color: #4b5563; background: #eef0f3; }")
        self.center = QStackedWidget()
        self.center.addWidget(self.pdf)
        self.center.addWidget(self.pdf_closed)
        self.form = ScoringForm(self.rubric, self.saved)
        self.findings = FindingsPanel(self.rubric)
        bands = self.rubric.bands
        self.chart = DistributionChart(self.rubric.viewpoint(bands.viewpoint_id).label if bands else "")
        self.chart.setVisible(bands is not None)  # a rubric without bands has no distribution

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.setSpacing(0)
        bl.addWidget(self.findings, 1)
        bl.addWidget(self.chart)
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.addWidget(self.form)
        self.side.addWidget(bottom)
        self.side.setStretchFactor(0, 4)
        self.side.setStretchFactor(1, 1)
        self.side.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("roundSplitter")
        for w in (self.list, self.center, self.side):
            self.splitter.addWidget(w)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)
        self._restore_layout()

        self.actions = build_actions(self, {
            "export": self.open_export, "print": self.open_print, "overview": self.open_overview,
            "next_proposal": lambda: self.step_proposal(1), "previous_proposal": lambda: self.step_proposal(-1),
            "focus_list": self.list.tree.setFocus, "focus_pdf": self.pdf.setFocus, "focus_form": self.focus_form,
            "find_in_pdf": self.pdf.focus_search, "declare_conflict": self.declare_conflict,
            "shortcuts": self.show_shortcuts,
        })
        self.addActions(self.actions.all())
        self._connect()
        self.form.set_zoom(self.settings.value("form_zoom"))
        self._load_round()

    # --- layout -------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        state = self.settings.value("round_splitter")
        if state.isEmpty() or not self.splitter.restoreState(state):
            self.splitter.setSizes([240, 560, 640])
        side = self.settings.value("round_side_splitter")
        if side.isEmpty() or not self.side.restoreState(side):
            self.side.setSizes([640, 220])
        self.splitter.splitterMoved.connect(lambda *_: self.settings.set("round_splitter", self.splitter.saveState()))
        self.side.splitterMoved.connect(lambda *_: self.settings.set("round_side_splitter", self.side.saveState()))

    def _connect(self) -> None:
        self.list.chosen.connect(self.select_proposal)
        self.list.enter_pressed.connect(self.focus_form)
        self.list.help_requested.connect(self.show_shortcuts)
        for ed in self.form.editors.values():
            ed.grade_chosen.connect(self._grade)
            ed.unjudgeable_toggled.connect(self._unjudgeable)
            ed.comment_edited.connect(self._comment_typed)
            ed.reason_edited.connect(self._reason_typed)
            ed.figure_edited.connect(self._figure_typed)
            ed.named_figure_edited.connect(self._named_figure_typed)
            ed.named_figure_left.connect(lambda _item, name: self.edits.commit(("named", self.current, name)))
            ed.field_left.connect(self._field_left)
            ed.navigate.connect(self._navigate)
            ed.help_requested.connect(self.show_shortcuts)
        self.form.note_edited.connect(self._note_typed)
        self.form.note_left.connect(lambda: self.edits.commit(("note", self.current)))
        self.form.confirm_requested.connect(self._ask_conflict)
        self.form.declare_requested.connect(self.declare_conflict)
        self.form.withdraw_requested.connect(self.withdraw_conflict)
        self.findings.activated.connect(self.focus_item)
        self.settings.changed.connect(self._setting_changed)
        app = QCoreApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._app_state_changed)
            app.aboutToQuit.connect(self.edits.flush)  # a refusal is shown, never raised into Qt

    def _setting_changed(self, name: str, value: object) -> None:
        if name == "form_zoom":
            self.form.set_zoom(int(value))  # type: ignore[call-overload]

    # --- public API (the application window, the overview and export dialogs) ------------

    def menu_actions(self) -> dict[str, list[QAction]]:
        return self.actions.menus()

    def flush(self) -> None:
        """Commit every pending edit now; raises the service's refusal if one was refused."""
        try:
            self.edits.flush_or_raise()
        finally:
            if self._round_timer.isActive():
                self.refresh_round()

    def select_proposal(self, proposal_id: str) -> None:
        if proposal_id == self.current:
            self.list.select(proposal_id)
            return
        self.edits.flush()
        self.current = proposal_id
        self._pending_focus = None
        self.list.select(proposal_id)
        self._show_current()

    def focus_item(self, proposal_id: str, item_id: str, field: str = GRADE) -> None:
        """Open ``proposal_id`` and put the focus on one of an item's controls."""
        self.select_proposal(proposal_id)
        if self.form.mode == UNCONFIRMED:
            self._pending_focus = (item_id, field)  # once the conflict question is answered
        elif item_id:
            self.form.focus_item(item_id, field)
        else:
            self.focus_form()

    def focus_finding(self, proposal_id: str, item_id: str) -> None:
        """Go to the control that resolves the proposal's most pressing finding on ``item_id``."""
        field = GRADE
        for pf in self.ws.findings(self.bundle_id, proposal_id):
            if pf.finding.item_id == item_id:
                field = finding_field(pf.finding)
                break
        self.focus_item(proposal_id, item_id, field)

    def focus_form(self) -> None:
        if self.current is not None:
            self.form.focus_item(self.form.first_open_item())

    def step_proposal(self, delta: int) -> None:
        target = self.list.neighbour(self.current, delta)
        if target is None:
            QApplication.beep()
            return
        in_form = self.form.isAncestorOf(QApplication.focusWidget())
        self.select_proposal(target)
        if in_form and self.form.mode == OPEN:
            self.focus_form()

    # --- loading ------------------------------------------------------------------------

    def _load_round(self) -> None:
        rows = self.ws.proposals(self.bundle_id)
        self.list.set_rows(rows)
        by_pid: dict[str, list[Finding]] = {r.proposal_id: [] for r in rows}
        for pf in self.ws.findings(self.bundle_id):
            by_pid[pf.proposal_id].append(pf.finding)
        self.findings.set_round(by_pid, {r.proposal_id: self._proposal_label(r) for r in rows}, None)
        self.chart.set_distribution(self._distribution())
        #: Where the reviewer starts: the first proposal with work left (shown once the view is on screen).
        self._start = next((r.proposal_id for r in rows if r.status not in (ProposalStatus.COMPLETE,
                                                                               ProposalStatus.CONFLICT)),
                           rows[0].proposal_id if rows else None)

    @staticmethod
    def _proposal_label(row: Any) -> str:
        return f"{row.proposal_id}　{row.institution}" if row.institution else row.proposal_id

    def _meta(self, proposal_id: str) -> Any:
        try:
            return self.ws.proposal_meta(self.bundle_id, proposal_id)
        except ReviewerAppError:
            return None  # the bundle is not open in memory: ids only, no titles

    def _item_findings(self, result: ProposalResult, conflicted: bool) -> dict[str, list[tuple[Severity, str]]]:
        out: dict[str, list[tuple[Severity, str]]] = {}
        if conflicted:
            return out
        for f in result.findings:
            if f.code is FindingCode.MISSING_GRADE:
                continue  # the card's empty grade buttons say it already; the findings panel lists it
            out.setdefault(f.item_id, []).append((f.severity, finding_message(self.rubric, f)))
        return out

    def _show_current(self) -> None:
        pid = self.current
        if pid is None:
            return
        conflicts = self.ws.conflicts(self.bundle_id)
        entries = self.ws.entries(self.bundle_id, pid)
        result = self.ws.proposal_result(self.bundle_id, pid)
        if pid in conflicts:
            mode = CONFLICT
        elif self._confirmed(pid, entries):
            mode = OPEN
        else:
            mode = UNCONFIRMED
        self.form.show_proposal(pid, self._meta(pid), entries, result, self._item_findings(result, pid in conflicts),
                                self.ws.note(self.bundle_id, pid), mode, conflicts.get(pid, ""))
        self.findings.set_current(pid)
        if mode == OPEN:
            self.center.setCurrentWidget(self.pdf)
            self.pdf.show_proposal(self.bundle_id, pid)
        else:
            self.pdf.clear()
            key = "gui.review.form.pdf_conflict" if mode == CONFLICT else "gui.review.form.pdf_unconfirmed"
            self.pdf_closed.setText(tr(key, proposal=pid))
            self.center.setCurrentWidget(self.pdf_closed)
        if mode == UNCONFIRMED:
            QTimer.singleShot(0, self._ask_conflict)

    def _refresh(self, proposal_id: str) -> None:
        """After a committed change: the service's new result for the proposal, at once.

        The round-wide views (list statuses, distribution, overview) ask the service about
        every proposal, so they follow on the next turn of the event loop, once for a burst
        of keys (``refresh_round``); ``flush`` brings them up to date before anything else.
        """
        conflicted = proposal_id in self.ws.conflicts(self.bundle_id)
        result = self.ws.proposal_result(self.bundle_id, proposal_id)
        if proposal_id == self.current:
            self.form.show_result(result, self._item_findings(result, conflicted))
        self.findings.update_proposal(proposal_id, () if conflicted else result.findings)
        self._round_timer.start()

    def _distribution(self) -> Any:
        return self.ws.distribution(self.bundle_id) if self.rubric.bands is not None else None

    def round_refresh_pending(self) -> bool:
        return self._round_timer.isActive()

    def refresh_round(self) -> None:
        """List statuses, the distribution and the overview, as the service now sees the round."""
        self._round_timer.stop()
        for row in self.ws.proposals(self.bundle_id):
            self.list.update_row(row)
        self.chart.set_distribution(self._distribution())
        if self.overview_dialog is not None and self.overview_dialog.isVisible():
            self.overview_dialog.refresh()

    # --- dialogs hosted here ----------------------------------------------------------------

    def _flush_for_dialog(self) -> bool:
        try:
            self.flush()
        except ReviewerAppError as exc:
            show_error(self, exc)
            return False
        return True

    def open_overview(self) -> None:
        if not self._flush_for_dialog():
            return
        from .overview import OverviewDialog

        if self.overview_dialog is None:
            dialog = OverviewDialog(self.ws, self.bundle_id, self)
            dialog.cell_activated.connect(lambda pid, item_id: self._from_dialog(dialog, pid, item_id, GRADE))
            self.overview_dialog = dialog
        self.overview_dialog.show()  # refreshes itself when shown
        self.overview_dialog.raise_()
        self.overview_dialog.activateWindow()

    def open_export(self) -> None:
        if not self._flush_for_dialog():
            return
        from .export_dialog import ExportDialog

        dialog = ExportDialog(self.ws, self.bundle_id, self)
        dialog.finding_activated.connect(lambda pid, item_id: self._from_dialog(dialog, pid, item_id, None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.finished.connect(lambda *_: self._after_export())
        dialog.open()

    def _after_export(self) -> None:
        self.export_dialog = None
        self.refresh_round()

    def open_print(self) -> None:
        if not self._flush_for_dialog():
            return
        from .print_dialog import PrintDialog

        dialog = PrintDialog(self.ws, self.bundle_id, self.current, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog = dialog
        dialog.open()

    def _from_dialog(self, dialog: QWidget, proposal_id: str, item_id: str, field: str | None) -> None:
        """A finding or a cell was activated in a dialog: close a modal one, go to the item."""
        if dialog.isModal():
            dialog.close()
        if field is None:
            self.focus_finding(proposal_id, item_id)
        else:
            self.focus_item(proposal_id, item_id, field)
        self.window().activateWindow()

    def show_shortcuts(self) -> None:
        # The round's own commands first, then the application window's (zoom, close, quit …).
        window_actions = [a for a in self.window().findChildren(QAction) if a not in self.actions.all()]
        dialog = ShortcutsDialog(self.actions.all() + window_actions, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()

    # --- saving on window switch, language -------------------------------------------------

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive and self.isVisible():
            self.edits.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.current is None and self._start is not None:
            # After the window is painted, so the conflict question appears over the round.
            QTimer.singleShot(0, lambda: self.current is None and self.isVisible() and self.select_proposal(self._start))

    def hideEvent(self, event: QHideEvent) -> None:
        # Going off screen (closed, or replaced by the start screen): commit what is typed and
        # stop the round-wide refresh, so nothing reaches the service after the view is gone.
        self.edits.flush()
        self._round_timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.edits.flush()
        elif event.type() == QEvent.Type.LanguageChange:
            self.actions.retranslate()
            if self.current is not None and self.isVisible():  # a closed view no longer asks the service
                self._show_current_texts()
        super().changeEvent(event)

    def _show_current_texts(self) -> None:
        """Finding messages are translated text: show them again in the new language."""
        pid = self.current
        assert pid is not None
        conflicted = pid in self.ws.conflicts(self.bundle_id)
        result = self.ws.proposal_result(self.bundle_id, pid)
        self.form.show_result(result, self._item_findings(result, conflicted))

    def proposals_shown(self) -> Sequence[str]:
        return self.list.ids()
