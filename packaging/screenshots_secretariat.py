"""The secretariat's side of the README's screenshots: a whole round run in the windows, as a clerk would.

Called by ``screenshots.py`` (which isolates everything in a temporary folder first). The clerk
switches the window to the secretariat's role, creates the secretariat key, registers the example
round from ``resources/demo/round-example`` (first with a typing mistake in assignments.csv, to
show the check), issues the bundles, imports what the reviewers returned, looks at the
aggregation, records 表1 and writes the exports. The reviewers in between are played with the
reviewer's own services (``Workspace``), each in a data folder of their own, so the imported
results are exactly what the reviewer application exports. Only the passphrases are taken
from the issuing call instead of being read off the letters (PDF).
"""

from __future__ import annotations

import functools
import os
import random
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROUND = "2009-R1"
#: How concrete each example proposal is (0 thin … 2 strong) and how lenient each reviewer is.
QUALITY = {"P-001": 1, "P-002": 2, "P-003": 2, "P-004": 0, "P-005": 1, "P-006": 1, "P-007": 0, "P-008": 2}
LENIENCY = {"R01": 0, "R02": 1, "R03": -1, "R04": 0, "R05": 0}
MARKS = "dcba"
COMMENTS = {
    "a": ("構想調書{ref}に数値目標と実施体制が具体的に示され、非常に優れている。",
          "{ref}の実績は基準を大きく上回り、全学的な体制も明確である。",
          "{ref}の計画は年次ごとの目標と財源が明示され、実現性が高い。"),
    "b": ("{ref}の記載は概ね具体的だが、実施時期が明示されていない部分がある。",
          "{ref}の取組は評価できるが、学部間の差が大きい。",
          "{ref}は妥当な計画であり、受入体制の記載がもう少し具体的であればなお良い。"),
    "c": ("{ref}の計画は妥当であるが、既存の取組の延長にとどまる。",
          "{ref}の記載からは、全学的な推進体制が読み取りにくい。",
          "{ref}の目標値は示されているが、達成までの道筋が不明確である。"),
    "d": ("{ref}の記載が抽象的で、実施体制・時期・資金の裏付けが示されていない。",
          "{ref}の目標が目安の水準に達しておらず、厳しく評価した。",
          "{ref}に具体的な計画がなく、判断の根拠となる記載が不足している。"),
}
KEY_PASSPHRASE = "北の空 青い窓 七つの橋 2009 事務局"
JUSTIFICATION = "担当した申請の水準に差が大きく、目安どおりの分布にならなかった。各評点の根拠は所見に記載した。"


@contextmanager
def person(folder: Path) -> Iterator[None]:
    """Run the enclosed code as a reviewer on their own laptop (their own data folder)."""
    from reviewer_app.paths import HOME_ENV

    before = os.environ[HOME_ENV]
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[HOME_ENV] = str(folder)
    try:
        yield
    finally:
        os.environ[HOME_ENV] = before


def score(ws: Any, bid: str, reviewer: str) -> None:
    """One reviewer's grades: the proposal's quality, the reviewer's leniency and a little noise."""
    rng = random.Random(reviewer)
    rubric = ws.round_info(bid).rubric
    for pid in ws.proposal_ids(bid):
        if (reviewer, pid) == ("R01", "P-006"):
            ws.declare_conflict(bid, pid, "事業責任者が前任校の同僚であり、利害関係に当たる。")
            continue
        meta = ws.proposal_meta(bid, pid)
        for item in rubric.items:
            ref = item.document_refs[0] if item.document_refs else ""
            if item.basis is not None:
                figure = meta.figures[item.id]
                ws.record_figure(bid, pid, item.id, figure)
                ws.record_grade(bid, pid, item.id, rubric.scale_of(item).suggest(figure / item.basis.count).code)
                continue
            if (reviewer, pid, item.id) == ("R03", "P-007", "2-4"):
                ws.set_unjudgeable(bid, pid, item.id, "2-(4)の表と5-(7)で事務所の所在国が食い違い、判断できない。")
                continue
            level = QUALITY[pid] + 1 + LENIENCY[reviewer] + rng.choice((-1, 0, 0, 0, 1))
            mark = MARKS[max(0, min(3, level))]
            ws.record_grade(bid, pid, item.id, mark)
            if mark in ("a", "d") or item.id.startswith("2-"):
                ws.record_comment(bid, pid, item.id, rng.choice(COMMENTS[mark]).format(ref=ref))
    ws.set_justification(bid, JUSTIFICATION)


