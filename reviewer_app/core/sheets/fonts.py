"""Which Japanese font the sheets use, and whether it is embedded.

reportlab embeds TrueType outlines only: IPAex / IPA, MS Gothic, Yu Gothic and Meiryo
(TrueType collections included) work; Noto CJK and Hiragino (CFF outlines) do not, and
are refused by reportlab's own loader, so we simply try each candidate and keep the first
that loads and covers Japanese. When none does, the built-in CID font ``HeiseiKakuGo-W5``
still lets a document be produced, but its glyphs are not in the file: the PDF then looks
right only where the viewer has Japanese fonts. That is reported as a typed
:class:`SheetWarning` the caller shows, never silently.

Search order: ``$REVIEWER_APP_SHEET_FONT`` (an explicit file), the fonts the app ships
(``resources/fonts``), then the platform's font folders. The same font gives the same bytes;
a different font (another machine) gives a different but equally valid PDF.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ...paths import resource_path
from ..errors import SheetError

FONT_ENV = "REVIEWER_APP_SHEET_FONT"
FALLBACK_CID_FONT = "HeiseiKakuGo-W5"
#: Characters every usable font must map: kana, common kanji, circled numbers used by the rubric.
COVERAGE_PROBE = "審査票あア視点①②⑨合計「」、。"

#: Preferred files, best first, as (file name, subfont indexes to try). Gothic before Mincho:
#: sheets are forms, read at small sizes.
CANDIDATES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("ipaexg.ttf", (0,)),
    ("ipag.ttf", (0,)),
    ("ipagp.ttf", (0,)),
    ("YuGothR.ttc", (0,)),
    ("YuGothM.ttc", (0,)),
    ("meiryo.ttc", (0,)),
    ("msgothic.ttc", (0, 2)),
    ("fonts-japanese-gothic.ttf", (0,)),
    ("TakaoGothic.ttf", (0,)),
    ("VL-Gothic-Regular.ttf", (0,)),
    ("ipaexm.ttf", (0,)),
    ("ipam.ttf", (0,)),
    ("msmincho.ttc", (0,)),
)


@dataclass(frozen=True)
class SheetWarning:
    """Something the user should know about a produced document; ``tr('sheets.warning.'+code)``."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FontChoice:
    #: The reportlab font name to use in styles.
    name: str
    #: Font file embedded in the PDF, or None for the built-in CID fallback.
    path: Path | None
    subfont_index: int = 0

    @property
    def embedded(self) -> bool:
        return self.path is not None

    @property
    def warnings(self) -> tuple[SheetWarning, ...]:
        if self.embedded:
            return ()
        return (SheetWarning("font_not_embedded", {"font": self.name}),)


def font_dirs() -> list[Path]:
    """The platform's font folders (monkeypatched by tests to exercise the fallback)."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", str(home / "AppData" / "Local")))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path("/System/Library/Fonts/Supplemental")]
    data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
    return [home / ".local" / "share" / "fonts", home / ".fonts", *(Path(d) / "fonts" for d in data_dirs if d)]


def shipped_font_dirs() -> list[Path]:
    """Fonts the app ships (none in the repository; an installer may add IPAex here)."""
    try:
        return [resource_path("fonts")]
    except FileNotFoundError:  # pragma: no cover - broken installation
        return []


def _index(dirs: list[Path]) -> dict[str, Path]:
    """File name (lower case) → first path found, walking each folder once."""
    wanted = {name.lower() for name, _ in CANDIDATES}
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d, followlinks=True):
            for f in sorted(files):
                key = f.lower()
                if key in wanted and key not in found:
                    found[key] = Path(root) / f
    return found


def _candidates() -> Iterator[tuple[Path, int]]:
    for dirs in (shipped_font_dirs(), font_dirs()):
        found = _index(dirs)
        for name, indexes in CANDIDATES:
            p = found.get(name.lower())
            if p is not None:
                for i in indexes:
                    yield p, i


def _try_load(path: Path, index: int) -> TTFont | None:
    try:
        font = TTFont(f"ReviewerAppJP-{path.stem}-{index}", str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return None
    cmap = font.face.charToGlyph
    if not all(ord(c) in cmap for c in COVERAGE_PROBE):
        return None
    return font


def _register(font: TTFont) -> None:
    if font.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font)


@cache
def _discover() -> FontChoice:
    explicit = os.environ.get(FONT_ENV, "").strip()
    if explicit:
        p = Path(explicit).expanduser()
        font = _try_load(p, 0) if p.is_file() else None
        if font is None:
            raise SheetError("sheets.font_unusable", path=str(p), variable=FONT_ENV)
        _register(font)
        return FontChoice(font.fontName, p, 0)
    for path, index in _candidates():
        font = _try_load(path, index)
        if font is not None:
            _register(font)
            return FontChoice(font.fontName, path, index)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FontChoice(FALLBACK_CID_FONT, None)


def choose_font() -> FontChoice:
    """The font the sheets use in this process (searched once, then remembered)."""
    return _discover()


def forget_font_choice() -> None:
    """Search again on the next call (tests; after installing a font)."""
    _discover.cache_clear()
