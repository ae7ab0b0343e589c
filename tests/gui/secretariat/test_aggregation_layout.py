"""The aggregation tab as a clerk reads it at 1360 px: the figures without scrolling, five reviewers side by side,
the reviewers table with room, the secretariat's words (申請, 判断不能) and the reviewer's reason beside the chart."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from reviewer_app.gui.secretariat.aggregation_panel import COMMENT_LINES, AggregationPanel
from reviewer_app.gui.secretariat.keys import KeyProvider
from reviewer_app.i18n import tr
from tests.gui.secretariat.results_support import Issued
from tests.services.secretariat.round_fixtures import ROUND

#: What the tab gets in the 1360 × 850 window beside the rounds list.
TAB_SIZE = (1090, 740)
UNJUDGEABLE_REASON = "2-(1)の表が空欄で、判断できない。"
LONG_COMMENT = "構想調書の記載は具体的であり、実施体制も明確である。" * 8
JUSTIFICATION = "担当した申請に上位の申請が多く、目安どおりの分布にならなかった。"


def change_entry(pid: str, item_id: str, **changes):
    def edit(payload, rubric):
        if changes.get("unjudgeable"):
            changes["mark"] = rubric.scale_of(rubric.item(item_id)).unjudgeable_mark
        proposals = tuple(
            replace(p, entries=tuple(replace(e, **changes) if e.item_id == item_id else e for e in p.entries))
            if p.proposal_id == pid else p for p in payload.proposals)
        return replace(payload, proposals=proposals, distribution_justification=JUSTIFICATION)
    return edit


def returned(sec, sec_keys, setup_folder, tmp_path, reviewers=("R01", "R02", "R03", "R04", "R05")):
    """R01 finds 2-① of P-001 unjudgeable, R02 writes a long comment on 2-②; everyone reviewed P-001."""
    issued = Issued(sec, sec_keys, setup_folder, tmp_path / "bundles")
    edits = {"R01": change_entry("P-001", "2-1", unjudgeable=True, unjudgeable_reason=UNJUDGEABLE_REASON),
             "R02": change_entry("P-001", "2-2", comment=LONG_COMMENT)}
    files = [issued.result(r, tmp_path / f"{r}.rvb", mark_index=n % 3, edit=edits.get(r))
             for n, r in enumerate(reviewers)]
    report = sec.import_results(ROUND, files, sec_keys)
    assert [f.status.value for f in report.files] == ["imported"] * len(reviewers)


@pytest.fixture
def panel(qtbot, sec, sec_keys, sync_tasks):
    p = AggregationPanel(sec, KeyProvider(sec_keys))
    qtbot.addWidget(p)
    p.resize(*TAB_SIZE)
    p.show()
    return p


def right_edge(view, column: int) -> int:
    header = view.horizontalHeader()
    return header.sectionViewportPosition(column) + header.sectionSize(column)


def test_the_main_figures_fit_with_short_headers_and_the_exported_ones_as_tooltips(qtbot, panel, sec, sec_keys,
                                                                                   setup_folder, tmp_path):
    returned(sec, sec_keys, setup_folder, tmp_path)
    panel.set_round(ROUND)
    headers = panel.model.headers
    assert len(headers) == len(set(headers))  # each band count once (they used to be added twice)
    assert headers == list(sec.view(ROUND, "proposals").headers)  # the exported view, as the Excel file has it

    col = {key: headers.index(tr(f"secretariat.export.col.{key}")) for key in
           ("mean", "standardized_mean", "median", "spread", "unjudgeable", "title")}
    bands = sec.rubric(ROUND).bands.bands
    band_cols = [headers.index(tr("secretariat.export.col.band_count", band=b.label)) for b in bands]
    proxy = panel.table.model()
    for key in ("mean", "standardized_mean", "unjudgeable"):
        shown = proxy.headerData(col[key], Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        assert shown == tr(f"gui.secretariat.aggregation.short.{key}")
        assert proxy.headerData(col[key], Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == headers[col[key]]
        assert len(shown.replace("\n", "")) < len(headers[col[key]])
    assert proxy.headerData(band_cols[0], Qt.Orientation.Horizontal) == "190〜\n件数"

    header = panel.table.horizontalHeader()
    assert header.visualIndex(col["standardized_mean"]) == header.visualIndex(col["mean"]) + 1  # beside the raw mean
    width = panel.table.viewport().width()
    for c in (*col.values(), *band_cols):
        assert right_edge(panel.table, c) <= width, headers[c]  # on screen without scrolling sideways
    title_cell = proxy.index(0, col["title"])
    assert title_cell.data(Qt.ItemDataRole.ToolTipRole) == title_cell.data()  # a cut title is whole in its tooltip


def test_five_reviewers_side_by_side_with_wrapped_comments(qtbot, panel, sec, sec_keys, setup_folder, tmp_path):
    returned(sec, sec_keys, setup_folder, tmp_path)
    panel.set_round(ROUND)
    assert panel.details.tabText(0) == tr("gui.secretariat.aggregation.tab_proposal") == "申請ごとの評点と所見"
    panel.show_proposal("P-001")
    model, view = panel.reviews_model, panel.reviews_view
    assert model.columnCount() == 1 + 2 * 5
    comments = range(2, model.columnCount(), 2)
    widths = {view.columnWidth(c) for c in comments}
    assert len(widths) == 1  # one width for every comment, whatever its length
    assert all(view.columnWidth(c - 1) < view.columnWidth(c) for c in comments)  # the grades are narrow
    assert right_edge(view, model.columnCount() - 1) <= view.viewport().width()  # all five without scrolling
    grade_head = view.model().headerData(1, Qt.Orientation.Horizontal)
    assert grade_head == "R01\n評点" and view.model().headerData(1, Qt.Orientation.Horizontal,
                                                                  Qt.ItemDataRole.ToolTipRole) == model.headers[1]

    rubric = sec.rubric(ROUND)
    row_of = {item.id: n for n, item in enumerate(rubric.items)}
    r01_grade = view.model().index(row_of["2-1"], 1).data()
    assert "（判断不能）" in r01_grade and "判定" not in r01_grade
    assert view.model().index(row_of["2-1"], 2).data().startswith("判断不能の理由：" + UNJUDGEABLE_REASON)

    long_cell = view.model().index(row_of["2-2"], 4)  # R02's comment
    assert long_cell.data(Qt.ItemDataRole.ToolTipRole) == LONG_COMMENT  # the whole text, however the cell is cut
    lines = view.fontMetrics().lineSpacing()
    assert view.rowHeight(row_of["2-2"]) == lines * COMMENT_LINES + 8  # grown, up to its cap
    assert view.rowHeight(row_of["2-3"]) < view.rowHeight(row_of["2-2"])  # short comments: shorter rows


def test_the_reviewers_table_has_room_and_the_chart_speaks_for_the_secretariat(qtbot, panel, sec, sec_keys,
                                                                               setup_folder, tmp_path):
    returned(sec, sec_keys, setup_folder, tmp_path, reviewers=("R01", "R02", "R03", "R04"))  # R05 has not returned
    panel.set_round(ROUND)
    panel.details.setCurrentIndex(1)
    view = panel.reviewers_view
    qtbot.waitUntil(lambda: view.isVisible())
    rows_shown = (view.viewport().height()) // view.rowHeight(0)
    assert rows_shown >= 5  # it used to show two

    view.setCurrentIndex(view.model().index(0, 0))  # R01
    assert panel.chart.distribution() is not None and panel.chart.over_target()
    assert "集計対象" in panel.chart.title_text() and "入力完了" not in panel.chart.title_text()
    assert panel.chart.warning_text() == tr("gui.secretariat.dist.warning")
    assert panel.justification_box.isVisible()
    assert panel.justification.text() == JUSTIFICATION  # what R01 wrote when exporting over the targets
    assert panel.justification_box.title() == tr("gui.secretariat.aggregation.justification_title")

    ids = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    view.setCurrentIndex(view.model().index(ids.index("R05"), 0))
    assert panel.justification.text() == tr("gui.secretariat.aggregation.justification_no_result")
