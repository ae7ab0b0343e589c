#!/usr/bin/env python3
"""Render the application icon for every platform from its one SVG source.

    .venv/bin/python packaging/make_icons.py

Writes, beside the SVG in packaging/icons/: ``reviewer-app-<size>.png`` for the sizes the
Linux desktop and Briefcase ask for, ``reviewer-app.ico`` (Windows) and
``reviewer-app.icns`` (macOS), and the copy the running app shows as its window icon,
``resources/icons/reviewer-app.png``. Qt's SVG renderer draws every size, so nothing beyond
the app's dependencies is needed. The ICO and ICNS containers are written here, every size
as a PNG entry (what Windows Vista+ and macOS 10.7+ read): Qt's writers put a single image
in each, and Qt's own ICNS reader calls its table of contents a bad entry. The outputs are
committed, because installer builds on Windows and macOS runners should not need a Qt
rendering step.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ICONS = ROOT / "packaging" / "icons"
SOURCE = ICONS / "reviewer-app.svg"
#: Briefcase's Linux sizes (16–512) plus the 1024 macOS uses for Retina.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
RUNTIME_ICON = ROOT / "resources" / "icons" / "reviewer-app.png"
#: Windows: the shell's sizes up to 256 (largest first, so readers that take the first get it).
ICO_SIZES = (256, 128, 64, 48, 32, 24, 16)
#: macOS icon element types and their pixel sizes (the @2x types reuse the larger renderings).
ICNS_TYPES = ((b"ic10", 1024), (b"ic14", 512), (b"ic09", 512), (b"ic13", 256), (b"ic08", 256),
              (b"ic07", 128), (b"ic12", 64), (b"icp6", 64), (b"ic11", 32), (b"icp5", 32), (b"icp4", 16))


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (ICONDIR, ICONDIRENTRY×n, then the data)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, data = b"", b""
    for size in ICO_SIZES:
        png = pngs[size]
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns: the 'icns' header, then one (type, length, PNG) element per type."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


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
    from PySide6.QtGui import QGuiApplication

    import reviewer_app.gui  # noqa: F401  (the None workaround, before any Qt call)

    _app = QGuiApplication.instance() or QGuiApplication([])
    for size in PNG_SIZES:
        out = ICONS / f"reviewer-app-{size}.png"
        if not render(size).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
    RUNTIME_ICON.parent.mkdir(exist_ok=True)
    render(256).save(str(RUNTIME_ICON), "PNG")
    pngs = {size: (ICONS / f"reviewer-app-{size}.png").read_bytes() for size in PNG_SIZES}
    (ICONS / "reviewer-app.ico").write_bytes(ico(pngs))
    (ICONS / "reviewer-app.icns").write_bytes(icns(pngs))
    print(f"icons written to {ICONS.relative_to(ROOT)} and {RUNTIME_ICON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
