"""What the speed-ups (issue 11) must not change: each sheet's QR code, and every byte of the layout.

The QR code printed on each sheet is read back from the PDF and must be the code of that sheet's payload.

The mask is chosen once per document (issue 11: encoding dominated the time); these tests
check that what is drawn is still exactly reportlab's reference encoding of each payload
with that mask, and that the mask is the best one for the document's first payload.
"""

from __future__ import annotations

import io
import re

import pypdf

from reviewer_app.core.sheets import qr_payload, render_score_sheets
from reviewer_app.core.sheets.qr import form_operators, qr_matrix
from reviewer_app.core.sheets.score_sheet import score_footer

from .conftest import sample_result

_RECT = re.compile(rb"^(\d+) (\d+) (\d+) 1 re$", re.M)


def drawn_modules(form_stream: bytes) -> list[list[bool]]:
    """The module grid a form paints: integer ``re`` runs in module units, row 0 at the top."""
    runs = [tuple(map(int, m)) for m in _RECT.findall(form_stream)]
    n = max(y for _x, y, _w in runs) + 1
    grid = [[False] * n for _ in range(n)]
    for x, y, w in runs:
        for col in range(x, x + w):
            grid[n - 1 - y][col] = True
    return grid


def qr_forms(data: bytes) -> list[bytes]:
    """The QR form of each page, in page order."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        xobjects = page["/Resources"]["/XObject"]
        (name,) = [k for k in xobjects if "sheetqr" in k]
        out.append(xobjects[name].get_object().get_data())
    return out


def test_each_sheet_carries_the_exact_code_of_its_own_payload(ja, ctx, reviewer, rubric):
    results = [sample_result(rubric, f"P-00{k}", variant=k) for k in range(1, 4)]
    pdf = render_score_sheets(ctx, reviewer, results)
    payloads = [qr_payload(score_footer(ctx, reviewer, r).qr_fields) for r in results]
    _best, mask = qr_matrix(payloads[0])  # the document's mask: the best one for its first sheet
    forms = qr_forms(pdf.data)
    assert len(forms) == pdf.pages
    # Every page of a sheet stamps that sheet's form; consecutive pages of one sheet share it.
    per_sheet = [f for n, f in enumerate(forms) if n == 0 or f != forms[n - 1]]
    assert len(per_sheet) == len(results)
    for k, (payload, form) in enumerate(zip(payloads, per_sheet)):
        assert drawn_modules(form) == qr_matrix(payload, mask)[0], f"sheet {k + 1}"


def test_a_fixed_mask_is_still_a_different_valid_code_of_the_same_data():
    payload = qr_payload((("kind", "score"), ("digest", "ab" * 32)))
    best, mask = qr_matrix(payload)
    other, used = qr_matrix(payload, (mask + 1) % 8)
    assert used == (mask + 1) % 8 and best != other and len(best) == len(other)
    assert drawn_modules(form_operators(best).encode()) == best


def test_the_layout_memos_change_no_byte_of_the_output(ja, ctx, reviewer, rubric, monkeypatch):
    """Remembered wraps, glyph widths and label parses (styles.SheetParagraph) against plain reportlab."""
    from reportlab.platypus import Paragraph

    from reviewer_app.core.sheets import render_summary, styles

    results = [sample_result(rubric, f"P-00{k}", variant=k) for k in range(1, 4)]
    fast = (render_score_sheets(ctx, reviewer, results).data, render_summary(ctx, reviewer, results).data)
    monkeypatch.setattr(styles, "SheetParagraph", Paragraph)
    plain = (render_score_sheets(ctx, reviewer, results).data, render_summary(ctx, reviewer, results).data)
    assert fast == plain
