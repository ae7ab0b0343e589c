"""Importing from the window: a folder with a good, a tampered and a duplicate result gives three reports."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.services.secretariat import ImportStatus
from tests.gui.secretariat.results_support import Issued, tamper
from tests.services.secretariat.round_fixtures import ROUND


def drop(widget, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.event(event)  # offscreen Qt delivers no drag-and-drop through the application; the widget's handler runs
    assert event.isAccepted()


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
