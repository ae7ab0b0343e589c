"""The aggregation table sorts by a column; a proposal shows every reviewer's grades; a reviewer shows the chart."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from reviewer_app.gui import tasks
from reviewer_app.gui.secretariat.aggregation_panel import AggregationPanel
from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.gui.secretariat.keys import KeyProvider
from reviewer_app.gui.tasks import busy_overlays
from reviewer_app.i18n import tr
from tests.gui.modal_helpers import answer_modal, press
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


def test_band_counts_sit_beside_the_band_of_the_mean_and_sort(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatAggregation")
    rubric = sec.rubric(ROUND)
    bands = rubric.bands.bands
    headers = panel.model.headers
    cols = [headers.index(tr("secretariat.export.col.band_count", band=b.label)) for b in bands]
    assert cols == list(range(cols[0], cols[0] + len(bands)))  # one column per band, highest first
    banded = rubric.viewpoint(rubric.bands.viewpoint_id).label
    assert headers[cols[0] - 1] == tr("secretariat.export.col.band_of_mean", viewpoint=banded)

    id_col = headers.index(tr("secretariat.export.col.proposal"))
    shown = {pid: [column_texts(panel.table, c)[n] for c in cols]
             for n, pid in enumerate(column_texts(panel.table, id_col))}
    for p in sec.aggregate(ROUND).proposals:  # counted from each review's own band
        counting = [r for r in p.reviews if not r.coi and r.total is not None]
        expected = [str(sum(1 for r in counting if r.band_id == b.id)) if counting else "" for b in bands]
        assert shown[p.proposal_id] == expected
    assert any(int(t) > 0 for texts in shown.values() for t in texts if t)

    busiest = max(range(len(bands)), key=lambda k: len({v[k] for v in shown.values()}))
    col = cols[busiest]  # the band whose counts differ most between proposals
    panel.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = column_texts(panel.table, col)
    numbers = [int(t) for t in values if t]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) > 1
    assert values[: len(numbers)] == [str(n) for n in numbers]  # blanks (nothing counted yet) last


def test_the_tab_aggregates_off_the_gui_thread_behind_a_busy_cover(qtbot, sec, sec_keys, setup_folder, tmp_path):
    returned_round(sec, sec_keys, setup_folder, tmp_path)
    panel = AggregationPanel(sec, KeyProvider(sec_keys))
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    panel.set_round(ROUND)
    assert busy_overlays(panel) and panel.model.rowCount() == 0  # the worker is aggregating; the window stays live
    assert tasks.wait_for_idle()
    assert not busy_overlays(panel)
    assert panel.model.rowCount() == len(sec.proposals(ROUND)) and panel.agg is not None

    panel.set_round(ROUND)  # aggregating again, and the clerk leaves the round before it is done
    panel.set_round(None)
    assert tasks.wait_for_idle()
    assert panel.model.rowCount() == 0 and panel.agg is None  # the late result is not shown for no round


def test_a_failed_aggregation_is_explained_unless_the_round_was_left(qtbot, monkeypatch, sec, sec_keys, setup_folder,
                                                                      tmp_path):
    from reviewer_app.core.errors import SecretariatError

    returned_round(sec, sec_keys, setup_folder, tmp_path)
    panel = AggregationPanel(sec, KeyProvider(sec_keys))
    qtbot.addWidget(panel)
    panel.show()

    def broken(round_id):
        raise SecretariatError("secretariat.unknown_round", round=round_id, known="—")

    monkeypatch.setattr(sec, "aggregate", broken)
    shown = answer_modal(QMessageBox, press(QMessageBox.StandardButton.Ok))
    panel.set_round(ROUND)
    assert tasks.wait_for_idle()
    qtbot.waitUntil(lambda: bool(shown))
    assert ROUND in shown[0] and "Error" not in shown[0]  # in words, naming the round
    assert panel.model.rowCount() == 0 and not busy_overlays(panel)

    late = answer_modal(QMessageBox, press(QMessageBox.StandardButton.Ok), timeout_s=1.0)
    panel.set_round(ROUND)
    panel.set_round(None)  # the clerk left the round before its aggregation failed
    assert tasks.wait_for_idle()
    qtbot.wait(200)
    assert late == []  # no error box about a round no longer on screen
