"""The one helper for slow work: run a function off the GUI thread, get its result on it.

Modelled on Anki's ``CollectionOp`` and Picard's ``run_task``: a widget says *what* to run
and *what to do with the result*, never how to thread it::

    Op(self, lambda: workspace.unlock(bundle_id, passphrase), busy=tr("gui.busy.unlocking")) \\
        .success(self._unlocked).failure(self._unlock_failed).run()

Why one worker thread: every task touches the same Workspace (one SQLite connection guarded
by ``store.lock``), so running tasks one after another keeps them in the order the user asked
for them and never makes two slow jobs fight over the lock. ``fn`` runs on the worker and must
never touch a widget; ``success``/``failure`` run on the GUI thread, delivered by a queued
signal. Without a ``failure`` callback an error is shown with :func:`errors.show_error`.

Tests call :func:`set_synchronous` to run ``fn`` inline, or :func:`wait_for_idle` to let the
worker finish while the event loop delivers results.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

T = TypeVar("T")

_synchronous = False
_pending: set[Op[Any]] = set()
_pool: QThreadPool | None = None
_dispatcher: _Dispatcher | None = None


def set_synchronous(flag: bool) -> None:
    """Tests: run every task inline in ``run()`` and call its callbacks immediately."""
    global _synchronous
    _synchronous = flag


def pending_count() -> int:
    """How many tasks were started and have not delivered their result yet."""
    return len(_pending)


def wait_for_idle(timeout_ms: int = 30_000) -> bool:
    """Process events until every started task has delivered its result. True if idle."""
    deadline = time.monotonic() + timeout_ms / 1000
    while _pending:
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if _pending:
            time.sleep(0.005)
    QCoreApplication.processEvents()
    return True


def shutdown(timeout_ms: int = 60_000) -> bool:
    """At quit: let a running task finish (an export mid-write, a grade being committed) before
    the workspace closes under it. Results are no longer delivered. True if the worker is idle."""
    if _pool is None:
        return True
    _pool.clear()  # tasks not started yet are dropped: the user has quit
    done = _pool.waitForDone(timeout_ms)
    _pending.clear()
    return done


class _Dispatcher(QObject):
    """Lives on the GUI thread; the worker emits ``finished`` to hand results back."""

    finished = Signal(object, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, op: Op[Any], ok: bool, value: object) -> None:
        op._deliver(ok, value)


def _ensure_machinery() -> tuple[QThreadPool, _Dispatcher]:
    global _pool, _dispatcher
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)  # tasks are serialised: see the module docstring
        _pool.setExpiryTimeout(-1)
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _pool, _dispatcher


class _Runner(QRunnable):
    def __init__(self, op: Op[Any], dispatcher: _Dispatcher) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op
        self._dispatcher = dispatcher

    def run(self) -> None:
        ok, value = self._op._call()
        self._dispatcher.finished.emit(self._op, ok, value)
        self._op = None  # type: ignore[assignment]


class BusyOverlay(QFrame):
    """A translucent cover over a widget while it waits: blocks clicks, says what is happening."""

    def __init__(self, host: QWidget, text: str) -> None:
        super().__init__(host)
        self.setObjectName("busyOverlay")
        self.setStyleSheet(
            "#busyOverlay { background: rgba(255, 255, 255, 170); }"
            "#busyBox { background: palette(window); border: 1px solid palette(mid); border-radius: 6px; }"
        )
        box = QFrame(self)
        box.setObjectName("busyBox")
        inner = QVBoxLayout(box)
        self.label = QLabel(text, box)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QProgressBar(box)
        bar.setRange(0, 0)  # indeterminate
        bar.setTextVisible(False)
        bar.setAccessibleName(text)
        inner.addWidget(self.label)
        inner.addWidget(bar)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addStretch(1)
        self.setAccessibleName(text)
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def dismiss(self) -> None:
        """Hide now, stop watching the host, delete later.

        The filter goes at once, not with the deferred delete: a host closed and destroyed in
        between (a dialog answered while its error box was up) would otherwise call into this
        Python filter while being torn down, which crashed the process.
        """
        host = self.parentWidget()
        if host is not None:
            host.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class Op(Generic[T]):
    """One piece of slow work: ``Op(parent, fn, busy=...).success(cb).failure(cb).run()``."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, busy: str | None = None) -> None:
        self._parent = parent
        self._fn = fn
        self._busy = busy
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._overlay: BusyOverlay | None = None
        self._cursor = False

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure = cb
        return self

    def run(self) -> None:
        """Start the work; returns at once (unless :func:`set_synchronous` is on)."""
        if _synchronous:
            ok, value = self._call()
            self._finish(ok, value)
            return
        pool, dispatcher = _ensure_machinery()
        _pending.add(self)
        self._show_busy()
        pool.start(_Runner(self, dispatcher))

    # --- worker side -----------------------------------------------------------------

    def _call(self) -> tuple[bool, object]:
        try:
            return True, self._fn()
        except BaseException as exc:  # delivered to the GUI thread, shown there
            return False, exc

    # --- GUI side --------------------------------------------------------------------

    def _deliver(self, ok: bool, value: object) -> None:
        _pending.discard(self)
        self._hide_busy()
        self._finish(ok, value)

    def _finish(self, ok: bool, value: object) -> None:
        if ok:
            if self._on_success is not None:
                self._on_success(value)  # type: ignore[arg-type]
            return
        assert isinstance(value, BaseException)
        if self._on_failure is not None:
            self._on_failure(value)
        else:
            from .errors import show_error

            show_error(self._live_parent(), value)

    def _live_parent(self) -> QWidget | None:
        p = self._parent
        return p if p is not None and shiboken6.isValid(p) else None

    def _show_busy(self) -> None:
        if self._busy is None:
            return
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        self._cursor = True
        parent = self._live_parent()
        if parent is not None:
            self._overlay = BusyOverlay(parent, self._busy)

    def _hide_busy(self) -> None:
        if self._cursor:
            QGuiApplication.restoreOverrideCursor()
            self._cursor = False
        if self._overlay is not None and shiboken6.isValid(self._overlay):
            self._overlay.dismiss()
        self._overlay = None


def busy_overlays(widget: QWidget) -> list[BusyOverlay]:
    """The busy covers currently shown over ``widget`` (tests, and callers that must know)."""
    return [c for c in widget.findChildren(BusyOverlay) if c.isVisible()]
