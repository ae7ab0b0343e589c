"""The footer's QR code, encoded once per section and stamped on each page as a PDF form.

reportlab's QR widget re-encodes (and tries all eight masks) every time it is drawn and
emits one rectangle object per run; on a 300-page stack of sheets that dominated the
time. We encode with reportlab's own encoder once, draw the dark runs into a reusable
form XObject, and place that form on every page of the section.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

#: Error correction M: survives a crease or a stamp over a corner of the code.
LEVEL = "M"


def qr_modules(payload: str) -> list[list[bool]]:
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, LEVEL))
    code.addData(payload)
    code.make()
    return [[bool(m) for m in row] for row in code.modules]


def define_qr_form(c: Canvas, name: str, payload: str, size: float) -> None:
    """Define form ``name``: the QR code of ``payload`` in a ``size`` × ``size`` square at the origin."""
    modules = qr_modules(payload)
    box = size / len(modules)
    c.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for r, row in enumerate(modules):
        col = 0
        for dark, run in itertools.groupby(row):
            count = len(list(run))
            if dark:
                path.rect(col * box, size - (r + 1) * box, count * box, box)
            col += count
    c.drawPath(path, stroke=0, fill=1)
    c.endForm()
