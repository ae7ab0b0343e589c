"""Recording a 表1 decision in the window changes the live balance and shows in the history."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewer_app.gui.secretariat.common import column_texts
from tests.gui.secretariat.test_aggregation_panel import returned_round
from tests.services.secretariat.round_fixtures import ROUND


def test_recording_a_table1_decision_changes_the_balance(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    assert panel.table_box.currentText() == "表1（合議審査）"
    assert "0 件" in panel.balance_title.text()
    assert set(column_texts(panel.region_view, 1)) == {"0"}
    panel.select("P-001")
    panel.note_edit.setText("panel agreed")
    qtbot.mouseClick(panel.option_buttons["○"], Qt.MouseButton.LeftButton)
    assert "1 件" in panel.balance_title.text()
    regions = dict(zip(column_texts(panel.region_view, 0), column_texts(panel.region_view, 1), strict=True))
    assert regions["北海道"] == "1"
    types = dict(zip(column_texts(panel.type_view, 0), column_texts(panel.type_view, 1), strict=True))
    assert types["国立"] == "1"
    row = column_texts(panel.view, 0).index("P-001")
    assert column_texts(panel.view, 6)[row] == "○"
    assert panel.history.count() == 1 and "panel agreed" in panel.history.item(0).text()

    qtbot.mouseClick(panel.option_buttons["×"], Qt.MouseButton.LeftButton)  # changed its mind: history keeps both
    assert panel.history.count() == 2
    assert "0 件" in panel.balance_title.text()
    assert [d.code for d in sec.decisions(ROUND)] == ["×"]


def test_recording_by_keyboard_keeps_the_buttons_and_returns_to_the_list(qtbot, home, sec, sec_keys, setup_folder,
                                                                         tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    buttons = dict(panel.option_buttons)
    assert buttons["○"].text() == "○ ヒアリングを実施する を記録(&O)"  # no 「。」 inside, the CLI's letter as access key
    assert buttons["×"].text().endswith("(&X)")
    panel.by_edit.setText("委員長")
    panel.select("P-001")
    home.activateWindow()
    qtbot.waitUntil(home.isActiveWindow)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: sec.decisions(ROUND) != [])  # an access key clicks the button a moment later
    assert [(d.proposal_id, d.code, d.recorded_by) for d in sec.decisions(ROUND)] == [("P-001", "○", "委員長")]
    assert panel.option_buttons == buttons  # the same buttons: a record no longer rebuilds them
    assert panel.view.hasFocus()  # ↓ then Alt+X records the next one
    assert "P-001" in panel.status.text()
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.view, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(sec.decisions(ROUND)) == 2)
    assert {d.proposal_id: d.code for d in sec.decisions(ROUND)} == {"P-001": "○", "P-002": "×"}


def test_the_note_follows_the_selection_and_the_history_reads_local_time(qtbot, home, sec, sec_keys, setup_folder,
                                                                         tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    sec.record_decision(ROUND, "P-002", "table1", "○", note="受入体制を確認する")
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    panel.select("P-002")
    assert panel.note_edit.text() == "受入体制を確認する"  # re-recording keeps the note unless the clerk edits it
    entry = panel.history.item(0).text()
    assert "T" not in entry.split()[1] and "+00:00" not in entry
    panel.select("P-001")
    assert panel.note_edit.text() == "" and panel.history.item(0).text() == "まだ記録はありません。"


def test_a_later_table_lists_only_what_the_earlier_one_let_in(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    panel.table_box.setCurrentIndex(panel.table_box.findData("table2"))
    assert column_texts(panel.view, 0) == []
    assert "先に 表1 で ○ を記録してください" in panel.scope.text()
    assert not any(b.isEnabled() for b in panel.option_buttons.values())
    sec.record_decision(ROUND, "P-003", "table1", "○")
    sec.record_decision(ROUND, "P-004", "table1", "×")
    panel.refresh()
    assert column_texts(panel.view, 0) == ["P-003"]
    assert panel.scope.text() == "対象: 表1 が ○ の申請 1 件"
    assert sorted(panel.option_buttons) == ["a", "b", "c", "d"]
    assert panel.option_buttons["a"].text().endswith("(&A)")


def test_the_balance_tables_show_every_row_and_column(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    for view in (panel.region_view, panel.type_view):
        rows = view.model().rowCount()
        assert rows and view.rowViewportPosition(rows - 1) + view.rowHeight(rows - 1) <= view.viewport().height()
        header = view.horizontalHeader()
        last = header.count() - 1  # 申請数 used to be cut off at the pane's edge
        assert header.sectionViewportPosition(last) + header.sectionSize(last) <= view.viewport().width() + 1


def test_an_empty_recorder_is_asked_for_in_the_panel(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatDecisions")
    panel.select("P-001")
    panel.by_edit.clear()
    qtbot.mouseClick(panel.option_buttons["○"], Qt.MouseButton.LeftButton)
    assert sec.decisions(ROUND) == [] and panel.status.text() == "記録者の名前を入力してください。"
    assert "--by" not in panel.status.text()
