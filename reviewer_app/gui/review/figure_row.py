"""The figure a 5-level item is judged on: the number, its 基準数, the ratio and the suggested level.

The secretariat may have entered the figure in the bundle (``ProposalMeta.figures``); it is
shown pre-filled and labelled 「事務局記入」 until the reviewer changes it, and a changed
figure says what the secretariat had. The ratio and the suggestion come from the scoring
engine (the service's result once a figure is recorded, ``core.scoring`` for the
secretariat's not-yet-recorded figure), never from arithmetic here.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...core.rubric import Item, Rubric, format_points
from ...core.scoring import ratio_of, suggest_mark
from ...i18n import tr
from . import theme
from .wrap_label import WrapLabel


def _ratio_text(ratio: Decimal) -> str:
    return f"{ratio.quantize(Decimal('0.01'))}"


class FigureRow(QWidget):
    #: The text in the field changed (typing): committed after a pause or on leaving the field.
    edited = Signal(str)
    #: Focus left the field or Enter was pressed.
    finished = Signal()

    def __init__(self, rubric: Rubric, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert item.basis is not None
        self.rubric, self.item = rubric, item
        self.secretariat_figure: Decimal | None = None
        self._label = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName("figureEdit")
        self.edit.setMaximumWidth(120)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._unit = QLabel(item.basis.unit)
        self._chip = QLabel()
        self._chip.hide()
        self._facts = WrapLabel()
        self._facts.setObjectName("muted")
        self._error = WrapLabel()
        self._error.setObjectName("fieldError")
        self._error.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._label)
        top.addWidget(self.edit)
        top.addWidget(self._unit)
        top.addWidget(self._chip)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self._facts)
        lay.addWidget(self._error)
        self.edit.textEdited.connect(self.edited)
        self.edit.editingFinished.connect(self.finished)
        self._chip_state: tuple[str, str] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        assert self.item.basis is not None
        self._label.setText(tr("gui.review.form.figure"))
        self.edit.setAccessibleName(tr("gui.review.form.figure_a11y", item=self.rubric.display_label(self.item),
                                       counts=self.item.basis.counts))
        self.edit.setToolTip(self.item.basis.counts)
        self.edit.setPlaceholderText(tr("gui.review.form.figure_placeholder"))
        self._chip_state = None

    # --- filling --------------------------------------------------------------------

    def fill(self, recorded: Decimal | None, secretariat: Decimal | None, *, force: bool) -> None:
        """Show the recorded figure, or the secretariat's as a pre-fill.

        Without ``force`` (a commit's echo) the text is left alone while the reviewer is typing
        in the field, so the cursor never jumps; ``force`` is for a newly shown proposal.
        """
        self.secretariat_figure = secretariat
        shown = recorded if recorded is not None else secretariat
        text = "" if shown is None else format_points(shown)
        if (force or not self.edit.hasFocus()) and self.edit.text() != text:
            self.edit.setText(text)
        if force:
            self.show_error(None)
        self._update_chip(recorded)

    def prefilled(self) -> Decimal | None:
        """The secretariat's figure when it is shown but not yet recorded for this proposal."""
        return self.secretariat_figure if self._chip_state and self._chip_state[0] == "prefill" else None

    def _update_chip(self, recorded: Decimal | None) -> None:
        sec = self.secretariat_figure
        if sec is None:
            state = ("none", "")
        elif recorded is None:
            state = ("prefill", tr("gui.review.form.figure_secretariat"))
        elif recorded == sec:
            state = ("same", tr("gui.review.form.figure_secretariat"))
        else:
            state = ("changed", tr("gui.review.form.figure_changed", figure=format_points(sec)))
        if state == self._chip_state:
            return
        self._chip_state = state
        kind, text = state
        self._chip.setVisible(kind != "none")
        self._chip.setText(text)
        self._chip.setObjectName("chipChanged" if kind == "changed" else "chipSecretariat")
        theme.repolish(self._chip)
        self._chip.setToolTip(tr("gui.review.form.figure_secretariat_tip") if kind != "none" else "")

    def show_facts(self, ratio: Decimal | None, suggested: str | None) -> str | None:
        """Show 基準数, ratio and suggested level (the service's, or the engine's for a pre-fill); return the level."""
        assert self.item.basis is not None
        if ratio is None and self.prefilled() is not None:
            ratio = ratio_of(self.item, self.prefilled())
            suggested = suggest_mark(self.rubric, self.item.id, self.prefilled())
        basis = tr("gui.review.form.basis", count=format_points(self.item.basis.count), unit=self.item.basis.unit)
        if ratio is None:
            text = tr("gui.review.form.facts_no_figure", basis=basis)
        else:
            text = tr("gui.review.form.facts", basis=basis, ratio=_ratio_text(ratio), suggested=suggested or "—")
        if self._facts.text() != text:
            self._facts.setText(text)
        return suggested

    def show_error(self, message: str | None) -> None:
        theme.set_property(self.edit, "invalid", message is not None)
        if message is None:
            if self._error.isVisible():
                self._error.hide()
            return
        self._error.setText(message)
        self._error.show()

    def set_locked(self, locked: bool) -> None:
        self.edit.setReadOnly(locked)
