"""Printable documents: score sheets, the blank paper sheet, the reviewer summary and the
panel material, as deterministic A4 PDFs with an embedded Japanese font.

Callers build the plain input model (:mod:`.model`) from whatever they store and call one
``render_*`` function; each returns a :class:`SheetPdf` (bytes, page count, warnings).
"""

from __future__ import annotations

from .blank import render_blank_sheet
from .fonts import FontChoice, SheetWarning, choose_font, forget_font_choice
from .model import ProposalInfo, ReviewerInfo, ReviewerResult, SheetContext, VerifiedResult, combined_digest
from .panel import render_panel
from .render import SheetPdf, qr_payload
from .score_sheet import render_score_sheets
from .summary import render_summary

__all__ = [
    "FontChoice",
    "ProposalInfo",
    "ReviewerInfo",
    "ReviewerResult",
    "SheetContext",
    "SheetPdf",
    "SheetWarning",
    "VerifiedResult",
    "choose_font",
    "combined_digest",
    "forget_font_choice",
    "qr_payload",
    "render_blank_sheet",
    "render_panel",
    "render_score_sheets",
    "render_summary",
]
