"""Render the README's screenshots of the reviewer application (on the demo round) and the secretariat's.

Run it under Xvfb (anyone can, any time; the pictures then match the code):

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python packaging/screenshots.py [--only reviewer|secretariat]

It drives the real windows — the start screen, the unlock dialog, the round view with the
PDF, the findings, the overview, the export dialog — the way a reviewer would, with grades
entered through the workspace services, and writes PNGs into ``docs/screenshots/`` (01–07).
Then ``screenshots_secretariat.py`` runs a round in the secretariat's windows (08 onward).
Every file it touches lives in a fresh temporary folder (data, keys, settings, the exported
result, an in-memory keyring), so a developer's real data and keyring are never read or changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WINDOW = (1360, 850)


def _isolate(tmp: Path) -> None:
    """Everything the app or Qt could read or write goes below ``tmp``."""
    home = tmp / "home" / "reviewer"
    for sub in ("Documents", ".config", ".local/share", ".cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DOCUMENTS_DIR": str(home / "Documents"),
        "REVIEWER_APP_HOME": str(tmp / "data"),
        "LANG": "ja_JP.UTF-8",
    })
    os.environ.pop("REVIEWER_APP_LANG", None)
    sys.path.insert(0, str(ROOT))


def _memory_keyring() -> None:
    """A keyring that forgets everything at exit, so the 'remember' option shows as on a desktop."""
    import keyring
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            store.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


# --- waiting and shooting -------------------------------------------------------------


def settle(ms: int = 300) -> None:
    """Let Qt lay out, paint and deliver queued signals for ``ms`` milliseconds."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def wait_until(what: str, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        settle(50)


class Camera:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.taken: list[Path] = []

    def window(self, name: str, window: Any) -> None:
        """The window as it appears on screen, with any dialog shown over it."""
        from PySide6.QtGui import QGuiApplication

        settle(600)
        geo = window.frameGeometry()
        screen = QGuiApplication.primaryScreen()
        if geo.width() > screen.geometry().width() or geo.height() > screen.geometry().height():
            print(f"  warning: the window ({geo.width()}×{geo.height()}) does not fit the screen "
                  f"({screen.geometry().width()}×{screen.geometry().height()}); the picture is cut")
        pixmap = screen.grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
        _frame_dialogs(pixmap, window)
        self._save(name, pixmap)

    def widget(self, name: str, widget: Any) -> None:
        settle(400)
        self._save(name, widget.grab())

    def _save(self, name: str, pixmap: Any) -> None:
        path = self.out / f"{name}.png"
        if not pixmap.save(str(path), "PNG"):
            raise SystemExit(f"screenshots: could not write {path}")
        _shrink(path)
        self.taken.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _shrink(path: Path) -> None:
    """A 256-colour palette without dithering: a third of the size, no visible difference for
    a user interface. Optional: skipped when ImageMagick is not installed."""
    convert = shutil.which("convert")
    if convert is None:
        return
    tmp = path.with_suffix(".tmp.png")
    done = subprocess.run([convert, str(path), "-dither", "None", "-colors", "256", f"PNG8:{tmp}"],
                          capture_output=True, check=False)
    if done.returncode == 0 and tmp.is_file() and tmp.stat().st_size < path.stat().st_size:
        tmp.replace(path)
    tmp.unlink(missing_ok=True)


def _frame_dialogs(pixmap: Any, window: Any) -> None:
    """Outline every dialog shown over the window: Xvfb has no window manager to draw frames."""
    from PySide6.QtGui import QColor, QPainter, QPen
    from PySide6.QtWidgets import QApplication, QDialog

    origin = window.frameGeometry().topLeft()
    painter = QPainter(pixmap)
    for w in QApplication.topLevelWidgets():
        if w is window or not w.isVisible() or not isinstance(w, QDialog):
            continue
        rect = w.frameGeometry().translated(-origin.x(), -origin.y())
        for i, alpha in enumerate((140, 60, 30, 12)):
            painter.setPen(QPen(QColor(0, 0, 0, alpha), 1))
            painter.drawRect(rect.adjusted(-1 - i, -1 - i, i, i))
    painter.end()


# --- the reviewer's work, entered through the services ------------------------------------

