"""Language switch: our catalogs and Qt's own buttons follow, open widgets retranslate."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from reviewer_app import i18n
from reviewer_app.gui import translation
from reviewer_app.i18n import tr
from tests.gui.shell_helpers import drop_stale_widgets


class _Retranslating(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.calls += 1
        self.setText(tr("gui.busy.working"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


@pytest.fixture
def restore_language():
    drop_stale_widgets()
    yield
    # Back to the suite's state: Japanese catalogs, no Qt translator installed.
    translation.apply_language("en")
    i18n.set_language("ja")


def _cancel_text(box: QDialogButtonBox) -> str:
    return box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")


def test_switching_language_retranslates_open_widgets_and_qt_buttons(qtbot, restore_language):
    translation.apply_language("ja")
    label = _Retranslating()
    qtbot.addWidget(label)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert label.text() == "処理中…"
    assert "キャンセル" in _cancel_text(box)

    translation.apply_language("en")
    qtbot.waitUntil(lambda: label.text() == "Working…")
    assert i18n.language() == "en"
    assert QApplication.applicationDisplayName() == tr("app.name")  # appended to window titles by Qt
    assert translation.qt_translator_language() is None
    qtbot.waitUntil(lambda: _cancel_text(box) == "Cancel")

    translation.apply_language("ja")
    qtbot.waitUntil(lambda: label.text() == "処理中…")
    qtbot.waitUntil(lambda: "キャンセル" in _cancel_text(box))


def test_english_to_english_still_tells_widgets(qtbot, restore_language):
    translation.apply_language("en")
    label = _Retranslating()
    qtbot.addWidget(label)
    before = label.calls
    translation.apply_language("en")
    qtbot.waitUntil(lambda: label.calls > before)


def test_unknown_language_is_refused(restore_language):
    with pytest.raises(ValueError):
        translation.apply_language("xx")
