"""Switch the application's language, including the texts Qt draws itself.

Our own strings come from :func:`reviewer_app.i18n.tr`; Qt's standard buttons and dialogs
(「OK」「キャンセル」, the file dialog …) come from Qt's ``qtbase_<lang>.qm``, shipped with
PySide6 in ``QLibraryInfo.path(TranslationsPath)``. Installing or removing that translator
makes Qt send ``QEvent.LanguageChange`` to every widget, whose ``changeEvent`` then calls its
``retranslate()``: open windows follow the switch without a restart. When no translator
changes (English → English, or a missing .qm) we send the event ourselves, so the contract
"apply_language ⇒ every widget retranslates" always holds.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QGuiApplication

from .. import i18n
from ..i18n import tr

log = logging.getLogger("reviewer_app")

_translator: QTranslator | None = None


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def apply_language(lang: str) -> None:
    """Make ``lang`` ("ja"/"en") the language of our catalogs and of Qt's own texts."""
    global _translator
    i18n.set_language(lang)  # ValueError for an unsupported language
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English))
    app = QCoreApplication.instance()
    if app is None:
        return
    if isinstance(app, QGuiApplication):  # Qt appends it to window titles on Linux and Windows
        app.setApplicationDisplayName(tr("app.name"))
    changed = False
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
        changed = True
    if lang != "en":  # Qt's built-in texts are English
        translator = QTranslator()
        if translator.load(f"qtbase_{lang}", qt_translations_dir()):
            QCoreApplication.installTranslator(translator)
            _translator = translator
            changed = True
        else:
            log.warning("Qt translation qtbase_%s not found in %s", lang, qt_translations_dir())
    if not changed:
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))


def qt_translator_language() -> str | None:
    """The language of the installed Qt translator, or None (Qt's English)."""
    return None if _translator is None else _translator.language() or None
