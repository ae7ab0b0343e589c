"""Figures a reviewer reads off a proposal, parsed exactly and refused with a precise reason.

A figure decides a suggested level or whether a plan reaches a 観点's level, so it must be
the number the person meant, never a float's approximation: ``509.99999999999999999`` stays
below 510. What a Japanese keyboard produces (full-width digits ``１２３``, ``１，２３４``,
``．``) is read as the same number; notations nobody types into a count (``1e5``,
``1_000``, ``+3``, ``-0``, ``NaN``) are refused rather than guessed at, and each refusal
says which problem it is (negative, not finite, above the limit, not a number).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import EntryError

#: No count in a proposal comes near this; larger input is a typo, not a figure.
MAX_FIGURE = Decimal(10) ** 9
#: Longer text is not a figure anyone typed (and would only make Decimal work hard).
MAX_FIGURE_CHARS = 64

# Full-width digits, separators and signs as an IME produces them, mapped to ASCII.
_WIDE = str.maketrans(
    "０１２３４５６７８９．，－−＋　",
    "0123456789.,--+ ",
)
# Plain decimal notation only: digits with optional correct thousands grouping, then an
# optional fraction. A leading sign is looked at separately so "-3" can say "negative".
_PLAIN = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")  # ASCII digits only, after mapping
_NOT_FINITE = re.compile(r"[+-]?(?:nan|snan|inf|infinity)", re.IGNORECASE)


class JsonNumber:
    """A number literal from a JSON document, kept as its text until read as a figure.

    ``json.loads(..., parse_float=JsonNumber, parse_int=JsonNumber)`` hands figures over
    without a float ever existing, so ``509.99999999999999999`` and ``1e5`` can be judged
    on what was written.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"JsonNumber({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _check_value(d: Decimal, shown: str) -> Decimal:
    if not d.is_finite():
        raise EntryError("entry.figure_not_finite", value=shown)
    if d.is_signed():  # includes -0: a count is never signed
        raise EntryError("entry.figure_negative", value=shown)
    if d > MAX_FIGURE:
        raise EntryError("entry.figure_too_large", value=shown, limit=f"{MAX_FIGURE:,}")
    return d


def parse_figure_text(text: str) -> Decimal:
    """A figure typed by a person or written in a file: ``"1,234"``, ``"340.5"``, ``"１２３"``."""
    shown = text if len(text) <= MAX_FIGURE_CHARS else text[:MAX_FIGURE_CHARS] + "…"
    if len(text) > MAX_FIGURE_CHARS:
        raise EntryError("entry.bad_figure", value=shown)
    s = text.translate(_WIDE).strip()
    if _NOT_FINITE.fullmatch(s):
        raise EntryError("entry.figure_not_finite", value=shown)
    negative = s.startswith("-")
    body = s[1:].strip() if negative else s
    if not _PLAIN.fullmatch(body):
        raise EntryError("entry.bad_figure", value=shown)
    if negative:
        raise EntryError("entry.figure_negative", value=shown)
    try:
        d = Decimal(body.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise EntryError("entry.bad_figure", value=shown) from None
    return _check_value(d, shown)


def to_figure(value: Decimal | int | float | str | JsonNumber) -> Decimal:
    """Normalise a figure however it arrives: typed text, a JSON literal, or a number in code.

    Raises :class:`EntryError` with ``entry.bad_figure`` (not a plain number),
    ``entry.figure_negative``, ``entry.figure_not_finite`` or ``entry.figure_too_large``
    (with the ``limit``).
    """
    if isinstance(value, bool):  # bool is an int in Python; True is not a count
        raise EntryError("entry.bad_figure", value=str(value).lower())
    if isinstance(value, JsonNumber):
        return parse_figure_text(value.text)
    if isinstance(value, str):
        return parse_figure_text(value)
    if isinstance(value, Decimal):
        return _check_value(value, str(value))
    if isinstance(value, int):
        return _check_value(Decimal(value), str(value))
    if isinstance(value, float):
        # repr gives the shortest text that reads back as this float: what the caller wrote.
        return _check_value(Decimal(repr(value)), repr(value))
    raise EntryError("entry.bad_figure", value=str(value)[:MAX_FIGURE_CHARS])


def check_figure(value: Decimal) -> Decimal:
    """Refuse a figure that was constructed in code or decoded elsewhere but is out of range."""
    if not isinstance(value, Decimal):
        return to_figure(value)
    return _check_value(value, str(value))
