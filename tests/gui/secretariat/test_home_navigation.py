"""What a clerk sees first: the rounds list readable in its narrow pane, the round's tabs only with a round,
「次にすること」 with a button that goes there, overdue reviewers named, times in local time."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.gui.secretariat.setup_dialog import SetupDialog
from reviewer_app.paths import resource_path
from tests.gui.secretariat.results_support import Issued
from tests.gui.secretariat.test_issue_panel import issue_tab
from tests.services.secretariat.round_fixtures import ROUND


def test_without_a_round_only_the_overview_is_open_and_its_button_opens_the_setup(qtbot, home):
    assert home.tabs.isTabEnabled(0)
    assert not any(home.tabs.isTabEnabled(n) for n in range(1, home.tabs.count()))
    ov = home.overview
    assert ov.next_target == "setup" and ov.next_button.isVisible()
    example = resource_path("demo", "round-example")
    assert str(example) in ov.next_label.text() and (example / "round.toml").is_file()  # a real place, not a repo path
    qtbot.mouseClick(ov.next_button, Qt.MouseButton.LeftButton)
    dialog = home.findChild(SetupDialog, "secretariatSetupDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_the_rounds_list_shows_title_and_state_in_sight(qtbot, home, sec, setup_folder):
    sec.setup_round(setup_folder)
    home.refresh(select=ROUND)
    assert home.rounds_model.columnCount() == 2  # the state used to be a third column behind a scroll bar
    text = home.rounds_model.rows[0][1]
    title = sec.rounds()[0].title
    assert text.startswith(title) and "配布 0／5" in text
    assert home.rounds_view.horizontalHeader().stretchLastSection()
    assert all(home.tabs.isTabEnabled(n) for n in range(home.tabs.count()))


def test_the_next_step_names_overdue_reviewers_and_goes_to_the_import_tab(qtbot, home, sec, sec_keys, setup_folder,
                                                                         tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")  # the example's deadline (2009) has passed
    sec.import_results(ROUND, [issued.result("R01", tmp_path / "r01.rvb")], sec_keys)
    home.refresh(select=ROUND)
    ov = home.overview
    text = ov.next_label.text()
    assert "4 名の返却待ち" in text
    assert "R02 佐藤 花子、R03 鈴木 一郎、R04 高橋 美咲 ほか 1 名" in text  # who to call, not just how many
    assert "返却済みの 1 名の結果は「集計」タブで確認できます" in text
    states = column_texts(ov.status_view, 3)
    late = states.index("配布済み・未返却・期限超過")
    colour = ov.status_view.model().index(late, 3).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(colour, QColor) and colour.red() > colour.green()
    assert ov.status_view.model().index(states.index("返却済み（第 1 版）"), 3).data(Qt.ItemDataRole.ForegroundRole) \
        is None

    qtbot.mouseClick(ov.next_button, Qt.MouseButton.LeftButton)
    assert home.tabs.currentWidget().objectName() == "secretariatImport"


def test_times_are_local_and_the_rubric_is_named_by_its_title(qtbot, home, sec, setup_folder, tmp_path):
    issue_tab(home, sec, setup_folder, tmp_path / "out")
    qtbot.mouseClick(home.panels[1].issue_button, Qt.MouseButton.LeftButton)
    home.show_tab("secretariatOverview")
    times = column_texts(home.overview.status_view, 4)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times)  # not 2026-…T01:25:42+00:00
    rubric = sec.rubric(ROUND)
    assert rubric.title in home.overview.summary.text() and "申請 8 件" in home.overview.summary.text()


def test_empty_tables_are_hidden_until_a_round_is_registered(qtbot, home, sec, setup_folder):
    assert not home.overview.split.isVisible()
    sec.setup_round(setup_folder)
    home.refresh(select=ROUND)
    assert home.overview.split.isVisible()
    assert home.overview.proposals_model.headers[1] == "構想名"  # as in the aggregation and the Excel book


def test_known_conflicts_are_listed_with_their_reason(qtbot, home, sec, setup_folder):
    sec.setup_round(setup_folder)
    home.refresh(select=ROUND)
    ov = home.overview
    pairs = list(zip(column_texts(ov.assign_view, 0), column_texts(ov.assign_view, 1), strict=True))
    notes = column_texts(ov.assign_view, 2)
    row = pairs.index(("R02", "P-003"))  # conflicts.csv: never assigned, so it used to appear nowhere
    assert notes[row] == "利害関係あり・割り当てなし（同一法人の大学に兼務している）"
    assert notes[pairs.index(("R01", "P-001"))] == ""
    assert sum(1 for n in notes if n) == len(sec.conflicts(ROUND))
