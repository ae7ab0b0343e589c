"""Importing from the window: a folder with a good, a tampered and a duplicate result gives three reports."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from reviewer_app.gui import tasks
from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.gui.secretariat.home import SecretariatHome
from reviewer_app.gui.secretariat.progress_run import PercentThrottle
from reviewer_app.i18n import tr
from reviewer_app.services.secretariat import ImportStatus, Secretariat
from reviewer_app.services.secretariat.messages import describe_file_report
from tests.gui.secretariat.results_support import Issued, tamper
from tests.services.secretariat.round_fixtures import ROUND


def drag_and_drop(widget, paths) -> tuple[bool, bool]:
    """Drag files over ``widget`` and drop them, through the application as the platform delivers a drag.

    Qt hands a ``Drop`` only to the widget that accepted the ``DragEnter`` before it (a lone
    ``Drop`` is discarded), so both go through ``QApplication.sendEvent``. Returns whether the
    drag and the drop were accepted.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return enter.isAccepted(), event.isAccepted()


def drop(widget, paths) -> None:
    assert drag_and_drop(widget, paths) == (True, True)


def test_dropping_a_folder_with_good_tampered_and_duplicate_results(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    early = issued.result("R01", tmp_path / "early.rvb")
    sec.import_results(ROUND, [early], sec_keys)  # R01's result came in yesterday
    folder = tmp_path / "returned"
    folder.mkdir()
    issued.result("R02", folder / "a-good.rvb")
    tamper(issued.result("R03", tmp_path / "r03.rvb"), folder / "b-tampered.rvb")
    shutil.copy(early, folder / "c-duplicate.rvb")

    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatImport")
    drop(panel, [folder])
    assert panel.report is not None
    assert column_texts(panel.report_view, 0) == ["a-good.rvb", "b-tampered.rvb", "c-duplicate.rvb"]
    assert column_texts(panel.report_view, 1) == ["取込", "拒否", "取込済み"]
    reasons = column_texts(panel.report_view, 4)
    assert "R02" in reasons[0]
    assert reasons[1] and "Error" not in reasons[1] and "Traceback" not in reasons[1]
    assert "取り込み済み" in reasons[2]
    assert "取込 1" in panel.summary.text() and "拒否 1" in panel.summary.text()
    returned = {r.reviewer_id for r in sec.overview(ROUND).reviewers if r.revision is not None}
    assert returned == {"R01", "R02"}  # the tampered file left nothing behind


def test_cancelled_import_keeps_only_complete_files(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    folder = tmp_path / "returned"
    folder.mkdir()
    for r in ("R01", "R02", "R03"):
        issued.result(r, folder / f"{r}.rvb")
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatImport")
    stop = [True]
    panel.run.relay.progress.connect(lambda done, total: done == 1 and stop[0] and panel.run.cancel())
    panel.import_paths([folder])
    assert panel.report is not None and panel.report.cancelled
    stop[0] = False
    assert panel.report.count(ImportStatus.SKIPPED) == 3  # cancelled during verification: nothing stored
    assert all(r.revision is None for r in sec.overview(ROUND).reviewers)
    assert "途中まで取り込まれたファイルはありません" in panel.summary.text()
    panel.import_paths([folder])  # importing again later completes the batch
    assert column_texts(panel.report_view, 1) == ["取込", "取込", "取込"]


@pytest.fixture
def async_home(qtbot, sec, sec_keys) -> Iterator[SecretariatHome]:
    """The workspace with slow work on the real worker thread, as the application runs it."""
    w = SecretariatHome(sec=sec, keys=sec_keys)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    yield w
    assert tasks.wait_for_idle()
    w.hide()


def test_the_window_reports_what_the_import_service_decides(qtbot, async_home, sec, sec_keys, setup_folder, tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    early = issued.result("R01", tmp_path / "early.rvb")
    newer = issued.result("R02", tmp_path / "r02-v2.rvb", revision=2)
    sec.import_results(ROUND, [early, newer], sec_keys)
    folder = tmp_path / "returned"
    folder.mkdir()
    issued.result("R02", folder / "a-older.rvb", revision=1)
    tamper(issued.result("R03", tmp_path / "r03.rvb"), folder / "b-tampered.rvb")
    shutil.copy(early, folder / "c-duplicate.rvb")
    issued.result("R04", folder / "d-good.rvb")
    copy = tmp_path / "copy.sqlite3"  # the same store, for the service alone
    with sqlite3.connect(copy) as c:
        sec.conn.backup(c)
    c.close()

    async_home.refresh(select=ROUND)
    panel = async_home.show_tab("secretariatImport")
    with qtbot.waitSignal(panel.report_shown, timeout=120_000):
        drop(panel, [folder])
        assert panel.run.running and not panel.files_button.isEnabled()  # the work is on the worker thread
    alone = Secretariat(copy, actor="事務局 太郎")
    try:
        expected = alone.import_results(ROUND, [folder], sec_keys)
    finally:
        alone.close()

    shown = list(zip(*(column_texts(panel.report_view, c) for c in (0, 1, 2, 4)), strict=True))
    assert shown == [(f.path.name, tr(f"secretariat.import_status.{f.status.value}"), f.reviewer_id,
                      describe_file_report(f)) for f in expected.files]
    assert [f.status for f in expected.files] == [ImportStatus.HISTORY, ImportStatus.REJECTED, ImportStatus.DUPLICATE,
                                                  ImportStatus.IMPORTED]
    assert panel.run.bar.value() == panel.run.bar.maximum() > 0  # the bar ends full
    assert panel.files_button.isEnabled() and not panel.run.running
    returned = {r.reviewer_id for r in sec.overview(ROUND).reviewers if r.revision is not None}
    assert returned == {"R01", "R02", "R04"}


def test_a_drop_is_refused_without_a_round_or_while_an_import_runs(qtbot, async_home, sec, sec_keys, setup_folder,
                                                                   tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    first, second = issued.result("R01", tmp_path / "R01.rvb"), issued.result("R02", tmp_path / "R02.rvb")
    async_home.refresh(select=ROUND)
    panel = async_home.show_tab("secretariatImport")
    panel.set_round(None)  # no round chosen: the files would have nowhere to go
    assert drag_and_drop(panel, [first]) == (False, False)
    assert panel.report is None and not panel.run.running

    panel.set_round(ROUND)
    with qtbot.waitSignal(panel.report_shown, timeout=120_000):
        drop(panel, [first])
        assert drag_and_drop(panel, [second]) == (False, False)  # the first batch is still running
        async_home.refresh_round()  # the workspace reads the round again meanwhile (another tab changed it)
        assert not panel.files_button.isEnabled() and not panel.folder_button.isEnabled()
    assert column_texts(panel.report_view, 0) == ["R01.rvb"]
    returned = {r.reviewer_id for r in sec.overview(ROUND).reviewers if r.revision is not None}
    assert returned == {"R01"}  # the refused drop imported nothing


def test_a_long_reason_far_down_a_large_report_wraps_when_scrolled_to(qtbot, home, sec, sec_keys, setup_folder,
                                                                      tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    one = issued.result("R01", tmp_path / "R01.rvb")
    sec.import_results(ROUND, [one], sec_keys)
    folder = tmp_path / "returned"
    folder.mkdir()
    for n in range(150):
        shutil.copy(one, folder / f"copy-{n:03d}.rvb")
    tamper(issued.result("R02", tmp_path / "R02.rvb"), folder / "zz-tampered.rvb")
    home.refresh(select=ROUND)
    home.resize(700, 700)  # a narrow window: reasons wrap onto several lines
    panel = home.show_tab("secretariatImport")
    drop(panel, [folder])
    view = panel.report_view
    last = view.model().rowCount() - 1
    assert last == 150 and column_texts(view, 1)[last] == "拒否"
    qtbot.waitUntil(lambda: view.rowHeight(0) >= view.sizeHintForRow(0))  # the rows on screen fit at once
    qtbot.wait(50)  # the layout settles (scroll bar shown, columns stretched)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.rowHeight(last) >= view.sizeHintForRow(last))
    assert view.sizeHintForRow(last) > view.verticalHeader().defaultSectionSize()  # it did need several lines


def test_progress_reaches_the_bar_once_per_percent_and_always_at_the_end():
    seen: list[int] = []
    throttle = PercentThrottle(lambda done, total: seen.append(done))
    for done in range(2001):  # importing 1,000 files ticks twice per file
        throttle(done, 2000)
    assert len(seen) == 101 and seen[0] == 0 and seen[-1] == 2000
    small: list[int] = []
    throttle = PercentThrottle(lambda done, total: small.append(done))
    for done in range(7):
        throttle(done, 6)
    assert small == list(range(7))  # a small batch shows every file
