"""The content of one demo 構想調書 as plain blocks, kept apart from the PDF layout.

The prose modules say *what* a proposal contains (headings with the section references the
rubric cites, paragraphs, tables); ``pdf.py`` decides how it looks. Tests can check the
content without parsing a PDF, and the layout can change without touching the texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Heading:
    #: The section reference exactly as the rubric cites it: "1-(1)", "2-(6)-①", "3." …
    ref: str
    title: str
    #: 1 for "1." sections, 2 for "1-(1)", 3 for "2-(1)-①".
    level: int

    @property
    def text(self) -> str:
        return f"{self.ref} {self.title}"


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Relative column widths (any positive numbers; the layout scales them to the page).
    widths: tuple[float, ...]
    caption: str = ""
    #: Columns holding numbers (right-aligned).
    numeric: tuple[int, ...] = ()
    #: The last row is a total (drawn bold with a rule above).
    total_row: bool = False


@dataclass(frozen=True)
class Note:
    """A small remark under a table (※ …)."""

    text: str


@dataclass(frozen=True)
class NewPage:
    pass


Block = Heading | Para | Table | Note | NewPage


def num(value: int | Decimal) -> str:
    """Figures as a Japanese document prints them: thousands separators, one decimal if any."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def pct(value: Decimal) -> str:
    return f"{value:.1f}%"