def play_reviewers(tmp: Path, bundles: dict[str, Path], passphrases: dict[str, str]) -> tuple[list[Path], list[Path]]:
    """The reviewers score and export. Returns (the first results that arrived, the later folder's files)."""
    from reviewer_app.services.workspace import Workspace

    early, later = tmp / "returned-early", tmp / "returned"
    early.mkdir()
    later.mkdir()
    first: list[Path] = []
    for reviewer in ("R01", "R02", "R03", "R04"):  # R05 has not returned yet
        with person(tmp / "reviewers" / reviewer), Workspace() as ws:
            bid = ws.add_bundle(bundles[reviewer], passphrases[reviewer]).bundle_id
            ws.unlock(bid, passphrases[reviewer])
            score(ws, bid, reviewer)
            name = f"{ROUND}_{reviewer}.result.rvb"
            if reviewer == "R01":  # arrived first and was imported at once; later sent again with the others
                ws.export(bid, early / name, passphrases[reviewer])
                shutil.copy2(early / name, later / name)
            elif reviewer == "R03":  # revision 1, then a corrected revision 2 that was imported first
                ws.export(bid, later / name, passphrases[reviewer])
                ws.record_comment(bid, "P-004", "2-5", "達成目標の留学生比率が目安（20%）を大きく下回り、水準に達していない。")
                ws.export(bid, early / f"{ROUND}_{reviewer}_第2版.result.rvb", passphrases[reviewer])
            else:
                ws.export(bid, later / name, passphrases[reviewer])
    first = sorted(early.iterdir())
    # A copy of R02's file damaged on the way (one byte changed on a USB stick).
    damaged = bytearray((later / f"{ROUND}_R02.result.rvb").read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    (later / f"{ROUND}_R02_copy.result.rvb").write_bytes(bytes(damaged))
    return first, sorted(later.iterdir())


# --- the tour ---------------------------------------------------------------------------------


def tour(camera: Any, settle: Callable[[int], None], wait_until: Callable[..., None], root: Path,
         window_size: tuple[int, int]) -> None:
    from PySide6.QtCore import QPoint

    from reviewer_app.gui.app import ensure_app, start_language
    from reviewer_app.gui.fonts import ensure_japanese_font
    from reviewer_app.gui.main_window import AppWindow
    from reviewer_app.gui.secretariat import common
    from reviewer_app.gui.tasks import wait_for_idle
    from reviewer_app.gui.translation import apply_language
    from reviewer_app.paths import HOME_ENV
    from reviewer_app.services.workspace import Workspace

    tmp = Path(os.environ[HOME_ENV]).parent / "secretariat-tour"
    tmp.mkdir()
    os.environ[HOME_ENV] = str(tmp / "office")
    opened: list[Path] = []
    common.opener[0] = opened.append  # 「開く」 would start a PDF viewer on the developer's desktop

    app = ensure_app()
    start_language("ja")
    ensure_japanese_font(app)
    ws = Workspace()
    window = AppWindow(ws)
    window.resize(*window_size)
    window.move(QPoint(0, 0))
    window.show()
    settle(300)

    print("secretariat: role")
    window.role_switch.actions["secretariat"].trigger()
    home = window.role_switch.secretariat_home
    settle(300)
    camera.window("08-secretariat-start", window)

    print("secretariat: setup")
    setup = tmp / "round-example"
    shutil.copytree(root / "resources" / "demo" / "round-example", setup)
    good = (setup / "assignments.csv").read_text(encoding="utf-8")
    (setup / "assignments.csv").write_text(good.replace("R05,P-008", "R5,P-008"), encoding="utf-8")
    dialog = home.open_setup()
    dialog.folder_edit.setText(str(setup))
    dialog.run_check()
    wait_until("the check", lambda: dialog.check is not None)
    dialog.move(window.geometry().center() - dialog.rect().center())
    camera.window("09-secretariat-setup", window)
    (setup / "assignments.csv").write_text(good, encoding="utf-8")
    dialog.run_check()
    wait_until("the second check", lambda: dialog.check is not None and dialog.check.ok)
    dialog.register()
    wait_until("the registration", lambda: dialog.outcome is not None)
    wait_for_idle()
    settle(300)

    print("secretariat: keys and issue")
    from reviewer_app.gui.secretariat.keys import KeygenDialog

    def new_key_passphrase(parent: Any, keyring: bool) -> str:
        """The clerk's answer in the key dialog (shown, photographed, accepted)."""
        dialog = KeygenDialog(parent, keyring=keyring)
        dialog.show()
        dialog.first.setText(KEY_PASSPHRASE)
        dialog.second.setText(KEY_PASSPHRASE)
        dialog.move(window.geometry().center() - dialog.rect().center())
        camera.window("10-secretariat-keys", window)
        dialog.accept()
        dialog.deleteLater()
        return KEY_PASSPHRASE

    home.keys.confirm_create = lambda _parent: True  # 「このコンピューターには事務局の鍵がまだありません。作成しますか？」
    home.keys.ask_new_passphrase = new_key_passphrase
    passphrases: list[str] = []

    def remembered() -> str:
        from reviewer_app.core.secretariat.passphrase import new_passphrase

        passphrases.append(new_passphrase())
        return passphrases[-1]

    sec = home.sec
    sec.issue_bundles = functools.partial(type(sec).issue_bundles, sec, passphrases=remembered)  # type: ignore[method-assign]
    issue = home.show_tab("secretariatIssue")
    out = tmp / "配布"
    out.mkdir()
    issue.folder_edit.setText(str(out))
    issue.issue(reissue=False)
    wait_until("the bundles", lambda: issue.report is not None, timeout=300)
    wait_for_idle()
    camera.window("11-secretariat-issue", window)

    report = issue.report
    bundles = {i.reviewer_id: i.bundle_path for i in report.written}
    by_reviewer = dict(zip((i.reviewer_id for i in report.written), passphrases, strict=True))

    print("secretariat: the reviewers score and export")
    first, later = play_reviewers(tmp, bundles, by_reviewer)

    print("secretariat: import")
    imp = home.show_tab("secretariatImport")
    imp.import_paths(first)
    wait_until("the first import", lambda: imp.report is not None, timeout=300)
    wait_for_idle()
    imp.report = None
    imp.import_paths([later[0].parent])
    wait_until("the import", lambda: imp.report is not None, timeout=300)
    wait_for_idle()
    camera.window("12-secretariat-import", window)

    print("secretariat: overview")
    home.show_tab("secretariatOverview")
    camera.window("13-secretariat-overview", window)

    print("secretariat: aggregation")
    agg = home.show_tab("secretariatAggregation")
    wait_for_idle()
    mean_col = agg.model.headers.index(agg_header("mean"))
    agg.table.sortByColumn(mean_col, _descending())
    agg.table.setCurrentIndex(agg.table.model().index(0, 0))
    agg.table.selectRow(0)
    camera.window("14-secretariat-aggregation", window)
    agg.details.setCurrentIndex(1)
    agg.reviewers_view.setCurrentIndex(agg.reviewers_view.model().index(1, 0))
    agg.reviewers_view.selectRow(1)
    camera.window("15-secretariat-reviewers", window)

    print("secretariat: decisions")
    dec = home.show_tab("secretariatDecisions")
    dec.by_edit.setText("山本（事務局）")
    for pid, code, note in (("P-002", "○", "書面審査の上位。ヒアリングで受入体制を確認する。"),
                            ("P-003", "○", ""), ("P-008", "○", ""), ("P-005", "○", "中部地域の拠点として確認する。"),
                            ("P-004", "×", "")):
        dec.select(pid)
        dec.note_edit.setText(note)
        dec.record(code)
    dec.select("P-005")
    camera.window("16-secretariat-decisions", window)

    print("secretariat: exports")
    exp = home.show_tab("secretariatExports")
    docs = Path(os.environ["XDG_DOCUMENTS_DIR"])
    exp.choose_path = lambda kind, suggested: docs / suggested.name
    for key in ("xlsx", "tables_pdf", "panel_pdf"):
        exp.export(key)
        wait_until(f"the {key} export", lambda: not exp.running, timeout=300)
        wait_for_idle()
    camera.window("17-secretariat-exports", window)

    print("secretariat: english")
    apply_language("en")
    home.show_tab("secretariatDecisions")
    camera.window("18-secretariat-english", window)
    apply_language("ja")

    window.close()
    home.close_service()
    ws.close()


def agg_header(key: str) -> str:
    from reviewer_app.i18n import tr

    return tr(f"secretariat.export.col.{key}")


def _descending() -> Any:
    from PySide6.QtCore import Qt

    return Qt.SortOrder.DescendingOrder
