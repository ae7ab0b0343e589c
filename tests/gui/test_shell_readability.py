"""Readability: a Japanese UI font when the default has none, accessible names on every control."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)

from reviewer_app.gui import fonts
from reviewer_app.gui.settings_dialog import SettingsDialog
from reviewer_app.gui.start_screen import StartScreen
from reviewer_app.gui.unlock_dialog import UnlockDialog
from reviewer_app.services.workspace import Workspace
from tests.workspace_fixtures import make_assignment


def test_a_default_font_without_japanese_is_replaced_by_a_japanese_one(qtbot):
    app = QApplication.instance()
    before = app.font()
    try:
        latin = QFont("DejaVu Sans")
        app.setFont(latin)
        assert not fonts.has_japanese_glyphs(latin)
        family = fonts.ensure_japanese_font(app)
        assert family is not None  # the bootstrap installs IPAex; CI has it
        assert fonts.has_japanese_glyphs(app.font())
        assert app.font().pointSizeF() == latin.pointSizeF()  # same size, only the family changes
        # A default that already draws Japanese is kept as it is.
        assert fonts.ensure_japanese_font(app) == family
    finally:
        app.setFont(before)


def _unnamed_controls(root: QWidget) -> list[str]:
    """Visible interactive controls below ``root`` that a screen reader could not name."""
    missing = []
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
    for w in root.findChildren(QWidget):
        if not isinstance(w, kinds) or isinstance(w, QHeaderView) or not w.isVisibleTo(root):
            continue
        if w.objectName().startswith("qt_"):  # Qt's own parts (a spin box's line edit): named by their owner
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.strip():
            missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


def test_every_control_of_the_shell_has_an_accessible_name(qtbot, tmp_path):
    built = make_assignment(tmp_path / "sec", n=1)
    ws = Workspace()
    ws.add_bundle(built.path)
    screen = StartScreen(ws)
    dialog = UnlockDialog(ws, built.bundle_id, demo_passphrase="x")
    settings = SettingsDialog()
    for w in (screen, dialog, settings):
        qtbot.addWidget(w)
        w.show()
    assert _unnamed_controls(screen) == []
    assert _unnamed_controls(dialog) == []
    assert _unnamed_controls(settings) == []
