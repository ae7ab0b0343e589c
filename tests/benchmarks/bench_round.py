"""The round view (D2a): switching proposals, a grade key, the round-wide refresh, opening a round.

Each GUI figure stands beside the workspace service calls it is made of, measured in the
same run, so what the widgets add is visible: the form is built once per rubric and only
re-filled when the proposal changes, and a grade key updates the card and totals at once
while the list statuses and the distribution (which ask about every proposal) follow once
per burst of keys. The round has 50 proposals, 40 of them graded; the PDF pane's
decryption runs on its worker and is not part of these figures (see ``bench_gui``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._util import percentiles

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from reviewer_app.gui.review.round_view import RoundView
    from reviewer_app.services.workspace import Workspace

Rows = list[tuple[str, float, str]]
N = 50


def _round() -> tuple[QApplication, Workspace, RoundView, float]:
    from PySide6.QtWidgets import QApplication

    import reviewer_app.gui  # noqa: F401  (the None workaround before any Qt call)
    from reviewer_app.gui.review.round_view import RoundView
    from tests.gui.round_support import build_round
    from tests.workspace_fixtures import grade_everything

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    ws, built = build_round(Path(tempfile.mkdtemp(prefix="reviewer-bench-round-")), n=N)
    grade_everything(ws, built.bundle_id, built.proposal_ids[: N - 10], mark_index=1)
    t0 = time.perf_counter()
    view = RoundView(ws, built.bundle_id)
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    opened = time.perf_counter() - t0
    for pid in built.proposal_ids:
        view._confirm(pid)  # answered 「利害関係なし」 once: no question while measuring
    return app, ws, view, opened


def bench_round_view() -> Rows:
    app, ws, view, opened = _round()
    bundle = view.bundle_id
    ids = list(view.list.ids())
    rows: Rows = [("round.open_view_50", opened * 1000, "ms")]

    def service_side(pid: str) -> None:  # what showing a proposal asks the service
        ws.conflicts(bundle), ws.entries(bundle, pid), ws.proposal_result(bundle, pid)
        ws.note(bundle, pid), ws.proposal_meta(bundle, pid)

    switch, base = [], []
    for _ in range(2):
        for pid in ids[:40]:
            t0 = time.perf_counter()
            service_side(pid)
            base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            view.select_proposal(pid)
            switch.append(time.perf_counter() - t0)
            app.processEvents()
    rows.append(("round.switch_proposal_median", percentiles(switch)[0] * 1000, "ms"))
    rows.append(("round.switch_proposal_service_calls_median", percentiles(base)[0] * 1000, "ms"))

    view.select_proposal(ids[0])
    items = [i.id for i in view.rubric.items if view.rubric.scale_of(i).kind == "grade"]
    key, bare, refresh = [], [], []
    for n in range(40):
        item, mark = items[n % len(items)], "bcd"[(n + n // len(items)) % 3]  # every call changes the grade
        t0 = time.perf_counter()
        view._grade(item, mark)
        key.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        view.refresh_round()
        refresh.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ws.record_grade(bundle, ids[1], item, mark)
        bare.append(time.perf_counter() - t0)
    rows.append(("round.grade_key_median", percentiles(key)[0] * 1000, "ms"))
    rows.append(("round.record_grade_service_median", percentiles(bare)[0] * 1000, "ms"))
    rows.append(("round.round_refresh_50_median", percentiles(refresh)[0] * 1000, "ms"))
    t0 = time.perf_counter()
    ws.proposals(bundle), ws.distribution(bundle)
    rows.append(("round.round_refresh_service_calls", (time.perf_counter() - t0) * 1000, "ms"))
    view.close()
    ws.close()
    return rows


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "round", bench_round_view
