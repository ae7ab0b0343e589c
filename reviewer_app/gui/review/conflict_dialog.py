"""Conflict of interest: asked before a proposal's PDF is shown for the first time.

The reviewer either confirms 「利害関係なし」 (the PDF opens and the form unlocks) or
declares a conflict with a reason (the proposal stays closed, its form locked, and it is
exported as declared). The default button is "no conflict" so a keyboard user answers with
Enter; declaring needs a deliberate choice. Cancel leaves the proposal closed and asks
again next time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...i18n import tr


class ConflictDialog(QDialog):
    def __init__(self, proposal_id: str, title: str, institution: str, parent: QWidget | None = None,
                 *, declaring: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("gui.review.coi.title"))
        self.setModal(True)
        self.setMinimumWidth(480)
        heading = QLabel(f"<b>{proposal_id}</b>　{title}<br>{institution}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        question = QLabel(tr("gui.review.coi.question", institution=institution or proposal_id))
        question.setWordWrap(True)
        self.no_conflict = QRadioButton(tr("gui.review.coi.none"))
        self.conflict = QRadioButton(tr("gui.review.coi.declare"))
        group = QButtonGroup(self)
        group.addButton(self.no_conflict)
        group.addButton(self.conflict)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("gui.review.coi.reason_placeholder"))
        self.reason.setAccessibleName(tr("gui.review.coi.reason"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self._reason_label = QLabel(tr("gui.review.coi.reason"))
        self._hint = QLabel(tr("gui.review.coi.hint"))
        self._hint.setObjectName("muted")
        self._hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addSpacing(6)
        lay.addWidget(question)
        lay.addWidget(self.no_conflict)
        lay.addWidget(self.conflict)
        lay.addWidget(self._reason_label)
        lay.addWidget(self.reason)
        lay.addWidget(self._hint)
        lay.addWidget(self.buttons)
        self.no_conflict.toggled.connect(self._update)
        self.reason.textChanged.connect(self._update)
        (self.conflict if declaring else self.no_conflict).setChecked(True)
        self._update()
        (self.reason if declaring else self.no_conflict).setFocus()

    def declared(self) -> bool:
        return self.conflict.isChecked()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        declaring = self.conflict.isChecked()
        self.reason.setEnabled(declaring)
        self._reason_label.setEnabled(declaring)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("gui.review.coi.ok_declare") if declaring else tr("gui.review.coi.ok_none"))
        # A declaration says why: the secretariat reads the reason when reassigning the proposal.
        ok.setEnabled(not declaring or bool(self.reason_text()))
