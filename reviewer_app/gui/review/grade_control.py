"""The grade buttons of one item (a–d with their meanings, or 5…1) and 「判断できない」.

Buttons never take the keyboard focus: the item card keeps it, so the scale's keys work
wherever the reviewer is on the card. A click does not check a button by itself; the
button shows the grade the service stored (``display``), so the screen cannot claim a grade
that was not saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QWidget

from ...core.rubric import Item, Scale, format_points
from ...i18n import tr
from . import theme


class GradeControl(QWidget):
    #: A grade button was clicked (its code).
    chosen = Signal(str)
    #: The 「判断できない」 button was clicked (the state asked for).
    unjudgeable_clicked = Signal(bool)

    def __init__(self, item: Item, scale: Scale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item, self.scale = item, scale
        self.buttons: dict[str, QToolButton] = {}
        self._mark: str | None = None
        self._unjudgeable = False
        self._locked = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for mark in scale.marks:
            b = QToolButton()
            b.setObjectName("gradeButton")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            b.clicked.connect(lambda _=False, code=mark.code: self._clicked(code))
            self.buttons[mark.code] = b
            row.addWidget(b, 1)
        self.unjudgeable = QToolButton()
        self.unjudgeable.setObjectName("unjudgeableButton")
        self.unjudgeable.setCheckable(True)
        self.unjudgeable.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.unjudgeable.clicked.connect(self._unjudgeable_clicked)
        # The card places the 「判断できない」 button (beside the comment heading, where the
        # reason box opens), so the grade row stays narrow enough for a small laptop screen.
        self.retranslate()

    def retranslate(self) -> None:
        for mark in self.scale.marks:
            b = self.buttons[mark.code]
            pts = format_points(self.item.points * mark.fraction)
            if self.scale.kind == "grade":
                b.setText(tr("gui.review.form.grade_button", code=mark.code, points=pts, meaning=mark.label.rstrip("。")))
            else:
                b.setText(tr("gui.review.form.level_button", code=mark.code, points=pts))
            b.setAccessibleName(tr("gui.review.form.grade_a11y", code=mark.code, meaning=mark.label, points=pts))
            b.setToolTip(tr("gui.review.form.grade_tip", code=mark.code, meaning=mark.label, points=pts))
        self.unjudgeable.setText(tr("gui.review.form.unjudgeable"))
        self.unjudgeable.setToolTip(tr("gui.review.form.unjudgeable_tip", mark=self.scale.unjudgeable_mark))
        self.unjudgeable.setAccessibleName(tr("gui.review.form.unjudgeable"))

    def display(self, mark: str | None, unjudgeable: bool) -> None:
        """The stored grade; a forced (unjudgeable) grade cannot be changed by its buttons."""
        self._mark, self._unjudgeable = mark, unjudgeable
        for code, b in self.buttons.items():
            if b.isChecked() != (code == mark):
                b.setChecked(code == mark)
        if self.unjudgeable.isChecked() != unjudgeable:
            self.unjudgeable.setChecked(unjudgeable)
        self._update_enabled()

    def show_suggested(self, code: str | None) -> None:
        for c, b in self.buttons.items():
            theme.set_property(b, "suggested", c == code)

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._update_enabled()

    def _update_enabled(self) -> None:
        enabled = not self._locked and not self._unjudgeable
        for b in self.buttons.values():
            if b.isEnabled() != enabled:
                b.setEnabled(enabled)
        if self.unjudgeable.isEnabled() == self._locked:
            self.unjudgeable.setEnabled(not self._locked)

    def _clicked(self, code: str) -> None:
        self.buttons[code].setChecked(code == self._mark)
        if not self._locked:
            self.chosen.emit(code)

    def _unjudgeable_clicked(self, checked: bool) -> None:
        self.unjudgeable.setChecked(self._unjudgeable)
        if not self._locked:
            self.unjudgeable_clicked.emit(checked)