#: (mark for 視点1 a–d items, marks for 視点2 items 2-1…2-5) by how concrete a proposal is.
MARKS = {
    2: ({"1-4": "a", "1-6": "b", "1-8": "a", "1-9": "b"}, ("a", "a", "b", "a", "b")),
    1: ({"1-4": "b", "1-6": "c", "1-8": "b", "1-9": "b"}, ("b", "b", "c", "b", "c")),
    0: ({"1-4": "c", "1-6": "c", "1-8": "d", "1-9": "c"}, ("c", "d", "c", "c", "d")),
}
COMMENTS = {
    "a": "構想調書{ref}に具体的な数値と実施体制が示され、実績・計画とも非常に優れている。",
    "b": "{ref}の記載は概ね具体的だが、一部に実施時期の明示がない。",
    "c": "{ref}の計画は妥当であるが、既存の取組の延長にとどまる。",
    "d": "{ref}の記載が抽象的で、実施体制・時期・資金の裏付けが示されていない。",
}


def enter_grades(ws: Any, bundle_id: str) -> None:
    """Grades as a reviewer half-way through the round would have them."""
    from reviewer_app.services.demo.institutions import INSTITUTIONS

    rubric = ws.round_info(bundle_id).rubric
    for inst in INSTITUTIONS:
        pid = inst.proposal_id
        if pid == "D08":
            ws.declare_conflict(bundle_id, pid, "事業責任者が前任校の同僚であり、利害関係に当たるため。")
            continue
        if pid == "D06":
            continue  # not started yet
        abcd, second = MARKS[inst.quality]
        meta = ws.proposal_meta(bundle_id, pid)
        marks = dict(abcd) | dict(zip(("2-1", "2-2", "2-3", "2-4", "2-5"), second))
        for item in rubric.items:
            ref = item.document_refs[0] if item.document_refs else ""
            if item.basis is not None:
                figure = meta.figures.get(item.id)
                if figure is not None:
                    ws.record_figure(bundle_id, pid, item.id, figure)
                    mark = rubric.scale_of(item).suggest(figure / item.basis.count).code
                    ws.record_grade(bundle_id, pid, item.id, mark)
                continue
            mark = marks[item.id]
            ws.record_grade(bundle_id, pid, item.id, mark)
            if mark in ("a", "d") or item.id in ("2-1", "2-5"):
                ws.record_comment(bundle_id, pid, item.id, COMMENTS[mark].format(ref=ref))
    # D05 is where this reviewer stopped: a d still without its reason, an unjudgeable entry
    # without the reason it needs, one 5-level item not graded yet.
    ws.record_comment(bundle_id, "D05", "2-2", "")
    ws.set_unjudgeable(bundle_id, "D05", "2-4", "")
    ws.record_grade(bundle_id, "D05", "1-7", None)
    ws.record_note(bundle_id, "D05", "ヒアリングで事務所の運営体制を確認したい（自分用のメモ）。")


def finish_grades(ws: Any, bundle_id: str) -> None:
    """What the reviewer does after the findings screenshot: every finding fixed, D06 graded."""
    ws.record_comment(bundle_id, "D05", "2-2", "受入重点国が1カ国のみで、受入計画の具体性に欠ける（2-(2)-①）。")
    ws.set_unjudgeable(bundle_id, "D05", "2-4", "2-(4)の表と5-(7)で事務所の整備方法が食い違い、判断できない。")
    meta = ws.proposal_meta(bundle_id, "D05")
    ws.record_grade(bundle_id, "D05", "1-7", "1")
    ws.record_figure(bundle_id, "D05", "1-7", meta.figures["1-7"])
    rubric = ws.round_info(bundle_id).rubric
    meta6 = ws.proposal_meta(bundle_id, "D06")
    for item in rubric.items:
        if item.basis is not None:
            ws.record_grade(bundle_id, "D06", item.id,
                            rubric.scale_of(item).suggest(meta6.figures[item.id] / item.basis.count).code)
        else:
            ws.record_grade(bundle_id, "D06", item.id, "b")


# --- the tour ---------------------------------------------------------------------------------


