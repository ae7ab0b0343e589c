"""The aggregation tables' headers on screen: short labels, the exported header as their tooltip, the main figures first.

Why: the proposals view has about 30 columns whose exported headers (「標準化得点 平均」,
「190点未満140点以上 件数」) are far wider than the figures under them, so at 1360 px the clerk
scrolled sideways to find a mean. The models keep the exported headers (the Excel file's, and
what code finds a column by); the header shows a short label and the exported text as its
tooltip; the proposals table shows the figures the panel decides on first (the mean beside
the standardized mean, spread, band counts, unjudgeable, the decisions) and the rest after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QTableView

from ...core.rubric import Rubric, format_points
from ...i18n import tr

#: Exported columns without parameters that have a short label.
SIMPLE = ("rank", "standardized_rank", "proposal", "title", "institution", "type", "region", "assigned", "returned",
          "coi", "counted", "mean", "median", "min", "max", "spread", "sd", "standardized_mean", "unjudgeable",
          "reviewer", "reviewer_name", "revision", "leniency", "leniency_n")
BAND_KEYS = ("band_count", "band_share", "band_target", "band_over")
#: The proposals table's columns shown first, in this order ("" is a column the list does not name: the
#: decision tables); every other column follows in the exported order. Up to the unjudgeable count they
#: fit beside the rounds list at 1360 px (the band of the mean, a long name, is with the rest: the band
#: counts beside the mean say more).
FIRST = ("rank", "standardized_rank", "proposal", "title", "institution", "type", "region", "returned", "coi", "mean",
         "standardized_mean", "median", "spread", "band_count", "unjudgeable", "")
#: Widest a column starts (in widths of 「国」): the title a little more, a band's name whole. The clerk can widen any.
MAX_EM = 7
MAX_EM_OF = {"title": 9, "band_of_mean": 11}


@dataclass(frozen=True)
class Column:
    #: The export column's key (``secretariat.export.col.<key>``), or "" for one not listed here.
    key: str
    #: What the header shows.
    label: str


def band_labels(rubric: Rubric) -> dict[str, str]:
    """Band id → a short name (「190〜」, the lowest 「90未満」) for a header that has to be narrow."""
    if rubric.bands is None:
        return {}
    bands = rubric.bands.bands
    out = {}
    for n, b in enumerate(bands):
        if n and n == len(bands) - 1:
            out[b.id] = tr("gui.secretariat.aggregation.band_below", points=format_points(bands[n - 1].min_points))
        else:
            out[b.id] = tr("gui.secretariat.aggregation.band_from", points=format_points(b.min_points))
    return out


def columns(headers: Sequence[str], rubric: Rubric) -> list[Column]:
    """Each exported header with its key and short label (a header not known keeps its own text)."""
    known: dict[str, Column] = {}

    def add(key: str, short: dict[str, str] | None = None, **params: str) -> None:
        full = tr(f"secretariat.export.col.{key}", **params)
        known[full] = Column(key, tr(f"gui.secretariat.aggregation.short.{key}", **(short if short is not None else params)))

    for key in SIMPLE:
        add(key)
    for v in rubric.viewpoints:
        add("viewpoint_mean", viewpoint=v.label)
    if rubric.bands is not None:
        add("band_of_mean", viewpoint=rubric.viewpoint(rubric.bands.viewpoint_id).label)
        short = band_labels(rubric)
        for b in rubric.bands.bands:
            for key in BAND_KEYS:
                add(key, {"band": short[b.id]}, band=b.label)
    return [known.get(h, Column("", h)) for h in headers]


def first_order(cols: Sequence[Column]) -> list[int]:
    """The proposals table's columns (model indices) in the order they are shown."""
    place = {key: n for n, key in enumerate(FIRST)}
    return sorted(range(len(cols)), key=lambda i: (place.get(cols[i].key, len(FIRST)), i))


def show_in_order(view: QTableView, order: Sequence[int]) -> None:
    """Put the view's columns in ``order`` (model indices), whatever order they were in before."""
    header = view.horizontalHeader()
    for target, logical in enumerate(order):
        at = header.visualIndex(logical)
        if at != target:
            header.moveSection(at, target)


def fit_widths(view: QTableView, cols: Sequence[Column]) -> None:
    """Columns as wide as their (short) header and figures, long texts capped (elided, whole in the tooltip);
    rows one line of text high (the style's 30 px showed two rows fewer)."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
    view.resizeColumnsToContents()
    em = view.fontMetrics().horizontalAdvance("国")
    for n, col in enumerate(cols):
        cap = em * MAX_EM_OF.get(col.key, MAX_EM)
        if view.columnWidth(n) > cap:
            view.setColumnWidth(n, cap)
