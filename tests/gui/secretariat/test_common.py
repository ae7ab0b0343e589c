"""How the secretariat's tables show values: fractions to two decimals with the exact value in the tooltip,
stored UTC times in the clerk's local time."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from reviewer_app.gui.secretariat.common import RowsModel, cell_text, local_time


def test_fractions_show_two_decimals_and_whole_numbers_stay_whole(qtbot):
    assert cell_text(Decimal("474.6875")) == "474.69"
    assert cell_text(Decimal("93.571428571428571428571428571")) == "93.57"
    assert cell_text(Decimal("457")) == "457" and cell_text(Decimal("690.000")) == "690"
    assert cell_text(Decimal("340.5")) == "340.5"
    model = RowsModel()
    model.set_rows(["mean"], [[Decimal("474.6875")]])
    index = model.index(0, 0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "474.69"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "474.6875"  # the exact value is one hover away


@pytest.fixture
def tokyo():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_stored_utc_times_read_as_local_time(tokyo):
    assert local_time("2009-06-30T08:05:42+00:00") == "2009-06-30 17:05"
    assert local_time(None) == "" and local_time("not a time") == "not a time"
