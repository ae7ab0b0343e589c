"""Preferences: the language and the size of the scoring form's text.

``load()`` fills the controls from :func:`settings.app_settings`, ``save()`` writes them back
(Anki's preferences pattern). A new language is applied at once through
:func:`translation.apply_language`, so every open window follows without a restart; the form
zoom is announced by ``Settings.changed`` and applied by the round view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..i18n import LANGUAGES, language, tr
from .settings import ZOOM_MAX, ZOOM_MIN, ZOOM_STEP, app_settings
from .translation import apply_language


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        for lang in LANGUAGES:
            self.language.addItem("", lang)
        self.zoom = QSpinBox(self)
        self.zoom.setObjectName("zoomSpin")
        self.zoom.setRange(ZOOM_MIN, ZOOM_MAX)
        self.zoom.setSingleStep(ZOOM_STEP)
        self.zoom.setSuffix(" %")
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.zoom_label = QLabel(self)
        self.zoom_label.setBuddy(self.zoom)
        self.zoom_note = QLabel(self)
        self.zoom_note.setObjectName("muted")
        self.zoom_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        form.addRow(self.zoom_label, self.zoom)
        form.addRow("", self.zoom_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.settings.title"))
        self.language_label.setText(tr("gui.settings.language"))
        self.zoom_label.setText(tr("gui.settings.zoom"))
        self.zoom_note.setText(tr("gui.settings.zoom_note"))
        for i in range(self.language.count()):
            self.language.setItemText(i, tr(f"gui.settings.lang_{self.language.itemData(i)}"))
        self.language.setAccessibleName(tr("gui.settings.language"))
        self.zoom.setAccessibleName(tr("gui.settings.zoom"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self) -> None:
        s = app_settings()
        self.language.setCurrentIndex(max(0, self.language.findData(language())))
        self.zoom.setValue(s.value("form_zoom"))

    def save(self) -> None:
        s = app_settings()
        s.set("form_zoom", self.zoom.value())
        lang = self.language.currentData()
        s.set("language", lang)
        if lang != language():
            apply_language(lang)

    def accept(self) -> None:
        self.save()
        super().accept()
