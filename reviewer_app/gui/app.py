"""Application start-up: one QApplication, the language, the font, the window.

``run()`` is what ``reviewer-app gui`` (and a double-click, which runs the command without a
sub-command) starts; ``run(demo=True)`` is ``reviewer-app demo``: the data folder is pointed
at the demo's own folder *before* anything opens the workspace, so demo data never mixes
with real data, and the demo round is built (first time) or reused, then opened with its
passphrase shown in the unlock dialog.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..core.errors import ReviewerAppError
from ..i18n import LANG_ENV, LANGUAGES, tr
from ..paths import HOME_ENV
from .errors import ensure_logging, install_excepthook, show_error
from .fonts import ensure_japanese_font
from .settings import app_settings
from .translation import apply_language

log = logging.getLogger("reviewer_app")


def ensure_app() -> QApplication:
    """The one QApplication (created with high-DPI scaling that follows the screen exactly)."""
    app = QApplication.instance()
    if app is None:
        # Qt 6 scales by the screen's device pixel ratio already; pass fractional ratios
        # (125 %, 150 % laptops) through unrounded so text and icons are neither blurry nor tiny.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("reviewer-app")
        app.setApplicationVersion(__version__)
        app.setDesktopFileName("reviewer-app")
    assert isinstance(app, QApplication)
    return app


def start_language(explicit: str | None = None) -> str:
    """The language for this session: ``--lang`` or ``REVIEWER_APP_LANG``, else the remembered
    choice, else the system's (Japanese on a Japanese system, English elsewhere)."""
    if explicit not in LANGUAGES:
        explicit = os.environ.get(LANG_ENV, "").split("_")[0].lower()
    lang = explicit if explicit in LANGUAGES else app_settings().value("language")
    apply_language(lang)
    return lang


def run(rubric: str | None = None, *, demo: bool = False, lang: str | None = None,
        files: Sequence[str] = ()) -> int:
    """Start the application; returns the process exit code.

    ``rubric`` opens only the rubric viewer on that file (checking a rubric before a round
    is built); otherwise the reviewer's window opens on the start screen. ``files`` are
    bundles to add and open (what a double-click on an ``.rvb`` file hands over).
    """
    if demo:
        from ..services.demo import demo_home

        os.environ[HOME_ENV] = str(demo_home())
    app = ensure_app()
    ensure_logging()
    install_excepthook()
    start_language(lang)  # also sets the display name Qt appends to window titles
    ensure_japanese_font(app)

    if rubric is not None:
        return _run_rubric_viewer(app, rubric)

    from ..services.workspace import Workspace
    from .main_window import AppWindow

    try:
        workspace = Workspace()
    except ReviewerAppError as exc:  # a database from a newer version, an unwritable folder …
        show_error(None, exc)
        return 3
    try:
        window = AppWindow(workspace, demo=demo)
        window.show()
        if demo:
            prepare_demo(window)
        elif files:
            window.open_files([Path(f) for f in files])
        return app.exec()
    finally:
        from .tasks import shutdown

        shutdown()  # a task still running uses the workspace: let it finish first
        workspace.close()


def prepare_demo(window: object) -> None:
    """Build or reuse the demo round off the GUI thread, then open it with its passphrase shown."""
    from ..services.demo import ensure_demo_round
    from .main_window import AppWindow
    from .tasks import Op

    assert isinstance(window, AppWindow)

    def ready(demo: object) -> None:
        window.demo_passphrases[demo.bundle_id] = demo.passphrase  # type: ignore[attr-defined]
        window.start_screen.refresh(select=demo.bundle_id)  # type: ignore[attr-defined]
        window.open_round(demo.bundle_id)  # type: ignore[attr-defined]

    Op(window, ensure_demo_round, busy=tr("gui.busy.demo")).success(ready).run()


def _run_rubric_viewer(app: QApplication, rubric: str) -> int:
    from ..services.rubrics import load_rubric_arg
    from .rubric_view import RubricWindow

    try:
        loaded = load_rubric_arg(rubric)
    except ReviewerAppError as exc:
        show_error(None, exc)
        return 3
    window = RubricWindow(loaded)
    window.show()
    return app.exec()