def tour(camera: Camera) -> None:
    from PySide6.QtCore import QPoint

    from reviewer_app.gui.app import ensure_app, start_language
    from reviewer_app.gui.fonts import ensure_japanese_font
    from reviewer_app.gui.main_window import AppWindow
    from reviewer_app.gui.tasks import wait_for_idle
    from reviewer_app.gui.translation import apply_language
    from reviewer_app.gui.unlock_dialog import UnlockDialog
    from reviewer_app.paths import HOME_ENV
    from reviewer_app.services.demo import demo_home, ensure_demo_round
    from reviewer_app.services.workspace import Workspace

    # As `reviewer-app demo` does: the demo's own folder first, then the round.
    os.environ[HOME_ENV] = str(demo_home())
    demo = ensure_demo_round()
    app = ensure_app()
    start_language("ja")
    ensure_japanese_font(app)
    ws = Workspace()
    window = AppWindow(ws, demo=True)
    window.demo_passphrases[demo.bundle_id] = demo.passphrase
    window.resize(*WINDOW)
    window.move(QPoint(0, 0))
    window.show()
    window.start_screen.refresh(select=demo.bundle_id)
    settle(500)

    print("unlock")
    dialog = UnlockDialog(ws, demo.bundle_id, window, demo_passphrase=demo.passphrase)
    dialog.show()
    dialog.fill_demo_passphrase()
    camera.window("02-unlock", window)
    dialog.accept()
    wait_until("the unlock", lambda: dialog.outcome is not None)
    wait_for_idle()
    dialog.close()

    enter_grades(ws, demo.bundle_id)
    window.start_screen.refresh(select=demo.bundle_id)

    print("scoring")
    window.show_round(demo.bundle_id)
    view = window.round_view
    view.select_proposal("D02")
    wait_until("the PDF", lambda: view.pdf.state == "ready")
    view.pdf.go_to_page(6)  # 5. 基礎データ: the figures the 5-level items are graded on
    view.form.focus_item("1-1")
    camera.window("03-scoring", window)

    print("findings")
    view.select_proposal("D05")
    wait_until("the PDF", lambda: view.pdf.state == "ready")
    view.focus_finding("D05", "2-2")
    camera.window("04-findings", window)

    print("overview")
    finish_grades(ws, demo.bundle_id)
    window.close_round()  # the grades changed behind the view's back: open the round afresh
    window.show_round(demo.bundle_id)
    view = window.round_view
    view.select_proposal("D04")
    wait_until("the PDF", lambda: view.pdf.state == "ready")
    view.open_overview()
    overview = view.overview_dialog
    overview.resize(1240, 620)
    overview.move(window.geometry().center() - overview.rect().center())
    camera.window("05-overview", window)
    overview.close()

    print("export")
    view.open_export()
    export = view.export_dialog
    export.justification.setPlainText(
        "190点以上の3件（D01・D02・D04）は、いずれも受入重点国・海外事務所・資金計画が具体的で、"
        "観点②③の水準を満たしている。他の構想との差は明確であり、評点を維持する。")
    export.location.set_path(Path(os.environ["XDG_DOCUMENTS_DIR"]) / ws.default_export_path(demo.bundle_id).name)
    export.refresh()
    settle(300)
    export.export()
    wait_until("the export", lambda: export.export_result is not None)
    wait_for_idle()
    export.move(window.geometry().center() - export.rect().center())
    camera.window("06-export", window)
    export.accept()
    settle(300)

    print("start screen")
    window.close_round()
    window.start_screen.refresh(select=demo.bundle_id)
    camera.window("01-start", window)

    print("english")
    apply_language("en")
    window.show_round(demo.bundle_id)
    view = window.round_view
    view.select_proposal("D03")
    wait_until("the PDF", lambda: view.pdf.state == "ready")
    view.form.focus_item("2-1")
    camera.window("07-english", window)
    apply_language("ja")

    window.close()
    ws.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files (default: docs/screenshots)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder and print its path")
    parser.add_argument("--only", choices=("reviewer", "secretariat"),
                        help="render one side only (default: both)")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        print('screenshots: no display; run: xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python '
              "packaging/screenshots.py", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="reviewer-app-screenshots-"))
    try:
        _isolate(tmp)
        _memory_keyring()
        import reviewer_app.gui  # noqa: F401  (the CPython 3.11 None-refcount workaround, first)

        args.out.mkdir(parents=True, exist_ok=True)
        camera = Camera(args.out.resolve())
        if args.only != "secretariat":
            tour(camera)
        if args.only != "reviewer":
            import screenshots_secretariat

            screenshots_secretariat.tour(camera, settle, wait_until, ROOT, WINDOW)
        print(f"{len(camera.taken)} screenshots in {args.out}")
    finally:
        if args.keep:
            print(f"data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
