"""After a batch the import tab says what to do next, and a damaged result is explained for the clerk."""

from __future__ import annotations

import shutil

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.i18n import tr
from tests.gui.secretariat.results_support import Issued, tamper
from tests.gui.secretariat.test_import_panel import drop
from tests.services.secretariat.round_fixtures import ROUND


def test_the_next_step_after_a_batch_and_a_damaged_file_in_the_clerks_words(qtbot, home, sec, sec_keys, setup_folder,
                                                                            tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    folder = tmp_path / "returned"
    folder.mkdir()
    issued.result("R01", folder / "a-R01.rvb")
    issued.result("R02", folder / "b-R02.rvb")
    r03 = issued.result("R03", tmp_path / "R03.rvb")
    tamper(r03, folder / "c-R03-damaged.rvb")
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatImport")
    assert not panel.next_box.isVisible()  # nothing to say before a batch

    drop(panel, [folder])
    assert column_texts(panel.report_view, 1) == ["取込", "取込", "拒否"]
    reason = column_texts(panel.report_view, 4)[2]
    assert "審査委員に結果ファイルをもう一度送ってもらってください" in reason
    assert "入手" not in reason  # the reviewer's 「ファイルをもう一度入手してください」

    assert panel.next_box.isVisible()
    text = panel.next_label.text()
    assert text.startswith(tr("gui.secretariat.next.prefix"))
    assert "2 件を現在の結果として取り込みました" in text and "「集計」タブ" in text
    assert "拒否した 1 件" in text
    names = {r.reviewer_id: r.name for r in sec.reviewers(ROUND)}
    assert "返却待ちは 3 名" in text  # R03 (its file was damaged), R04, R05
    assert all(f"{r} {names[r]}" in text for r in ("R03", "R04", "R05"))

    assert panel.next_button.isVisible()
    panel.next_button.click()
    assert home.tabs.currentWidget().objectName() == "secretariatAggregation"

    # The reviewers send again; everything arrives: nothing left to wait for.
    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(r03, later / "R03.rvb")
    for r in ("R04", "R05"):
        issued.result(r, later / f"{r}.rvb")
    panel = home.show_tab("secretariatImport")
    panel.import_paths([later])
    text = panel.next_label.text()
    assert "3 件を現在の結果として取り込みました" in text and "拒否" not in text
    assert tr("gui.secretariat.import.next.all_returned") in text

    panel.import_paths([later])  # the same folder again: all already imported
    text = panel.next_label.text()
    assert tr("gui.secretariat.import.next.nothing_new") in text
    assert panel.next_button.isVisible()  # the results are there to look at


def test_a_cancelled_batch_says_how_to_finish_it(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    folder = tmp_path / "returned"
    folder.mkdir()
    for r in ("R01", "R02"):
        issued.result(r, folder / f"{r}.rvb")
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatImport")
    panel.run.relay.progress.connect(lambda done, total: done == 1 and panel.run.cancel())
    panel.import_paths([folder])
    assert panel.report is not None and panel.report.cancelled
    text = panel.next_label.text()
    assert "未処理" in text and "もう一度取り込む" in text
    assert tr("gui.secretariat.import.next.nothing_new") in text
    assert not panel.next_button.isVisible()  # no result to look at yet
