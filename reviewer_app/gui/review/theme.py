"""Colours, fonts and the style sheet of the round view, in one place.

Colours carry meaning (blocking = red, reminder = amber, complete = green) and are always
paired with a word or an icon shape, so a colour-blind reviewer loses nothing. Font sizes
come from :class:`FontRoles`, so the form's text zoom (Ctrl +/−) scales every text at once.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QWidget

BLOCKING = QColor("#c62828")
REMINDER = QColor("#b26a00")
COMPLETE = QColor("#2e7d32")
PROGRESS = QColor("#1565c0")
CONFLICT = QColor("#6a1b9a")
MUTED = QColor("#6b7280")
TARGET = QColor("#374151")
BAR = QColor("#5b8def")

FORM_STYLE = """
QWidget#formCanvas { background: #f3f4f6; }
QFrame#itemCard { background: #ffffff; border: 1px solid #d6d9de; border-radius: 6px; }
QFrame#itemCard:focus { border: 2px solid #1a73e8; }
QFrame#itemCard[locked="true"] { background: #f7f7f8; }
QFrame#cardStripe { border: none; border-radius: 2px; background: #d6d9de; }
QFrame#cardStripe[state="blocking"] { background: #c62828; }
QFrame#cardStripe[state="reminder"] { background: #e0a100; }
QFrame#cardStripe[state="done"] { background: #2e7d32; }
QLabel#itemLabel { color: #1f2937; }
QLabel#pointsChip { color: #374151; background: #eef0f3; border-radius: 8px; padding: 1px 8px; }
QLabel#scoreLabel { color: #111827; }
QLabel#muted { color: #6b7280; }
QLabel#perspectives { color: #1f2937; background: #f8fafc; border: 1px solid #e5e7eb;
                      border-radius: 4px; padding: 6px 8px; }
QLabel#chipRequired { color: #ffffff; background: #c62828; border-radius: 7px; padding: 0px 7px; }
QLabel#chipDone { color: #ffffff; background: #2e7d32; border-radius: 7px; padding: 0px 7px; }
QLabel#chipOptional { color: #374151; background: #e5e7eb; border-radius: 7px; padding: 0px 7px; }
QLabel#chipSecretariat { color: #0d47a1; background: #e3f2fd; border-radius: 7px; padding: 0px 7px; }
QLabel#chipChanged { color: #7a4f00; background: #fff3cd; border-radius: 7px; padding: 0px 7px; }
QLabel#itemFinding[severity="blocking"] { color: #c62828; }
QLabel#itemFinding[severity="reminder"] { color: #8a5300; }
QLabel#fieldError { color: #c62828; }
QToolButton#gradeButton { background: #ffffff; border: 1px solid #b8bec7; border-radius: 5px;
                          padding: 4px 6px; color: #1f2937; }
QToolButton#gradeButton:hover { background: #eef4ff; border-color: #1a73e8; }
QToolButton#gradeButton:checked { background: #1a73e8; border-color: #1558b0; color: #ffffff; }
QToolButton#gradeButton:disabled { color: #9ca3af; background: #f3f4f6; }
QToolButton#gradeButton:checked:disabled { color: #ffffff; background: #8fb0e3; border-color: #7b9bd0; }
QToolButton#gradeButton[suggested="true"] { border: 2px dashed #1a73e8; }
QToolButton#gradeButton[suggested="true"]:checked { border: 2px solid #0b3d91; }
QToolButton#unjudgeableButton { border: 1px solid #b8bec7; border-radius: 5px; padding: 4px 8px;
                                background: #ffffff; color: #374151; }
QToolButton#unjudgeableButton:checked { background: #fdecea; border-color: #c62828; color: #8e1c1c; }
QToolButton#detailsToggle { border: none; color: #1a56b0; padding: 0px; }
QPlainTextEdit#commentEdit, QPlainTextEdit#reasonEdit { background: #ffffff; border: 1px solid #b8bec7;
                                                      border-radius: 4px; }
QPlainTextEdit#commentEdit[required="true"] { border: 1px solid #c62828; }
QPlainTextEdit#reasonEdit { border: 1px solid #c62828; }
QPlainTextEdit#commentEdit:focus, QPlainTextEdit#reasonEdit:focus { border: 2px solid #1a73e8; }
QLineEdit#figureEdit { border: 1px solid #b8bec7; border-radius: 4px; padding: 2px 4px; background: #ffffff; }
QLineEdit#figureEdit[invalid="true"] { border: 2px solid #c62828; }
QFrame#sectionHeader { background: #e8edf5; border-radius: 6px; }
QLabel#groupHeader { color: #334155; }
QFrame#noteBox { background: #fffbea; border: 1px dashed #c9a227; border-radius: 6px; }
QPlainTextEdit#noteEdit { background: #fffef6; border: 1px solid #e0cf8a; border-radius: 4px; }
QFrame#banner { border-radius: 6px; }
QFrame#banner[kind="conflict"] { background: #f3e5f5; border: 1px solid #ab47bc; }
QFrame#banner[kind="confirm"] { background: #e8f0fe; border: 1px solid #8ab4f8; }
QFrame#proposalHeader { background: #ffffff; border-bottom: 1px solid #d6d9de; }
"""


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed (only call on a real change)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def set_property(widget: QWidget, name: str, value: object) -> None:
    """Set a style-relevant dynamic property and re-polish, but only if it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        repolish(widget)


def base_point_size() -> float:
    app = QApplication.instance()
    font = app.font() if isinstance(app, QApplication) else QFont()
    size = font.pointSizeF()
    return size if size > 0 else 10.0


class FontRoles:
    """Font sizes relative to the form's zoomed base size, written into the form's style sheet.

    A widget polished by a style sheet does not follow its parent's ``setFont``, so the zoom
    cannot be a font set on the form: it is a ``font-size`` rule for every widget of the form
    plus one rule per role (``fontRole`` property: relative size, weight), regenerated when
    the zoom changes.
    """

    def __init__(self) -> None:
        self._roles: set[tuple[str, float, bool]] = set()

    def set(self, widget: QWidget, scale: float = 1.0, bold: bool = False) -> None:
        role = f"s{round(scale * 100)}{'b' if bold else ''}"
        widget.setProperty("fontRole", role)
        self._roles.add((role, scale, bold))

    def style_sheet(self, root_name: str, percent: int) -> str:
        base = base_point_size() * percent / 100
        rules = [f"QWidget#{root_name}, QWidget#{root_name} QWidget {{ font-size: {base:.1f}pt; }}"]
        for role, scale, bold in sorted(self._roles):
            weight = "bold" if bold else "normal"
            rules.append(f'QWidget#{root_name} QWidget[fontRole="{role}"] {{ font-size: {base * scale:.1f}pt;'
                         f" font-weight: {weight}; }}")
        return FORM_STYLE + "\n".join(rules)
