"""One 審査項目 on the form, generated from the rubric: its texts, grade, figure and comment.

An editor is built once per rubric item and re-filled for each proposal (``fill``), so
switching proposals never creates widgets. It holds no state of its own beyond what is on
screen: every change is announced by a signal, committed by the round view through the
workspace service, and the service's answer is shown back (``show_entry``/``show_result``).

Keyboard (focus on the card): the scale's codes (``a``–``d``, ``1``–``5``) set the grade,
Delete clears it, ``u`` toggles 「判断できない」, Enter opens the comment, ``f``
the figure, Space folds the 観点, ↓/``j`` and ↑/``k`` move between items. In a text box,
Esc returns to the card and Ctrl+Enter moves on to the next item.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import Item, Rubric, format_points
from ...core.scoring import Entry, ItemResult, Severity
from ...i18n import tr
from . import theme
from .checks_box import ChecksBox
from .figure_row import FigureRow
from .grade_control import GradeControl
from .text_box import TextBox
from .wrap_label import WrapLabel

GRADE, COMMENT, REASON, FIGURE = "grade", "comment", "reason", "figure"


def _perspectives_html(rubric: Rubric, item: Item) -> str:
    parts = [f"<p style='color:#4b5563'>{escape(item.description)}</p>"]
    if item.perspectives:
        rows = "".join(
            f"<tr><td style='white-space:nowrap; padding-right:8px' valign='top'><b>{escape(p.label)}</b></td>"
            f"<td>{escape(p.text)}</td></tr>"
            for p in item.perspectives
        )
        parts.append(f"<table cellspacing='0' cellpadding='2'>{rows}</table>")
    parts += [f"<p style='color:#7a4f00'>{escape(n)}</p>" for n in item.notes]
    if item.document_refs:
        parts.append(f"<p style='color:#6b7280'>{escape(tr('gui.review.form.document_refs'))}："
                     f"{escape('、'.join(item.document_refs))}</p>")
    return "".join(parts)


class ItemEditor(QFrame):
    grade_chosen = Signal(str, object)  # item id, mark code or None (clear)
    unjudgeable_toggled = Signal(str, bool)
    comment_edited = Signal(str, str)
    reason_edited = Signal(str, str)
    figure_edited = Signal(str, str)
    named_figure_edited = Signal(str, str, str)  # item id, figure name, text
    named_figure_left = Signal(str, str)  # item id, figure name
    field_left = Signal(str, str)  # item id, field: commit what is waiting now
    navigate = Signal(str, int)  # item id, +1 / -1
    help_requested = Signal()

    def __init__(self, rubric: Rubric, item: Item, fonts: theme.FontRoles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric, self.item = rubric, item
        self.scale = rubric.scale_of(item)
        self.setObjectName("itemCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._mark: str | None = None
        self._unjudgeable = False
        self._locked = False
        self._comment_filled = False

        self._stripe = QFrame()
        self._stripe.setObjectName("cardStripe")
        self._stripe.setFixedWidth(4)
        self._label = QLabel(item.label)
        self._label.setObjectName("itemLabel")
        fonts.set(self._label, 1.35, bold=True)
        self._title = WrapLabel(item.title)
        fonts.set(self._title, 1.05, bold=True)
        self._points = QLabel()
        self._points.setObjectName("pointsChip")
        self._score = QLabel()
        self._score.setObjectName("scoreLabel")
        fonts.set(self._score, 1.05, bold=True)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self._label, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self._title, 1)
        head.addWidget(self._points, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self._score, 0, Qt.AlignmentFlag.AlignTop)

        self._toggle = QToolButton()
        self._toggle.setObjectName("detailsToggle")
        self._toggle.setCheckable(True)
        self._toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._details = WrapLabel(_perspectives_html(rubric, item))
        self._details.setObjectName("perspectives")
        self._details.setTextFormat(Qt.TextFormat.RichText)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._toggle.toggled.connect(self._details.setVisible)
        self._toggle.toggled.connect(self._update_toggle_text)

        self.figure: FigureRow | None = None
        if self.scale.kind == "level" and item.basis is not None:
            self.figure = FigureRow(rubric, item)
            self.figure.edited.connect(lambda text: self.figure_edited.emit(item.id, text))
            self.figure.finished.connect(lambda: self.field_left.emit(item.id, FIGURE))

        self.checks_box: ChecksBox | None = None
        if item.checks:
            self.checks_box = ChecksBox(item)
            self.checks_box.edited.connect(lambda name, text: self.named_figure_edited.emit(item.id, name, text))
            self.checks_box.left.connect(lambda name: self.named_figure_left.emit(item.id, name))

        self.grades = GradeControl(item, self.scale)
        self.grades.chosen.connect(lambda code: self.grade_chosen.emit(item.id, code))
        self.grades.unjudgeable_clicked.connect(lambda on: self.unjudgeable_toggled.emit(item.id, on))

        self._reason_label = QLabel()
        self._reason_label.setObjectName("fieldError")
        self.reason = TextBox("reasonEdit")
        self.reason.textChanged.connect(lambda: self.reason_edited.emit(item.id, self.reason.toPlainText()))
        self.reason.left.connect(lambda: self.field_left.emit(item.id, REASON))
        self.reason.escape.connect(self.setFocus)
        self.reason.advance.connect(lambda: self.navigate.emit(item.id, 1))

        self._comment_label = QLabel()
        self._comment_chip = QLabel()
        self.comment = TextBox("commentEdit")
        self.comment.textChanged.connect(self._comment_changed)
        self.comment.left.connect(lambda: self.field_left.emit(item.id, COMMENT))
        self.comment.escape.connect(self.setFocus)
        self.comment.advance.connect(lambda: self.navigate.emit(item.id, 1))
        comment_head = QHBoxLayout()
        comment_head.addWidget(self._comment_label)
        comment_head.addWidget(self._comment_chip)
        comment_head.addStretch(1)
        comment_head.addWidget(self.grades.unjudgeable)

        self._findings = WrapLabel()
        self._findings.setObjectName("itemFinding")
        self._findings.hide()

        body = QVBoxLayout()
        body.setSpacing(6)
        body.addLayout(head)
        body.addWidget(self._toggle, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self._details)
        if self.checks_box is not None:
            body.addWidget(self.checks_box)
        if self.figure is not None:
            body.addWidget(self.figure)
        body.addWidget(self.grades)
        body.addLayout(comment_head)
        body.addWidget(self.comment)
        body.addWidget(self._reason_label)
        body.addWidget(self.reason)
        body.addWidget(self._findings)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 10, 10)
        outer.setSpacing(10)
        outer.addWidget(self._stripe)
        body.setContentsMargins(0, 10, 0, 0)
        outer.addLayout(body, 1)
        self._reason_label.hide()
        self.reason.hide()
        # a–d items are judged on their 観点, so those are open from the start. Set once the
        # texts are inside the card: showing a parentless label would open it as a window.
        open_default = self.scale.kind == "grade"
        self._toggle.setChecked(open_default)
        self._details.setVisible(open_default)
        self._shown_score: str | None = None
        self._chip_shown: tuple[str, str] | None = None
        self.retranslate()

    # --- texts ------------------------------------------------------------------------

    def retranslate(self) -> None:
        item = self.item
        self._points.setText(tr("gui.review.form.points", points=format_points(item.points)))
        self._update_toggle_text(self._toggle.isChecked())
        self.grades.retranslate()
        self._reason_label.setText(tr("gui.review.form.reason_label"))
        self.reason.setPlaceholderText(tr("gui.review.form.reason_placeholder"))
        self.reason.setAccessibleName(tr("gui.review.form.reason_a11y", item=self.display_label()))
        self._comment_label.setText(tr("gui.review.form.comment"))
        self.comment.setPlaceholderText(tr("gui.review.form.comment_placeholder"))
        self.comment.setAccessibleName(tr("gui.review.form.comment_a11y", item=self.display_label()))
        if self.figure is not None:
            self.figure.retranslate()
        if self.checks_box is not None:
            self.checks_box.retranslate()
        self._shown_score = None
        self._chip_shown = None
        self._update_comment_chip()
        self._update_a11y()

    def display_label(self) -> str:
        return self.rubric.display_label(self.item)

    def _update_toggle_text(self, opened: bool) -> None:
        key = "gui.review.form.details_hide" if opened else "gui.review.form.details_show"
        what = tr("gui.review.form.details_perspectives" if self.item.perspectives else "gui.review.form.details_description")
        self._toggle.setText(("▾ " if opened else "▸ ") + tr(key, what=what))

    def _update_a11y(self) -> None:
        state = (tr("gui.review.form.a11y_unjudgeable", mark=self._mark or "") if self._unjudgeable
                 else tr("gui.review.form.a11y_grade", mark=self._mark) if self._mark
                 else tr("gui.review.form.a11y_no_grade"))
        self.setAccessibleName(f"{self.display_label()} {self.item.title}")
        self.setAccessibleDescription(state)

    # --- showing the service's answers ------------------------------------------------

    def fill(self, entry: Entry | None, result: ItemResult, secretariat_figure: Decimal | None,
             findings: Sequence[tuple[Severity, str]]) -> None:
        """Show one proposal's entry for this item (called when the proposal changes)."""
        entry = entry or Entry(self.item.id)
        self.comment.set_text_quietly(entry.comment)
        self.reason.set_text_quietly(entry.unjudgeable_reason)
        if self.figure is not None:
            self.figure.fill(entry.figure, secretariat_figure, force=True)
        self.show_entry(entry)
        self.show_result(result, findings)
        if self.checks_box is not None:
            self.checks_box.show_checks(result.checks, force=True)

    def show_entry(self, entry: Entry) -> None:
        """The stored grade and unjudgeable flag (after a change was committed)."""
        self._mark, self._unjudgeable = entry.mark, entry.unjudgeable
        self.grades.display(entry.mark, entry.unjudgeable)
        if self.reason.isHidden() == entry.unjudgeable:
            self.reason.setVisible(entry.unjudgeable)
            self._reason_label.setVisible(entry.unjudgeable)
        if self.figure is not None:
            self.figure.fill(entry.figure, self.figure.secretariat_figure, force=False)
        self._update_comment_chip()
        self._update_a11y()

    def show_result(self, result: ItemResult, findings: Sequence[tuple[Severity, str]]) -> None:
        """Points, the suggested level and this item's findings, as the service computed them."""
        score = tr("gui.review.form.score", points="—" if result.points is None else format_points(result.points),
                   max=format_points(result.max_points))
        if score != self._shown_score:
            self._shown_score = score
            self._score.setText(score)
        if self.figure is not None:
            self.grades.show_suggested(self.figure.show_facts(result.ratio, result.suggested_mark))
        if self.checks_box is not None:
            self.checks_box.show_checks(result.checks, force=False)
        blocking = any(s is Severity.BLOCKING for s, _ in findings)
        text = "\n".join(tr("gui.review.form.finding_line", severity=tr("severity." + s.value), message=msg)
                         for s, msg in findings)
        if self._findings.text() != text:
            self._findings.setText(text)
            self._findings.setVisible(bool(text))
        if text:
            theme.set_property(self._findings, "severity", "blocking" if blocking else "reminder")
        done = result.mark is not None or result.unjudgeable
        state = "blocking" if blocking and done else "reminder" if findings and done else "done" if done else ""
        theme.set_property(self._stripe, "state", state)

    def _figure_field(self) -> QLineEdit | None:
        if self.figure is not None:
            return self.figure.edit
        return self.checks_box.first_field() if self.checks_box is not None else None

    def show_figure_error(self, message: str | None) -> None:
        if self.figure is not None:
            self.figure.show_error(message)

    def prefilled_figure(self) -> Decimal | None:
        return None if self.figure is None else self.figure.prefilled()

    def set_locked(self, locked: bool) -> None:
        if locked == self._locked:
            return
        self._locked = locked
        theme.set_property(self, "locked", locked)
        self.grades.set_locked(locked)
        self.comment.setReadOnly(locked)
        self.reason.setReadOnly(locked)
        if self.figure is not None:
            self.figure.set_locked(locked)
        if self.checks_box is not None:
            self.checks_box.set_locked(locked)

    # --- comment mandatory marker -----------------------------------------------------

    def _comment_changed(self) -> None:
        text = self.comment.toPlainText()
        self.comment_edited.emit(self.item.id, text)
        filled = bool(text.strip())
        if filled != self._comment_filled:
            self._update_comment_chip()

    def comment_required(self) -> bool:
        return not self._unjudgeable and self._mark is not None and self._mark in self.scale.comment_required

    def _update_comment_chip(self) -> None:
        self._comment_filled = bool(self.comment.toPlainText().strip())
        required = self.comment_required()
        if required and not self._comment_filled:
            state = ("chipRequired", tr("gui.review.form.comment_required", mark=self._mark or ""))
        elif required:
            state = ("chipDone", tr("gui.review.form.comment_required_done"))
        else:
            state = ("chipOptional", tr("gui.review.form.comment_optional"))
        if state == self._chip_shown:
            return
        self._chip_shown = state
        self._comment_chip.setObjectName(state[0])
        self._comment_chip.setText(state[1])
        theme.repolish(self._comment_chip)
        theme.set_property(self.comment, "required", required and not self._comment_filled)
        self.comment.setAccessibleDescription(state[1])

    # --- input ------------------------------------------------------------------------

    def focus_field(self, field: str = GRADE) -> None:
        """Move keyboard focus to one of this item's controls (findings, overview, keys)."""
        if field == COMMENT:
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == REASON and self._unjudgeable:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == FIGURE and self._figure_field() is not None:
            edit = self._figure_field()
            assert edit is not None
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            edit.selectAll()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text().lower()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                          | Qt.KeyboardModifier.MetaModifier))
        if not plain:
            super().keyPressEvent(event)
            return
        if text and text in self.grades.buttons:
            if self._locked or self._unjudgeable:
                QApplication.beep()
            else:
                self.grade_chosen.emit(self.item.id, text)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if not self._locked and not self._unjudgeable and self._mark is not None:
                self.grade_chosen.emit(self.item.id, None)
        elif text == "u":
            if not self._locked:
                self.unjudgeable_toggled.emit(self.item.id, not self._unjudgeable)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focus_field(REASON if self._unjudgeable and not self.reason.toPlainText().strip() else COMMENT)
        elif text == "r":
            self.focus_field(REASON)
        elif text == "f":
            self.focus_field(FIGURE)
        elif key == Qt.Key.Key_Space:
            self._toggle.toggle()
        elif key == Qt.Key.Key_Down or text == "j":
            self.navigate.emit(self.item.id, 1)
        elif key == Qt.Key.Key_Up or text == "k":
            self.navigate.emit(self.item.id, -1)
        elif text == "?":
            self.help_requested.emit()
        elif text and text.isprintable() and not text.isspace():
            QApplication.beep()  # a key that means nothing here: say so rather than ignore it silently
        else:
            super().keyPressEvent(event)
