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
    assert panel.table_box.currentText() == "表1"
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
