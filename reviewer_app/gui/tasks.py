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

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

T = TypeVar("T")

_synchronous = False
_pending: dict[int, Op[Any]] = {}
_executor: ThreadPoolExecutor | None = None
_running: dict[int, Future[None]] = {}
_dispatcher: _Dispatcher | None = None
_ids = itertools.count(1)
# Work handed to the worker and results handed back, by task id. The worker takes ``fn`` out
# of ``_jobs`` and puts the result into ``_results``, dropping its own references before it
# signals: every Python object a task touches (its closure's widgets included) is therefore
# released on the GUI thread. A widget wrapper released last on the worker makes shiboken
# schedule a deletion "in the main thread" of a C++ object its parent may have deleted
# already, which crashed the process at a random later point.
_jobs: dict[int, Callable[[], Any]] = {}
_results: dict[int, tuple[bool, object]] = {}
_lock = threading.Lock()


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
    global _executor
    if _executor is None:
        return True
    _executor.shutdown(wait=False, cancel_futures=True)  # tasks not started yet are dropped
    done = True
    for future in list(_running.values()):
        try:
            future.result(timeout=timeout_ms / 1000)
        except CancelledError:
            pass
        except TimeoutError:
            done = False
    _executor = None
    _pending.clear()
    with _lock:
        _jobs.clear()
        _results.clear()
    _running.clear()
    return done


class _Dispatcher(QObject):
    """Lives on the GUI thread; the worker emits ``finished`` with a task id to hand results back."""

    finished = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, task_id: int) -> None:
        with _lock:
            ok, value = _results.pop(task_id, (False, None))
        _running.pop(task_id, None)
        op = _pending.pop(task_id, None)
        if op is not None:  # None: shut down meanwhile
            op._deliver(ok, value)


def _ensure_machinery() -> tuple[ThreadPoolExecutor, _Dispatcher]:
    global _executor, _dispatcher
    if _executor is None:
        # One worker: tasks are serialised (see the module docstring).
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reviewer-app-task")
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _executor, _dispatcher


def _call(fn: Callable[[], Any]) -> tuple[bool, object]:
    try:
        return True, fn()
    except BaseException as exc:  # delivered to the GUI thread, shown there
        return False, exc


def _work(task_id: int, dispatcher: _Dispatcher) -> None:
    """Worker side: run the task, hand the result over, keep no reference to anything of it."""
    with _lock:
        fn = _jobs.pop(task_id)
    result = _call(fn)
    del fn
    with _lock:
        _results[task_id] = result
    del result
    dispatcher.finished.emit(task_id)


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
        # The cover follows its host's size by looking every 100 ms while it is up, rather than
        # by a Python event filter on the host: the filter would run for every event the host
        # gets (and while it is torn down); the timer is the cover's own child and dies with it.
        self._follow = QTimer(self)
        self._follow.setInterval(100)
        self._follow.timeout.connect(self._fit_host)
        self._follow.start()
        self._fit_host()
        self.raise_()
        self.show()

    def _fit_host(self) -> None:
        host = self.parentWidget()
        if host is not None and self.geometry() != host.rect():
            self.setGeometry(host.rect())

    def dismiss(self) -> None:
        """Hide now and delete later."""
        self._follow.stop()
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
            ok, value = _call(self._fn)
            self._finish(ok, value)
            return
        executor, dispatcher = _ensure_machinery()
        task_id = next(_ids)
        _pending[task_id] = self
        with _lock:
            _jobs[task_id] = self._fn
        self._show_busy()
        _running[task_id] = executor.submit(_work, task_id, dispatcher)

    # --- GUI side --------------------------------------------------------------------

    def _deliver(self, ok: bool, value: object) -> None:
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
