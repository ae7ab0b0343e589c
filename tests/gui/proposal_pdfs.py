"""Proposal PDFs with real text for the PDF pane's tests and the GUI benchmarks (reportlab).

``tests.workspace_fixtures.make_assignment`` builds every proposal with its module-level
``make_pdf``; :func:`pdfs_in_bundle` swaps that function for the duration of a build, so
the bundles stay the real thing (encrypted, signed) while the PDFs carry what a test needs:
several pages, searchable words, an outline, a broken file, or a large one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import tests.workspace_fixtures as wf

#: A word that occurs on pages 1 and 3 of every text proposal (twice on page 3).
SEARCH_WORD = "exchange"


def text_pdf(proposal_id: str, pages: int = 3, outline: bool = True) -> bytes:
    """A multi-page proposal with searchable English text and, optionally, bookmarks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(f"Proposal {proposal_id}")
    body = {
        0: ["Concept for internationalization", f"Proposal {proposal_id}", "Student exchange with partner universities"],
        1: ["Section 2 Plan", "Courses taught in English", "Support for international students"],
        2: ["Section 5 Record", "Degrees awarded: 412", "Outbound exchange students: 61", "New exchange agreements: 12"],
    }
    for p in range(pages):
        c.setFont("Helvetica-Bold", 28)
        c.drawString(72, 760, f"Page {p + 1}")
        c.setFont("Helvetica", 16)
        for i, line in enumerate(body.get(p, [f"Appendix {p + 1}"])):
            c.drawString(72, 700 - 28 * i, line)
        c.rect(60, 300, 470, 300)  # something to see at any zoom
        if outline:
            key = f"page{p}"
            c.bookmarkPage(key, fit="XYZ", left=0, top=842, zoom=0)
            c.addOutlineEntry(f"Chapter {p + 1}", key, level=0)
        c.showPage()
    c.save()
    return buf.getvalue()


def broken_pdf(_proposal_id: str) -> bytes:
    """Starts like a PDF (the bundle builder checks the magic), but is not one."""
    return b"%PDF-1.7\n" + os.urandom(2048)


def large_pdf(_proposal_id: str, megabytes: int = 10) -> bytes:
    """About ``megabytes`` MB: one page with an uncompressed noise image (as a scanned page is)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # reportlab stores the image Flate-compressed (noise does not compress) and ASCII85-encoded (+25 %).
    side = int((megabytes * 1024 * 1024 / 3 / 1.25) ** 0.5)
    noise = os.urandom(side * side * 3)
    from PIL import Image  # reportlab depends on Pillow

    image = Image.frombytes("RGB", (side, side), noise)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    c.drawImage(ImageReader(image), 36, 200, 520, 520)
    c.setFont("Helvetica", 24)
    c.drawString(72, 760, "Scanned proposal")
    c.showPage()
    c.save()
    return buf.getvalue()


@contextmanager
def pdfs_in_bundle(make: Callable[[str], bytes] | dict[str, Callable[[str], bytes]]) -> Iterator[None]:
    """Build bundles whose proposals come from ``make`` (one function, or one per proposal id)."""
    original = wf.make_pdf

    def pick(proposal_id: str) -> bytes:
        if isinstance(make, dict):
            return make.get(proposal_id, text_pdf)(proposal_id)
        return make(proposal_id)

    wf.make_pdf = pick
    try:
        yield
    finally:
        wf.make_pdf = original
