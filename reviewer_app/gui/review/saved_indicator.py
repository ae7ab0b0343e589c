"""Typed text reaches the database ≤ 500 ms after the last keystroke, and the window says so.

Grades are committed the moment they are chosen. Text (comments, reasons, figures, the
private note) is committed by :class:`PendingEdits` once the reviewer pauses for
``DELAY_MS``, and at once on focus loss, proposal switch, window switch and quit
(:meth:`PendingEdits.flush`). The indicator shows "saved" only after the service returned
from its COMMIT, so whatever it showed as saved survives closing or killing the app.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Hashable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ...core.errors import ReviewerAppError
from ...i18n import tr
from . import theme

DELAY_MS = 500


class SaveState(enum.Enum):
    SAVED = "saved"
    PENDING = "pending"
    FAILED = "failed"


class PendingEdits(QObject):
    """Edits waiting to be committed, newest value per field; one timer for all of them.

    ``schedule(key, commit)`` replaces any waiting commit for the same field, so a burst of
    keystrokes costs one database write. ``commit`` closures capture the value at schedule
    time, which keeps them right even if the form is refilled for another proposal.
    """

    #: Emitted after every change of state, and after each successful commit.
    state_changed = Signal(object)
    #: A commit refused by the service (typed error): shown by the owner, the edit stays pending.
    failed = Signal(object, object)  # key, exception

    def __init__(self, parent: QObject | None = None, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self._waiting: dict[Hashable, Callable[[], object]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self.state = SaveState.SAVED
        self.saved_at: float | None = None

    def schedule(self, key: Hashable, commit: Callable[[], object]) -> None:
        self._waiting[key] = commit
        self._timer.start()
        if self.state is not SaveState.PENDING:
            self._set_state(SaveState.PENDING)

    def is_pending(self, key: Hashable | None = None) -> bool:
        return bool(self._waiting) if key is None else key in self._waiting

    def discard(self, key: Hashable) -> None:
        self._waiting.pop(key, None)
        if not self._waiting:
            self._timer.stop()
            if self.state is SaveState.PENDING:
                self._set_state(SaveState.SAVED)

    def commit(self, key: Hashable) -> bool:
        """Commit one field now (its editor lost focus). False if the service refused it."""
        fn = self._waiting.pop(key, None)
        if fn is None:
            return True
        ok = self._run(key, fn)
        if not self._waiting:
            self._timer.stop()
        self._settle(ok)
        return ok

    def flush(self) -> bool:
        """Commit everything waiting; True when nothing is left unsaved (refusals are emitted)."""
        return not self._flush(report=True)

    def flush_or_raise(self) -> None:
        """Commit everything waiting; raise the first refusal (closing must then stop)."""
        errors = self._flush(report=False)
        if errors:
            raise errors[0]

    def _flush(self, report: bool) -> list[ReviewerAppError]:
        self._timer.stop()
        errors: list[ReviewerAppError] = []
        for key in list(self._waiting):
            fn = self._waiting.pop(key)
            try:
                fn()
            except ReviewerAppError as exc:
                errors.append(exc)
                if report:
                    self.failed.emit(key, exc)
        self._settle(not errors)
        return errors

    def note_committed(self) -> None:
        """An immediate edit (a grade) was committed by its caller."""
        self._settle(True)

    def _run(self, key: Hashable, fn: Callable[[], object]) -> bool:
        try:
            fn()
        except ReviewerAppError as exc:
            self.failed.emit(key, exc)
            return False
        return True

    def _settle(self, ok: bool) -> None:
        if not ok:
            self._set_state(SaveState.FAILED)
            return
        self.saved_at = time.time()
        self._set_state(SaveState.PENDING if self._waiting else SaveState.SAVED)

    def _set_state(self, state: SaveState) -> None:
        self.state = state
        self.state_changed.emit(state)


class SavedIndicator(QWidget):
    """「保存済み 14:03:12」 / 「入力中…（まもなく保存）」 / 「保存できませんでした」, with a shape per state."""

    def __init__(self, edits: PendingEdits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edits = edits
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName("muted")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self._icon)
        lay.addWidget(self._text)
        self._shown: tuple[SaveState, str] | None = None
        edits.state_changed.connect(self._show)
        self.retranslate()

    def retranslate(self) -> None:
        self._shown = None
        self._show(self._edits.state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def text(self) -> str:
        return self._text.text()

    def _show(self, state: SaveState) -> None:
        if state is SaveState.SAVED:
            at = self._edits.saved_at
            text = (tr("gui.review.saved.saved_at", time=time.strftime("%H:%M:%S", time.localtime(at)))
                    if at is not None else tr("gui.review.saved.saved"))
            icon, color = "✓", theme.COMPLETE
        elif state is SaveState.PENDING:
            text, icon, color = tr("gui.review.saved.pending"), "●", theme.REMINDER
        else:
            text, icon, color = tr("gui.review.saved.failed"), "⚠", theme.BLOCKING
        if self._shown == (state, text):
            return
        self._shown = (state, text)
        self._icon.setText(icon)
        self._icon.setStyleSheet(f"color: {color.name()};")
        self._text.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(tr("gui.review.saved.tooltip"))
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
