"""What the round view does with each edit: commit it through the service, show the answer.

Grades and the 「判断できない」 flag are committed at once. Typed text (comments, reasons,
figures, the private note) goes through ``PendingEdits``: committed after a pause, on
leaving the box, and before anything else happens. After each commit the service's fresh
answer for that proposal is shown (``RoundView._refresh``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from ...core.errors import ReviewerAppError
from ...core.scoring import Entry
from ...i18n import describe_error
from ..errors import show_error
from .item_editor import FIGURE, ItemEditor
from .scoring_form import CONFLICT, OPEN

if TYPE_CHECKING:
    from .round_view import RoundView

    _Base = RoundView
else:
    _Base = object


class EditFlow(_Base):
    def _editor(self, item_id: str) -> ItemEditor:
        return self.form.editors[item_id]

    def _apply(self, proposal_id: str, entry: Entry) -> None:
        if proposal_id == self.current:
            self.form.show_entry(entry)
        self._refresh(proposal_id)

    def _grade(self, item_id: str, mark: str | None) -> None:
        pid = self.current
        if pid is None or self.form.mode != OPEN:
            return
        try:
            prefill = self._editor(item_id).prefilled_figure()
            if mark is not None and prefill is not None:
                # The secretariat's figure was shown as the item's figure: grading accepts it.
                self.edits.discard(("figure", pid, item_id))
                self.ws.record_figure(self.bundle_id, pid, item_id, prefill)
            entry = self.ws.record_grade(self.bundle_id, pid, item_id, mark)
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        self.edits.note_committed()
        self._apply(pid, entry)

    def _unjudgeable(self, item_id: str, on: bool) -> None:
        pid = self.current
        if pid is None or self.form.mode != OPEN:
            return
        ed = self._editor(item_id)
        self.edits.discard(("reason", pid, item_id))
        try:
            if on:
                entry = self.ws.set_unjudgeable(self.bundle_id, pid, item_id, ed.reason.toPlainText())
            else:
                entry = self.ws.clear_unjudgeable(self.bundle_id, pid, item_id)
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        self.edits.note_committed()
        self._apply(pid, entry)
        if on:
            ed.focus_field("reason")

    def _schedule(self, key: tuple[str, ...], call: Any) -> None:
        pid = key[1]

        def commit() -> None:
            result = call()
            if isinstance(result, Entry):
                self._apply(pid, result)
            elif pid is not None:
                self._refresh(pid)

        self.edits.schedule(key, commit)

    def _comment_typed(self, item_id: str, text: str) -> None:
        pid = self.current
        if pid is not None and self.form.mode == OPEN:
            self._schedule(("comment", pid, item_id),
                           lambda: self.ws.record_comment(self.bundle_id, pid, item_id, text))

    def _reason_typed(self, item_id: str, text: str) -> None:
        pid = self.current
        if pid is not None and self.form.mode == OPEN:
            self._schedule(("reason", pid, item_id),
                           lambda: self.ws.set_unjudgeable(self.bundle_id, pid, item_id, text))

    def _figure_typed(self, item_id: str, text: str) -> None:
        pid = self.current
        if pid is not None and self.form.mode == OPEN:
            value = text.strip() or None
            self._schedule(("figure", pid, item_id), lambda: self._record_figure(pid, item_id, value))

    def _record_figure(self, proposal_id: str, item_id: str, value: str | None) -> Entry:
        entry = self.ws.record_figure(self.bundle_id, proposal_id, item_id, value)
        if proposal_id == self.current:
            self._editor(item_id).show_figure_error(None)
        return entry

    def _named_figure_typed(self, item_id: str, name: str, text: str) -> None:
        pid = self.current
        if pid is not None and self.form.mode == OPEN:
            value = text.strip() or None
            self._schedule(("named", pid, name), lambda: self._record_named_figure(pid, item_id, name, value))

    def _record_named_figure(self, proposal_id: str, item_id: str, name: str, value: str | None) -> Entry:
        entry = self.ws.record_named_figure(self.bundle_id, proposal_id, name, value)
        box = self._editor(item_id).checks_box
        if proposal_id == self.current and box is not None:
            box.show_error(name, None)
        return entry

    def _note_typed(self, text: str) -> None:
        pid = self.current
        if pid is not None and self.form.mode in (OPEN, CONFLICT):
            self.edits.schedule(("note", pid), lambda: self.ws.record_note(self.bundle_id, pid, text))

    def _field_left(self, item_id: str, field: str) -> None:
        if self.current is not None:
            self.edits.commit((field, self.current, item_id))

    def _edit_failed(self, key: Any, exc: BaseException) -> None:
        if key[0] == FIGURE and len(key) == 3 and key[1] == self.current and isinstance(exc, ReviewerAppError):
            self._editor(key[2]).show_figure_error(describe_error(exc))
            return
        if key[0] == "named" and key[1] == self.current and isinstance(exc, ReviewerAppError):
            box = self._editor(self.rubric.figure_check(key[2]).item_id).checks_box
            if box is not None:
                box.show_error(key[2], describe_error(exc))
                return
        show_error(self, exc)

    def _navigate(self, item_id: str, delta: int) -> None:
        target = self.form.neighbour(item_id, delta)
        if target is None:
            QApplication.beep()
            return
        self.form.focus_item(target)
