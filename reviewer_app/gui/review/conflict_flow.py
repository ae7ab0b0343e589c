"""The conflict-of-interest flow of the round view (issue point 4).

Before a proposal's PDF is shown the first time, the reviewer answers 「利害関係なし」 or
declares a conflict with a reason. "No conflict" is recorded by the workspace
(``confirm_no_conflict``: in the store, audited, seen by the CLI too); work already recorded
for a proposal counts as answered. A
declaration goes through the service (``declare_conflict``), locks the form and leaves the
round's findings and distribution; it can be withdrawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ...core.errors import ReviewerAppError
from ...core.scoring import Entry
from ...i18n import tr
from ..errors import show_error
from .conflict_dialog import ConflictDialog
from .scoring_form import CONFLICT, OPEN, UNCONFIRMED

if TYPE_CHECKING:
    from .round_view import RoundView

    _Base = RoundView
else:
    _Base = object


class ConflictFlow(_Base):
    def _confirm(self, proposal_id: str) -> bool:
        """Record 「利害関係なし」 through the workspace (audited); False if it could not be saved."""
        try:
            self.ws.confirm_no_conflict(self.bundle_id, proposal_id)
        except ReviewerAppError as exc:
            show_error(self, exc)
            return False
        return True

    def _confirmed(self, proposal_id: str, entries: dict[str, Entry]) -> bool:
        # Work already recorded (here or with the CLI) means the question was answered then.
        return bool(entries) or proposal_id in self.ws.no_conflict_confirmed(self.bundle_id)

    def _ask_conflict(self, declaring: bool = False) -> None:
        pid = self.current
        if pid is None or self.conflict_dialog is not None or not self.isVisible():
            return
        if not declaring and self.form.mode != UNCONFIRMED:
            return
        meta = self._meta(pid)
        dialog = ConflictDialog(pid, getattr(meta, "title", "") or "", getattr(meta, "institution", "") or "", self,
                                declaring=declaring)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda code: self._conflict_answered(pid, dialog, code))
        dialog.open()

    def _conflict_answered(self, proposal_id: str, dialog: ConflictDialog, code: int) -> None:
        self.conflict_dialog = None
        dialog.deleteLater()
        if code != ConflictDialog.DialogCode.Accepted or proposal_id != self.current:
            return
        if dialog.declared():
            try:
                self.edits.flush()
                self.ws.declare_conflict(self.bundle_id, proposal_id, dialog.reason_text())
            except ReviewerAppError as exc:
                show_error(self, exc)
                return
            self.edits.note_committed()
            self._refresh(proposal_id)
        elif not self._confirm(proposal_id):
            return
        self._show_current()
        self.window().activateWindow()  # back from the dialog: the keyboard works in the form again
        pending, self._pending_focus = self._pending_focus, None
        if self.form.mode == OPEN:
            if pending is not None and pending[0]:
                self.form.focus_item(*pending)
            else:
                self.focus_form()

    def declare_conflict(self) -> None:
        if self.current is not None and self.form.mode in (OPEN, UNCONFIRMED):
            self._ask_conflict(declaring=True)

    def withdraw_conflict(self) -> None:
        pid = self.current
        if pid is None or self.form.mode != CONFLICT:
            return
        answer = QMessageBox.question(self, tr("gui.review.coi.withdraw_title"), tr("gui.review.coi.withdraw_question",
                                                                                     proposal=pid))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ws.withdraw_conflict(self.bundle_id, pid)
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        self._confirm(pid)
        self.edits.note_committed()
        self._refresh(pid)
        self._show_current()
        self.window().activateWindow()
        self.focus_form()
