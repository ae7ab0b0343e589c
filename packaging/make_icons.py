#!/usr/bin/env python3
"""Render the application icon for every platform from its one SVG source.

    .venv/bin/python packaging/make_icons.py

Writes, beside the SVG in packaging/icons/: ``reviewer-app-<size>.png`` for the sizes the
Linux desktop and Briefcase ask for, ``reviewer-app.ico`` (Windows) and
``reviewer-app.icns`` (macOS), and the copy the running app shows as its window icon,
``resources/icons/reviewer-app.png``. Qt's own SVG renderer and image writers do the work,
so nothing beyond the app's dependencies is needed. The outputs are committed, because
installer builds on Windows and macOS runners should not need a Qt rendering step.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ICONS = ROOT / "packaging" / "icons"
SOURCE = ICONS / "reviewer-app.svg"
#: Briefcase's Linux sizes (16–512) plus the 1024 macOS uses for Retina.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
RUNTIME_ICON = ROOT / "resources" / "icons" / "reviewer-app.png"


def render(size: int):  # -> QImage
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImageWriter

    import reviewer_app.gui  # noqa: F401  (the None workaround, before any Qt call)

    _app = QGuiApplication.instance() or QGuiApplication([])
    for size in PNG_SIZES:
        out = ICONS / f"reviewer-app-{size}.png"
        if not render(size).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
    RUNTIME_ICON.parent.mkdir(exist_ok=True)
    render(256).save(str(RUNTIME_ICON), "PNG")
    for fmt, size in (("ico", 256), ("icns", 1024)):
        writer = QImageWriter(str(ICONS / f"reviewer-app.{fmt}"), fmt.encode())
        if not writer.write(render(size)):
            raise SystemExit(f"cannot write reviewer-app.{fmt}: {writer.errorString()}")
    print(f"icons written to {ICONS.relative_to(ROOT)} and {RUNTIME_ICON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
