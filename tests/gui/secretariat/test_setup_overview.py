"""Registering a round from a folder in the window, and the round overview that follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewer_app.gui.secretariat.common import column_texts
from tests.services.secretariat.round_fixtures import ROUND


def test_a_bad_row_is_listed_with_file_line_and_problem_and_blocks_registering(qtbot, home, setup_folder):
    with (setup_folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R09,P-001\n")  # an unknown reviewer on line 40
    dialog = home.open_setup()
    dialog.folder_edit.setText(str(setup_folder))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    entries = [dialog.problems.item(n).text() for n in range(dialog.problems.count())]
    assert len(entries) == 1
    assert entries[0].startswith("assignments.csv:40:1: ")
    assert "R09" in entries[0]
    assert not dialog.register_button.isEnabled()
    assert "1 件" in dialog.summary.text()
    assert home.sec.rounds() == []  # checking stores nothing

    # the clerk fixes the file and checks again: now it registers and the overview shows the round
    text = (setup_folder / "assignments.csv").read_text(encoding="utf-8").replace("R09,P-001\n", "")
    (setup_folder / "assignments.csv").write_text(text, encoding="utf-8")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.problems.count() == 0
    assert dialog.register_button.isEnabled()
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert [r.round_id for r in home.sec.rounds()] == [ROUND]
    assert column_texts(home.rounds_view, 0) == [ROUND]
    ov = home.overview
    assert ov.round_id == ROUND
    assert column_texts(ov.proposals_view, 0)[:2] == ["P-001", "P-002"]
    assert "R01" in column_texts(ov.reviewers_view, 0)
    assert ("R01", "P-001") in zip(column_texts(ov.assign_view, 0), column_texts(ov.assign_view, 1), strict=True)
    assert set(column_texts(ov.status_view, 3)) <= {"未配布", "未配布・期限超過"}
    assert "バンドルとパスフレーズ通知を作成" in ov.next_label.text()
    assert ov.next_target == "secretariatIssue"


def test_role_is_remembered_and_switchable_and_the_secretariat_side_is_marked(qtbot, sec_keys):
    from reviewer_app.gui.main_window import AppWindow
    from reviewer_app.gui.settings import app_settings
    from reviewer_app.services.workspace import Workspace

    with Workspace() as ws:
        win = AppWindow(ws)
        qtbot.addWidget(win)
        assert win.stack.currentWidget() is win.home  # reviewer by default
        win.role_switch.actions["secretariat"].trigger()
        home = win.stack.currentWidget()
        assert home.objectName() == "secretariatHome"
        assert "事務局" in home.banner.text()
        assert app_settings().value("role") == "secretariat"
        win.close()
        home.close_service()
        win2 = AppWindow(ws)  # the next start opens the secretariat's workspace
        qtbot.addWidget(win2)
        assert win2.stack.currentWidget().objectName() == "secretariatHome"
        assert win2.role_switch.actions["secretariat"].isChecked()
        win2.role_switch.actions["reviewer"].trigger()
        assert win2.stack.currentWidget() is win2.home
        assert app_settings().value("role") == "reviewer"
        win2.role_switch.secretariat_home.close_service()
        win2.close()


def test_enter_checks_the_folder_and_a_problem_opens_its_file(qtbot, home, setup_folder, opened):
    with (setup_folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R09,P-001\n")
    dialog = home.open_setup()
    chosen: list[bool] = []
    dialog.choose_folder = lambda: chosen.append(True)  # type: ignore[method-assign]
    dialog.folder_edit.setText(str(setup_folder))
    qtbot.keyClick(dialog.folder_edit, Qt.Key.Key_Return)
    assert dialog.check is not None and not dialog.check.ok  # Enter checked; it did not open a file chooser
    assert chosen == [] and dialog.isVisible()
    assert dialog.check_button.isDefault() and not dialog.register_button.isDefault()
    assert dialog.problems.currentRow() == 0
    qtbot.keyClick(dialog.problems, Qt.Key.Key_Return)  # Enter (or a double-click) on a problem
    assert opened == [setup_folder / "assignments.csv"]

    text = (setup_folder / "assignments.csv").read_text(encoding="utf-8").replace("R09,P-001\n", "")
    (setup_folder / "assignments.csv").write_text(text, encoding="utf-8")
    qtbot.keyClick(dialog.folder_edit, Qt.Key.Key_Return)
    assert dialog.check.ok and dialog.register_button.isDefault() and dialog.isVisible()
    qtbot.keyClick(dialog.folder_edit, Qt.Key.Key_Return)  # the folder is clean: now Enter registers
    assert [r.round_id for r in home.sec.rounds()] == [ROUND] and not dialog.isVisible()


def test_the_file_menu_offers_registering_a_round_in_the_secretariat_role(qtbot, sync_tasks):
    from reviewer_app.gui.main_window import AppWindow
    from reviewer_app.gui.secretariat.setup_dialog import SetupDialog
    from reviewer_app.services.workspace import Workspace

    with Workspace() as ws:
        win = AppWindow(ws)
        qtbot.addWidget(win)
        switch = win.role_switch
        assert not switch.register_action.isVisible() and win.add_action.isVisible()
        switch.actions["secretariat"].trigger()
        visible = [a for a in win.file_menu.actions() if a.isVisible() and not a.isSeparator()]
        assert visible[0] is switch.register_action  # not only greyed-out reviewer entries
        assert not win.add_action.isVisible()
        switch.register_action.trigger()
        dialog = switch.secretariat_home.findChild(SetupDialog)
        assert dialog is not None and dialog.isVisible()
        dialog.close()
        switch.actions["reviewer"].trigger()
        assert win.add_action.isVisible() and not switch.register_action.isVisible()
        switch.secretariat_home.close_service()
        win.close()


def test_registering_a_known_round_again_updates_it(qtbot, home, sec, setup_folder):
    sec.setup_round(setup_folder)
    home.refresh(select=ROUND)
    with (setup_folder / "reviewers.csv").open("a", encoding="utf-8") as fh:
        fh.write("R06,伊藤 直子,東都大学\n")
    dialog = home.open_setup()
    dialog.folder_edit.setText(str(setup_folder))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.update_box.isChecked() and "登録済みの審査回です" in dialog.summary.text()
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)  # no "--update" error in the way
    assert dialog.outcome is not None and dialog.outcome.updated
    assert "R06" in [r.reviewer_id for r in sec.reviewers(ROUND)]
