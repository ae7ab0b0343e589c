"""A long service call with a progress bar and a Cancel button (issuing, importing).

The services take ``progress(done, total)`` and a ``cancel`` flag and stop at a unit boundary
keeping only complete work, so Cancel here only sets the flag: nothing is ever half-written.
Progress crosses from the worker thread through a queued signal, at most once per percent:
importing 1,000 files ticks 2,000 times, and a queued signal, a Python slot and a progress-bar
repaint per tick cost the GUI thread (and, through the GIL, the worker) a visible share of the
work; a hundred updates move the bar just as smoothly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...i18n import tr
from ..tasks import Op
from .common import ProgressRelay


class PercentThrottle:
    """Passes ``progress(done, total)`` on only when the whole percent changes (and the first and last tick).

    Deterministic (no clock): small batches still report every unit, large ones about a hundred times.
    """

    def __init__(self, target: Callable[[int, int], None]) -> None:
        self._target = target
        self._last: tuple[int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        step = (done * 100 // total, total) if total > 0 else (done, total)
        if step == self._last and done != total:
            return
        self._last = step
        self._target(done, total)


class ProgressRun(QWidget):
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("runProgress")
        self.label = QLabel(self)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("runCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.relay = ProgressRelay(self)
        self.relay.progress.connect(self._progress)
        self.flag = threading.Event()
        self.running = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.retranslate()
        self._idle()

    def retranslate(self) -> None:
        self.cancel_button.setText(tr("gui.secretariat.run.cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _idle(self) -> None:
        self.running = False
        self.cancel_button.setEnabled(False)

    def start(self, what: str, fn: Callable[[ProgressRelay, threading.Event], Any],
              done: Callable[[Any], None], failed: Callable[[BaseException], None] | None = None) -> None:
        """Run ``fn(progress, cancel)`` off the GUI thread; ``done(result)`` on it."""
        self.flag = threading.Event()
        self.running = True
        self.label.setText(what)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        flag, relay = self.flag, self.relay

        def ok(result: Any) -> None:
            self._idle()
            self.label.setText(tr("gui.secretariat.run.done"))
            self.finished.emit()
            done(result)

        def bad(exc: BaseException) -> None:
            self._idle()
            self.label.setText("")
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.finished.emit()
            if failed is not None:
                failed(exc)
            else:
                from ..errors import show_error

                show_error(self, exc)

        Op(self, lambda: fn(PercentThrottle(relay), flag)).success(ok).failure(bad).run()

    def cancel(self) -> None:
        self.flag.set()
        self.cancel_button.setEnabled(False)
        self.label.setText(tr("gui.secretariat.run.cancelling"))

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
