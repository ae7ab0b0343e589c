"""A Japanese UI font chosen explicitly when the system's default font has no Japanese glyphs.

On many Linux desktops (and on the bare machines reviewers get) the default UI font is
DejaVu Sans or similar: Qt then falls back glyph by glyph to whatever font fontconfig offers,
which is often a *Chinese* font — kanji in the wrong shapes, mixed widths, a ragged form. The
rubric's texts are Japanese in both UI languages, so the app picks a real Japanese font for the
whole UI at start-up: the first installed family from a preference list (the platforms' own
Japanese UI fonts first, then Noto CJK JP and IPAex, which the bootstrap installs), else any
family Qt reports as supporting Japanese. A font file placed in ``resources/fonts/`` is
registered first, so an installer can ship one.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QRawFont
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

log = logging.getLogger("reviewer_app")

#: Japanese UI fonts, best first (Windows, macOS, then free fonts common on Linux).
PREFERRED_FAMILIES = (
    "Yu Gothic UI",
    "Meiryo UI",
    "Meiryo",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAPGothic",
    "IPAGothic",
    "TakaoPGothic",
    "VL PGothic",
)

#: Characters a Japanese UI font must draw: kana, common kanji from the rubric, full-width marks.
SAMPLE = "審査項目あア観点①・「」"


def has_japanese_glyphs(font: QFont) -> bool:
    """True when the font itself (not a fallback) draws every character of ``SAMPLE``.

    ``QRawFont`` looks at the one font file the family resolves to; ``QFontMetrics.inFont``
    would answer for Qt's fallback chain and call DejaVu Sans Japanese.
    """
    raw = QRawFont.fromFont(font)
    return raw.isValid() and all(raw.supportsCharacter(ord(ch)) for ch in SAMPLE)


def _register_shipped_fonts() -> None:
    folder = resource_path("fonts")
    if not folder.is_dir():
        return
    for f in sorted(folder.iterdir()):
        if f.suffix.lower() in (".ttf", ".otf", ".ttc"):
            if QFontDatabase.addApplicationFont(str(f)) < 0:
                log.warning("could not load the font %s", f)


def japanese_family() -> str | None:
    """The best installed family that draws Japanese, or None when there is none."""
    installed = set(QFontDatabase.families())
    for family in PREFERRED_FAMILIES:
        if family in installed and has_japanese_glyphs(QFont(family)):
            return family
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.Japanese):
        if not QFontDatabase.isPrivateFamily(family) and has_japanese_glyphs(QFont(family)):
            return family
    return None


def ensure_japanese_font(app: QApplication) -> str | None:
    """Keep the default UI font if it draws Japanese, else switch to a Japanese family.

    Returns the family now used for the UI (None when no Japanese font is installed at all:
    Qt's per-glyph fallback is then the best available, and the log says so).
    """
    _register_shipped_fonts()
    current = app.font()
    if has_japanese_glyphs(current):
        return QFontInfo(current).family()
    family = japanese_family()
    if family is None:
        log.warning("no Japanese font installed; Japanese text relies on Qt's glyph fallback")
        return None
    chosen = QFont(current)
    chosen.setFamilies([family, *current.families()])
    app.setFont(chosen)
    return family
