"""The form's wrapped labels remember heights per width, and never answer with a stale one."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from reviewer_app.gui.review.wrap_label import WrapLabel

SHORT = "審査項目"
LONG = "留学生の受入れ体制の整備状況について、具体的な計画と実績に基づき評価する。" * 6


def _plain(text: str, font: QFont | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if font is not None:
        label.setFont(font)
    return label


def test_the_height_for_a_width_is_what_a_plain_wrapped_label_answers(qtbot):
    label = WrapLabel(LONG)
    qtbot.addWidget(label)
    plain = _plain(LONG)
    qtbot.addWidget(plain)
    for width in (120, 300, 120, 640, 300):
        assert label.heightForWidth(width) == plain.heightForWidth(width)


def test_new_text_a_new_font_or_margins_give_new_heights(qtbot):
    label = WrapLabel(SHORT)
    qtbot.addWidget(label)
    short = label.heightForWidth(200)
    label.setText(LONG)
    assert label.heightForWidth(200) == _plain(LONG).heightForWidth(200) > short

    big = QFont(label.font())
    big.setPointSizeF(label.font().pointSizeF() * 2)
    label.setFont(big)  # what the form zoom does through the style sheet: a FontChange
    assert label.heightForWidth(200) == _plain(LONG, big).heightForWidth(200)

    before = label.heightForWidth(200)
    label.setContentsMargins(0, 40, 0, 0)
    assert label.heightForWidth(200) == before + 40


def test_rich_text_heights_follow_the_text_format(qtbot):
    html = "<table><tr><td><b>観点1</b></td><td>" + LONG + "</td></tr></table>"
    label = WrapLabel(html)
    qtbot.addWidget(label)
    rich = label.heightForWidth(260)
    label.setTextFormat(label.textFormat().PlainText)
    plain = _plain(html)
    plain.setTextFormat(plain.textFormat().PlainText)
    assert label.heightForWidth(260) == plain.heightForWidth(260) != rich
