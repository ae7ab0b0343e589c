"""The footer's QR code, encoded once per section and stamped on each page as a PDF form.

reportlab's QR widget re-encodes every time it is drawn and emits one rectangle object per
run; we encode with reportlab's own encoder once per section, draw the dark runs into a
reusable form XObject, and place that form on every page of the section.

Choosing the mask is most of the encoding time: the encoder builds the code eight times
and scores each (about 40 ms a sheet). The sheets of one document carry payloads of the
same shape (only ids and digests differ), so the mask chosen for the first section is used
for every other one. Any of the eight masks gives a valid, readable code; the choice only
tunes how evenly dark and light modules spread. The same data still gives the same bytes.

The form is written as integer ``re`` operators in module units under one scale, rather
than through reportlab's path object, which formats every coordinate in Python.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

#: Error correction M: survives a crease or a stamp over a corner of the code.
LEVEL = "M"


def qr_matrix(payload: str, mask: int | None = None) -> tuple[list[list[bool]], int]:
    """The modules of ``payload``'s QR code (rows, dark = True) and the mask pattern used.

    With ``mask`` None the encoder picks the best of the eight (reportlab's ``make``).
    """
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, LEVEL))
    code.addData(payload)
    code.version = code.calculate_version()
    if mask is None:
        mask = code.getBestMaskPattern()
    code.makeImpl(False, mask)
    return [[bool(m) for m in row] for row in code.modules], mask


def form_operators(modules: list[list[bool]]) -> str:
    """PDF path operators for the dark runs, one module = one unit, row 0 at the top."""
    n = len(modules)
    ops = []
    for r, row in enumerate(modules):
        col = 0
        for dark, run in itertools.groupby(row):
            count = sum(1 for _ in run)
            if dark:
                ops.append(f"{col} {n - r - 1} {count} 1 re")
            col += count
    return "\n".join(ops) + "\nf"


def define_qr_form(c: Canvas, name: str, payload: str, size: float, mask: int | None = None) -> int:
    """Define form ``name``: the QR code of ``payload`` in a ``size`` × ``size`` square at the origin.

    Returns the mask used (pass it back for the next section of the same document).
    """
    modules, mask = qr_matrix(payload, mask)
    c.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
    c.setFillColorRGB(0, 0, 0)
    box = size / len(modules)
    c.scale(box, box)
    c.addLiteral(form_operators(modules))
    c.endForm()
    return mask
