"""The aggregation table sorts by a column; a proposal shows every reviewer's grades; a reviewer shows the chart."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.i18n import tr
from tests.gui.secretariat.results_support import Issued
from tests.services.secretariat.round_fixtures import ROUND


def returned_round(sec, sec_keys, setup_folder, tmp_path):
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    files = [issued.result(r, tmp_path / f"{r}.rvb", mark_index=n % 3) for n, r in enumerate(issued.passphrases)]
    sec.import_results(ROUND, files, sec_keys)
    return issued


def test_sorting_the_aggregation_table_by_mean_and_filtering(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatAggregation")
    mean_col = panel.model.headers.index(tr("secretariat.export.col.mean"))
    id_col = panel.model.headers.index(tr("secretariat.export.col.proposal"))
    assert column_texts(panel.table, id_col)[0] == "P-001"  # setup order first
    header = panel.table.horizontalHeader()
    panel.table.scrollTo(panel.table.model().index(0, mean_col))
    at = QPoint(header.sectionViewportPosition(mean_col) + 4, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # the clerk clicks the header
    first = [float(t) for t in column_texts(panel.table, mean_col) if t]
    assert len(set(first)) > 1
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # and again: the other direction
    second = [float(t) for t in column_texts(panel.table, mean_col) if t]
    assert sorted([first, second]) == sorted([sorted(first), sorted(first, reverse=True)])

    panel.filter_edit.setText("P-002")
    assert column_texts(panel.table, id_col) == ["P-002"]
    panel.table.selectRow(0)
    panel.table.setCurrentIndex(panel.table.model().index(0, 0))
    assert panel.proposal_title.text().startswith("P-002")
    headers = panel.reviews_model.headers
    assert headers[0] == "審査項目" and any(h.endswith("評点") for h in headers[1:])
    assert any("所見" in str(c) for c in panel.reviews_model.rows[0][2::2] if c)


def test_a_reviewer_shows_the_distribution_chart_and_leniency(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatAggregation")
    panel.details.setCurrentIndex(1)
    panel.reviewers_view.setCurrentIndex(panel.reviewers_view.model().index(0, 0))
    assert panel.chart.distribution() is not None
    assert panel.chart_title.text().startswith("R01")
    assert "甘辛" in panel.chart_title.text()
