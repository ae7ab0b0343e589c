"""The figures a 観点 names (留学生比率 目安20%・最低10% …), checked against its level.

One row per figure check the rubric declares for the item: the figure (the secretariat's
reading from the proposal metadata, marked as such, or the reviewer's own), the level and
目安, and where the figure stands. The comparison is the engine's (``ItemResult.checks``);
a figure below the level is a reminder, never a grade.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...core.checks import CheckResult, CheckStatus, FigureSource
from ...core.rubric import FigureCheck, Item, format_points
from ...i18n import tr
from . import theme
from .wrap_label import WrapLabel

_STATUS_STYLE = {
    CheckStatus.MET: ("✓", theme.COMPLETE),
    CheckStatus.BELOW_TARGET: ("△", theme.REMINDER),
    CheckStatus.BELOW_LEVEL: ("✕", theme.BLOCKING),
    CheckStatus.UNKNOWN: ("—", theme.MUTED),
}


def bound_text(check: FigureCheck) -> str:
    key = "finding.bound.at_most" if check.compare == "<=" else "finding.bound.at_least"
    text = tr(key, level=format_points(check.level), unit=check.unit)
    if check.target is not None:
        text = tr("gui.review.checks.with_target", bound=text, target=format_points(check.target), unit=check.unit)
    return text


class _CheckRow:
    def __init__(self, check: FigureCheck) -> None:
        self.check = check
        self.perspective = QLabel(check.perspective)
        self.title = WrapLabel(check.title)
        self.edit = QLineEdit()
        self.edit.setObjectName("figureEdit")
        self.edit.setMaximumWidth(96)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.unit = QLabel(check.unit)
        self.source = QLabel()
        self.source.setObjectName("chipSecretariat")
        self.source.hide()
        self.status = WrapLabel()
        self.error = WrapLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        self.shown: tuple[str, ...] | None = None


class ChecksBox(QFrame):
    #: (figure name, text typed): committed after a pause or on leaving the field.
    edited = Signal(str, str)
    #: figure name: the field was left (commit now).
    left = Signal(str)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksBox")
        self.item = item
        self._heading = WrapLabel()
        self._heading.setObjectName("muted")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.rows: dict[str, _CheckRow] = {}
        r = 0
        for check in item.checks:
            row = _CheckRow(check)
            self.rows[check.figure] = row
            grid.addWidget(row.perspective, r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.title, r, 1)
            grid.addWidget(row.edit, r, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.unit, r, 3, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.source, r, 4, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.status, r + 1, 1, 1, 4)
            grid.addWidget(row.error, r + 2, 1, 1, 4)
            row.edit.textEdited.connect(lambda text, name=check.figure: self.edited.emit(name, text))
            row.edit.editingFinished.connect(lambda name=check.figure: self.left.emit(name))
            r += 3
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 4)
        lay.setSpacing(4)
        lay.addWidget(self._heading)
        lay.addLayout(grid)
        self.retranslate()

    def retranslate(self) -> None:
        self._heading.setText(tr("gui.review.checks.heading"))
        for row in self.rows.values():
            row.edit.setAccessibleName(tr("gui.review.checks.a11y", perspective=row.check.perspective,
                                          title=row.check.title))
            row.edit.setPlaceholderText(tr("gui.review.checks.placeholder"))
            row.source.setText(tr("gui.review.form.figure_secretariat"))
            row.source.setToolTip(tr("gui.review.form.figure_secretariat_tip"))
            row.shown = None

    def show_checks(self, results: Sequence[CheckResult], *, force: bool) -> None:
        """The engine's comparison for each figure; ``force`` also replaces text being typed."""
        for res in results:
            row = self.rows.get(res.check.figure)
            if row is None:
                continue
            text = "" if res.value is None else format_points(res.value)
            if (force or not row.edit.hasFocus()) and row.edit.text() != text:
                row.edit.setText(text)
            symbol, color = _STATUS_STYLE[res.status]
            status = tr("gui.review.checks.status", symbol=symbol, bound=bound_text(res.check),
                        verdict=tr("gui.review.checks." + res.status.value))
            key = (status, color.name(), str(res.source == FigureSource.PROPOSAL))
            if key == row.shown:
                continue
            row.shown = key
            row.status.setText(status)
            row.status.setStyleSheet(f"color: {color.name()};")
            row.source.setVisible(res.source == FigureSource.PROPOSAL)
            row.edit.setAccessibleDescription(status)

    def show_error(self, name: str, message: str | None) -> None:
        row = self.rows.get(name)
        if row is None:
            return
        theme.set_property(row.edit, "invalid", message is not None)
        row.error.setVisible(message is not None)
        if message is not None:
            row.error.setText(message)

    def set_locked(self, locked: bool) -> None:
        for row in self.rows.values():
            row.edit.setReadOnly(locked)

    def first_field(self) -> QLineEdit | None:
        return next(iter(self.rows.values())).edit if self.rows else None
