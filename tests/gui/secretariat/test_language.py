"""The secretariat's window follows a switch to English and back without a restart."""

from __future__ import annotations

from reviewer_app import i18n
from reviewer_app.gui import translation
from reviewer_app.i18n import tr
from tests.gui.secretariat.test_aggregation_panel import returned_round
from tests.gui.shell_helpers import drop_stale_widgets
from tests.services.secretariat.round_fixtures import ROUND

TABS_JA = ["概要(&1)", "配布(&2)", "取り込み(&3)", "集計(&4)", "決定(&5)", "書き出し(&6)"]
TABS_EN = ["&1 Overview", "&2 Issue", "&3 Import", "&4 Aggregation", "&5 Decisions", "&6 Export"]


def _tabs(home) -> list[str]:
    return [home.tabs.tabText(n) for n in range(home.tabs.count())]


def test_the_secretariat_window_switches_to_english_and_back(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    aggregation = home.show_tab("secretariatAggregation")
    exports = home.panels[_tabs(home).index("書き出し(&6)")]
    drop_stale_widgets()
    translation.apply_language("ja")
    assert _tabs(home) == TABS_JA
    assert "事務局" in home.banner.text()
    try:
        translation.apply_language("en")
        qtbot.waitUntil(lambda: _tabs(home) == TABS_EN)
        assert home.banner.text() == tr("gui.secretariat.banner") and home.banner.text().startswith("Secretariat")
        assert home.setup_button.text() == "&Register a round from a folder…"
        assert exports.buttons["xlsx"].text() == "&Excel workbook (all sheets)…"
        assert exports.buttons["tables_pdf"].text() == "Decision &tables PDF…"
        assert exports.docs_box.title() == "Documents (PDF)"
        importing = home.show_tab("secretariatImport")
        assert importing.folder_button.text() == "Choose a folder to import…"
        assert "Mean" in aggregation.model.headers and "平均点" not in aggregation.model.headers
        assert home.rounds_model.headers[0] == "Round"

        translation.apply_language("ja")
        qtbot.waitUntil(lambda: _tabs(home) == TABS_JA)
        assert exports.buttons["xlsx"].text() == "Excel ブック（全シート）(&E)…"
        assert "平均点" in aggregation.model.headers
        assert home.rounds_model.headers[0] == tr("gui.secretariat.col.round") != "Round"
    finally:
        translation.apply_language("en")  # the suite's state: Japanese catalogs, no Qt translator
        i18n.set_language("ja")
