"""The value grammars of manifest and payload fields, shared by every reader and writer.

A writer checks what it is about to sign with the same functions a reader uses, so the app
never builds a bundle it would refuse to open. Each grammar is stated in
docs/bundle-format.md ("Field values"); the regular expressions below are quoted there.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

#: Languages a round may be reviewed in (the app's catalogs).
LANGUAGES = ("ja", "en")

HEX32_RE = re.compile(r"^[0-9a-f]{32}$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
#: A non-negative decimal in plain notation: no sign, exponent or leading zero; fraction optional.
DECIMAL_RE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
#: A moment in UTC as the app writes it: seconds, or microseconds (exactly six digits), then "+00:00".
UTC_TIMESTAMP_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: A deadline with a time: seconds (optional six-digit fraction) and an explicit UTC offset.
OFFSET_DATETIME_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?[+-][0-9]{2}:[0-9]{2}$")
#: Decimal digits a figure or share may carry in all (more is not a figure anyone types).
MAX_DECIMAL_CHARS = 40


class FieldProblem(ValueError):
    """A value breaks its grammar; ``field`` names it (readers turn it into ``malformed``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def text(v: Any, field: str, *, nonempty: bool = False) -> str:
    if not isinstance(v, str) or (nonempty and not v):
        raise FieldProblem(field)
    return v


def boolean(v: Any, field: str) -> bool:
    if not isinstance(v, bool):
        raise FieldProblem(field)
    return v


def hex_digest(v: Any, field: str, length: int = 64) -> str:
    if not isinstance(v, str) or not (HEX64_RE if length == 64 else HEX32_RE).match(v):
        raise FieldProblem(field)
    return v


def exact_keys(d: Any, keys: set[str] | frozenset[str], field: str, optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``d`` is an object with exactly ``keys`` (plus any of ``optional``); nothing else."""
    if not isinstance(d, dict) or not keys <= set(d) <= keys | optional:
        raise FieldProblem(field)
    return d


def array(v: Any, field: str) -> list[Any]:
    if not isinstance(v, list):
        raise FieldProblem(field)
    return v


def decimal_text(d: Decimal | int, field: str = "decimal") -> str:
    """The wire form of a non-negative decimal: plain notation (``1E+3`` is written ``1000``)."""
    value = Decimal(d)
    if not value.is_finite() or value < 0:
        raise FieldProblem(field)
    out = format(value.copy_abs() if value == 0 else value, "f")
    if len(out) > MAX_DECIMAL_CHARS or not DECIMAL_RE.match(out):
        raise FieldProblem(field)
    return out


def parse_decimal(v: Any, field: str) -> Decimal:
    """A decimal string of the wire grammar (a JSON number is refused: decimals are strings)."""
    if not isinstance(v, str) or len(v) > MAX_DECIMAL_CHARS or not DECIMAL_RE.match(v):
        raise FieldProblem(field)
    try:
        return Decimal(v)
    except InvalidOperation:  # pragma: no cover - the grammar admits only valid decimals
        raise FieldProblem(field) from None


def share(v: Any, field: str) -> Decimal:
    """A band's target share: a decimal string between 0 and 1."""
    d = parse_decimal(v, field)
    if d > 1:
        raise FieldProblem(field)
    return d


def utc_timestamp(v: Any, field: str, *, empty_ok: bool = False) -> str:
    """``2009-05-01T00:00:00+00:00`` or ``…T00:00:00.123456+00:00``: a real moment, in UTC."""
    if empty_ok and v == "":
        return v
    if not isinstance(v, str) or not UTC_TIMESTAMP_RE.match(v):
        raise FieldProblem(field)
    _real_datetime(v, field)
    return v


def deadline(v: Any, field: str) -> str | None:
    """null, a date ``2009-06-30`` (to the end of that day) or a date-time with its UTC offset."""
    if v is None:
        return None
    if isinstance(v, str) and DATE_RE.match(v):
        try:
            date.fromisoformat(v)
        except ValueError:
            raise FieldProblem(field) from None
        return v
    if not isinstance(v, str) or not OFFSET_DATETIME_RE.match(v):
        raise FieldProblem(field)
    _real_datetime(v, field)
    return v


def language(v: Any, field: str) -> str:
    if v not in LANGUAGES or not isinstance(v, str):
        raise FieldProblem(field)
    return v


def _real_datetime(v: str, field: str) -> None:
    try:
        datetime.fromisoformat(v)
    except ValueError:
        raise FieldProblem(field) from None
