"""The application window: menus, the start screen, and the open round.

One window for the whole session (OnionShare's pattern: a main window holding screens that
only talk to services). A ``QStackedWidget`` shows the *home* screen of the current role or
the open round; the reviewer's home is the :class:`StartScreen`. Issue 12 adds the
secretariat's home: it registers in ``HOME_SCREENS`` and the role setting picks it, so the
menus, errors, settings and round handling here stay shared.

Whatever the reviewer typed is committed before the round closes, another round opens or the
application quits (``RoundView.flush()``), and the window's geometry is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QStackedWidget, QToolBar, QWidget

from .. import __version__
from ..core.errors import ReviewerAppError
from ..i18n import tr
from ..services.workspace import UnlockOutcome, Workspace
from .errors import ensure_logging, show_error
from .settings import ZOOM_DEFAULT, ZOOM_STEP, app_settings
from .settings_dialog import SettingsDialog
from .start_screen import StartScreen
from .tasks import Op
from .unlock_dialog import UnlockDialog, is_bundle_problem, show_bundle_problem

#: The home screen of each role (issue 12 adds "secretariat").
HOME_SCREENS: dict[str, Callable[[Workspace, QWidget], QWidget]] = {"reviewer": StartScreen}

#: Menus the round view may add actions to, in menu-bar order.
MENU_KEYS = ("file", "view", "help")

#: Round actions also shown as toolbar buttons (the tasks a reviewer looks for first).
TOOLBAR_ACTIONS = ("round_export", "round_print", "round_overview", "round_shortcuts")


class AppWindow(QMainWindow):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *, demo: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("appWindow")
        self.workspace = workspace
        self.demo = demo
        #: Passphrases to show in the unlock dialog (the demo round's, which is not a secret).
        self.demo_passphrases: dict[str, str] = {}
        self.settings = app_settings()
        self.role = self.settings.value("role") if self.settings.value("role") in HOME_SCREENS else "reviewer"
        self.round_view: Any = None
        self.round_bundle: str | None = None
        self._round_actions: dict[str, list[QAction]] = {}
        self._rubric_windows: list[QWidget] = []

        self.stack = QStackedWidget(self)
        self.home = HOME_SCREENS[self.role](workspace, self)
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        if isinstance(self.home, StartScreen):
            self.start_screen: StartScreen = self.home
            self.home.open_requested.connect(self.open_round)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.settings.changed.connect(self._setting_changed)
        self.resize(1360, 860)
        geometry = self.settings.value("main_geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("main_state")
        if not state.isEmpty():
            self.restoreState(state)
        self.retranslate()
        self._update_actions()
        from .secretariat.role import RoleSwitch  # issue 12: the secretariat's home and the role switch

        self.role_switch = RoleSwitch(self)

    # --- actions and menus --------------------------------------------------------

    def _action(self, name: str, slot: Callable[[], object], shortcuts: list[QKeySequence] | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcuts:
            unique: list[QKeySequence] = []  # a key listed twice on one action makes it ambiguous
            for key in shortcuts:
                if not key.isEmpty() and key not in unique:
                    unique.append(key)
            action.setShortcuts(unique)
        return action

    def _build_actions(self) -> None:
        seq = QKeySequence
        self.add_action = self._action("addBundle", self.start_screen.choose_and_add, [seq(seq.StandardKey.Open)])
        self.close_round_action = self._action("closeRound", self.close_round, [seq(seq.StandardKey.Close)])
        self.quit_action = self._action("quit", self.close, [seq(seq.StandardKey.Quit), seq("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.zoom_in_action = self._action("zoomIn", lambda: self.zoom_form(+ZOOM_STEP),
                                           [seq(seq.StandardKey.ZoomIn), seq("Ctrl+="), seq("Ctrl++")])
        self.zoom_out_action = self._action("zoomOut", lambda: self.zoom_form(-ZOOM_STEP),
                                            [seq(seq.StandardKey.ZoomOut), seq("Ctrl+-")])
        self.zoom_reset_action = self._action("zoomReset", lambda: self.set_form_zoom(ZOOM_DEFAULT), [seq("Ctrl+0")])
        self.settings_action = self._action("preferences", self.show_settings, [seq(seq.StandardKey.Preferences)])
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.rubric_action = self._action("showRubric", self.show_rubric)
        self.log_action = self._action("openLogFolder", self.open_log_folder)
        self.about_action = self._action("about", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        for a in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.file_menu.addAction(self.add_action)
        self.file_menu.addAction(self.close_round_action)
        self._file_anchor = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = QMenu(self)
        self.view_menu.addAction(self.zoom_in_action)
        self.view_menu.addAction(self.zoom_out_action)
        self.view_menu.addAction(self.zoom_reset_action)
        self._view_anchor = self.view_menu.addSeparator()
        self.settings_menu = QMenu(self)
        self.settings_menu.addAction(self.settings_action)
        self.help_menu = QMenu(self)
        self._help_anchor = self.help_menu.addSeparator()
        self.help_menu.addAction(self.rubric_action)
        self.help_menu.addAction(self.log_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        for m in (self.file_menu, self.view_menu, self.settings_menu, self.help_menu):
            bar.addMenu(m)
        self._anchors = {"file": (self.file_menu, self._file_anchor), "view": (self.view_menu, self._view_anchor),
                         "help": (self.help_menu, self._help_anchor)}

    def _build_toolbar(self) -> None:
        # Shown only while a round is open: the way back to the rounds, and the round's main tasks.
        self.round_toolbar = QToolBar(self)
        self.round_toolbar.setObjectName("roundToolbar")
        self.round_toolbar.setMovable(False)
        self.round_toolbar.setFloatable(False)
        self.round_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.round_toolbar.toggleViewAction().setEnabled(False)
        self.back_action = self._action("backToRounds", self.close_round)
        self.round_toolbar.addAction(self.back_action)
        self._toolbar_anchor = self.round_toolbar.addSeparator()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.round_toolbar)
        self.round_toolbar.setVisible(False)

    def retranslate(self) -> None:
        self.round_toolbar.setWindowTitle(tr("gui.main.toolbar"))
        self.back_action.setText(tr("gui.main.back_to_rounds"))
        self.back_action.setToolTip(tr("gui.main.back_to_rounds_tip"))
        self.file_menu.setTitle(tr("gui.menu.file"))
        self.view_menu.setTitle(tr("gui.menu.view"))
        self.settings_menu.setTitle(tr("gui.menu.settings"))
        self.help_menu.setTitle(tr("gui.menu.help"))
        for action, key in (
            (self.add_action, "add_bundle"), (self.close_round_action, "close_round"), (self.quit_action, "quit"),
            (self.zoom_in_action, "zoom_in"), (self.zoom_out_action, "zoom_out"), (self.zoom_reset_action, "zoom_reset"),
            (self.settings_action, "preferences"), (self.rubric_action, "show_rubric"),
            (self.log_action, "open_log_folder"), (self.about_action, "about"),
        ):
            action.setText(tr(f"gui.menu.{key}"))
            action.setToolTip(tr(f"gui.menu.{key}").replace("…", "").replace("&", ""))
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            # Called from here rather than by a Python event filter on the whole window.
            if getattr(self, "role_switch", None) is not None:
                self.role_switch.retranslate()
        super().changeEvent(event)

    def _update_title(self) -> None:
        name = tr("app.name")
        if self.demo:
            name = tr("gui.main.demo_title", name=name)
        title = None
        if self.round_bundle is not None:
            try:
                info = self.workspace.round_info(self.round_bundle)
                title = info.title or info.round_id
            except ReviewerAppError:
                title = None
        self.setWindowTitle(f"{title} — {name}" if title else name)

    def _update_actions(self) -> None:
        is_open = self.round_view is not None
        self.close_round_action.setEnabled(is_open)
        self.round_toolbar.setVisible(is_open)

    # --- rounds -------------------------------------------------------------------

    def open_files(self, paths: list[Path]) -> None:
        """Bundles handed to the application (a double-click, ``reviewer-app gui FILE``): add and open."""
        if self.role_switch.role != "reviewer":
            self.role_switch.switch("reviewer", remember=False)  # a bundle is the reviewer's business
        self.start_screen.add_files(paths, open_existing=True)

    def open_round(self, bundle_id: str) -> None:
        """Open a round: at once if its key is in memory or remembered, else ask for the passphrase."""
        if self.round_bundle == bundle_id and self.round_view is not None:
            self.stack.setCurrentWidget(self.round_view)
            return
        if not self.flush_round():
            return
        Op(self, lambda: self.workspace.try_open(bundle_id), busy=tr("gui.busy.opening")) \
            .success(lambda opened: self._after_try_open(bundle_id, opened)) \
            .failure(lambda exc: self._open_failed(bundle_id, exc)).run()

    def _after_try_open(self, bundle_id: str, opened: bool) -> None:
        if opened:
            self.show_round(bundle_id)
            return
        try:
            self.workspace.stored_header(bundle_id)
        except ReviewerAppError as exc:  # a damaged copy: say so before asking for a passphrase
            self._open_failed(bundle_id, exc)
            return
        dialog = UnlockDialog(self.workspace, bundle_id, self, demo_passphrase=self.demo_passphrases.get(bundle_id))
        self.unlock_dialog = dialog
        try:
            accepted = dialog.exec() == UnlockDialog.DialogCode.Accepted
        finally:
            self.unlock_dialog = None
        if dialog.remove_requested:
            self.start_screen.remove(bundle_id)
            return
        if accepted and dialog.outcome is not None:
            self._show_notices(dialog.outcome)
            self.start_screen.refresh(select=bundle_id)
            self.show_round(bundle_id)

    def _open_failed(self, bundle_id: str, exc: BaseException) -> None:
        if is_bundle_problem(exc):
            assert isinstance(exc, ReviewerAppError)
            if show_bundle_problem(self, exc):
                self.start_screen.remove(bundle_id)
            return
        show_error(self, exc)

    def _show_notices(self, outcome: UnlockOutcome) -> None:
        texts = [tr("warning." + n.code, **n.params) for n in outcome.notices]
        if texts:
            QMessageBox.information(self, tr("app.name"), "\n\n".join(texts))

    def show_round(self, bundle_id: str) -> None:
        """Put the round's view in the window (replacing any other round, flushed first)."""
        # Imported on first use: the start screen paints without loading the PDF and form code.
        from .review.round_view import RoundView

        self._drop_round_view()
        try:
            view = RoundView(self.workspace, bundle_id, self)
        except Exception as exc:  # the start screen stays; the reviewer is told what happened
            show_error(self, exc)
            return
        view.close_requested.connect(self.close_round)
        self._install_round_actions(view.menu_actions())
        self.round_view = view
        self.round_bundle = bundle_id
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self._update_title()
        self._update_actions()

    def _install_round_actions(self, actions: dict[str, list[QAction]]) -> None:
        self._round_actions = {k: list(v) for k, v in actions.items() if k in self._anchors}
        for key, acts in self._round_actions.items():
            menu, anchor = self._anchors[key]
            for a in acts:
                menu.insertAction(anchor, a)
        by_name = {a.objectName(): a for acts in self._round_actions.values() for a in acts}
        self._toolbar_actions = [by_name[n] for n in TOOLBAR_ACTIONS if n in by_name]
        for a in self._toolbar_actions:
            self.round_toolbar.addAction(a)

    def _remove_round_actions(self) -> None:
        for a in getattr(self, "_toolbar_actions", []):
            self.round_toolbar.removeAction(a)
        self._toolbar_actions = []
        for key, acts in self._round_actions.items():
            menu, _anchor = self._anchors[key]
            for a in acts:
                menu.removeAction(a)
        self._round_actions = {}

    def flush_round(self) -> bool:
        """Commit whatever the open round holds; False (and the error shown) if that failed."""
        view = self.round_view
        if view is None or not hasattr(view, "flush"):
            return True
        try:
            view.flush()
        except Exception as exc:  # the reviewer must know their last edit was not saved
            show_error(self, exc)
            return False
        return True

    def _drop_round_view(self) -> None:
        view = self.round_view
        if view is None:
            return
        self._remove_round_actions()
        self.stack.removeWidget(view)
        view.hide()
        view.deleteLater()
        self.round_view = None
        self.round_bundle = None

    def close_round(self) -> None:
        """Back to the start screen, after committing pending edits."""
        if self.round_view is None or not self.flush_round():
            return
        bundle = self.round_bundle
        self._drop_round_view()
        self.stack.setCurrentWidget(self.home)
        if isinstance(self.home, StartScreen):
            self.home.refresh(select=bundle)
        self._update_title()
        self._update_actions()

    # --- view, settings, help -----------------------------------------------------

    def set_form_zoom(self, percent: int) -> None:
        self.settings.set("form_zoom", percent)

    def zoom_form(self, delta: int) -> None:
        self.set_form_zoom(self.settings.value("form_zoom") + delta)

    def _setting_changed(self, name: str, value: object) -> None:
        if name == "form_zoom":
            self.statusBar().showMessage(tr("gui.main.zoom_status", percent=value), 3000)

    def show_settings(self) -> None:
        SettingsDialog(self).exec()

    def show_rubric(self) -> None:
        from ..services.rubrics import load_shipped_rubric
        from .rubric_view import RubricWindow

        rubric = None
        if self.round_bundle is not None:
            try:
                rubric = self.workspace.round_info(self.round_bundle).rubric
            except ReviewerAppError:
                rubric = None
        try:
            rubric = rubric or load_shipped_rubric()
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        window = RubricWindow(rubric, self)
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._rubric_windows.remove(window) if window in self._rubric_windows else None)
        self._rubric_windows.append(window)
        window.show()

    def open_log_folder(self) -> None:
        path = ensure_logging()
        folder = path.parent if path is not None else self.workspace.home
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_about(self) -> None:
        QMessageBox.about(self, tr("gui.menu.about").replace("…", ""),
                          tr("gui.main.about_text", name=tr("app.name"), version=__version__,
                             folder=str(self.workspace.home)))

    # --- closing ------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush_round():
            event.ignore()
            return
        self.settings.set("main_geometry", self.saveGeometry())
        self.settings.set("main_state", self.saveState())
        super().closeEvent(event)
