"""The task helper: slow work off the GUI thread, results and errors delivered on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from reviewer_app.core.errors import WrongSecretError
from reviewer_app.gui import errors, tasks
from reviewer_app.gui.tasks import Op


@pytest.fixture
def host(qtbot):
    w = QWidget()
    w.resize(300, 200)
    qtbot.addWidget(w)
    w.show()
    return w


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(host):
    gui_thread = threading.get_ident()
    seen: dict[str, int] = {}
    results: list[int] = []

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        results.append(value)

    Op(host, work).success(done).run()
    assert tasks.wait_for_idle()
    assert results == [42]
    assert seen["worker"] != gui_thread
    assert seen["callback"] == gui_thread


def test_an_error_in_the_work_is_delivered_to_failure_on_the_gui_thread(host):
    gui_thread = threading.get_ident()
    got: list[tuple[BaseException, int]] = []

    def work() -> None:
        raise WrongSecretError()

    Op(host, work).success(lambda _v: pytest.fail("must not succeed")).failure(
        lambda exc: got.append((exc, threading.get_ident()))
    ).run()
    assert tasks.wait_for_idle()
    assert len(got) == 1
    assert isinstance(got[0][0], WrongSecretError)
    assert got[0][1] == gui_thread


def test_without_a_failure_callback_the_error_is_shown(host, monkeypatch):
    shown: list[tuple[QWidget | None, BaseException]] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append((parent, exc)))

    def work() -> None:
        raise ValueError("boom")

    Op(host, work).run()
    assert tasks.wait_for_idle()
    assert len(shown) == 1 and shown[0][0] is host and isinstance(shown[0][1], ValueError)


def test_busy_indicator_is_shown_while_the_work_runs_and_removed_after(qtbot, host):
    release = threading.Event()
    started = threading.Event()

    def work() -> str:
        started.set()
        release.wait(30)
        return "done"

    results: list[str] = []
    Op(host, work, busy="処理中…").success(results.append).run()
    assert started.wait(30)
    QApplication.processEvents()
    overlays = tasks.busy_overlays(host)
    assert len(overlays) == 1
    assert overlays[0].label.text() == "処理中…"
    assert QApplication.overrideCursor() is not None
    assert tasks.pending_count() == 1
    assert overlays[0].geometry() == host.rect()
    host.resize(420, 260)  # the window resized while it waits: still all covered
    qtbot.waitUntil(lambda: overlays[0].geometry() == host.rect(), timeout=30_000)
    release.set()
    assert tasks.wait_for_idle()
    assert results == ["done"]
    assert tasks.busy_overlays(host) == []
    assert QApplication.overrideCursor() is None


def test_tasks_run_one_after_another_in_the_order_started(host):
    order: list[int] = []
    lock = threading.Lock()
    running = [0]
    overlap = [False]

    def make(i: int):
        def work() -> int:
            with lock:
                running[0] += 1
                overlap[0] |= running[0] > 1
            order.append(i)
            with lock:
                running[0] -= 1
            return i

        return work

    delivered: list[int] = []
    for i in range(8):
        Op(host, make(i)).success(delivered.append).run()
    assert tasks.wait_for_idle()
    assert order == list(range(8))
    assert delivered == list(range(8))
    assert not overlap[0]


def test_synchronous_mode_runs_inline(host, monkeypatch):
    monkeypatch.setattr(tasks, "_synchronous", False)
    tasks.set_synchronous(True)
    try:
        gui_thread = threading.get_ident()
        seen: list[int] = []
        Op(host, lambda: seen.append(threading.get_ident()) or 7).success(seen.append).run()
        assert seen == [gui_thread, 7]
        assert tasks.pending_count() == 0
    finally:
        tasks.set_synchronous(False)


def test_shutdown_waits_for_the_running_task(host):
    release = threading.Event()
    started = threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(30)
        ran.append("slow")

    Op(host, slow).run()
    assert started.wait(30)
    threading.Timer(0.05, release.set).start()  # whenever it fires, shutdown must wait for it
    assert tasks.shutdown()
    assert ran == ["slow"]
    assert tasks.pending_count() == 0


def test_a_host_destroyed_while_its_work_runs_is_harmless(qtbot):
    """A window closed and deleted before its slow work ends (the cover goes with it)."""
    release = threading.Event()
    w = QWidget()
    w.resize(200, 100)
    w.show()
    done: list[str] = []
    Op(w, lambda: release.wait(30) and "late", busy="…").success(done.append).run()
    QApplication.processEvents()
    assert len(tasks.busy_overlays(w)) == 1
    w.deleteLater()
    qtbot.waitUntil(lambda: not shiboken_valid(w), timeout=30_000)
    release.set()
    assert tasks.wait_for_idle()
    assert done == ["late"]  # delivered; nothing touched the deleted window


def shiboken_valid(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_what_a_task_holds_is_released_on_the_gui_thread(host):
    """The worker keeps no reference once it signals: a closure's objects (widgets, in the app)
    are freed on the GUI thread, never on the worker (shiboken cannot free a widget there)."""
    gui_thread = threading.get_ident()
    freed_on: list[int] = []

    class Held:
        def __del__(self) -> None:
            freed_on.append(threading.get_ident())

    for n in range(50):
        held = Held()
        Op(host, lambda h=held, n=n: n).success(lambda _v, h=held: None).run()
        del held
        if n % 2:
            assert tasks.wait_for_idle()  # sometimes delivered at once, sometimes queued behind others
    assert tasks.wait_for_idle()
    import gc

    gc.collect()
    assert len(freed_on) == 50
    assert set(freed_on) == {gui_thread}
