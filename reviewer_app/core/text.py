"""One rule for text that people type or files carry: what is kept, removed, refused or escaped.

Free text (comments, reasons, notes, the distribution justification) is what a reviewer types
or pastes from a PDF. Stray control characters (NUL, ESC, form feeds) and bidirectional
overrides carry no meaning there but can hide text or rewrite a terminal line, so they are
removed; line breaks and tabs stay. Each field has a stated length limit checked when it is
entered, so a text can never make a later export fail.

Labels (ids and titles) are matched and printed as given, so a control character in one is
refused rather than silently changed: two ids that differ only by an invisible character
must never look the same.

Text that is not valid UTF-8 (a command-line argument or pasted bytes in another encoding,
which Python keeps as lone surrogates) is refused everywhere: it could not be stored or
exported faithfully.

Printing to a terminal uses :func:`for_terminal`, which shows any such character as a
visible escape instead of sending it to the terminal.
"""

from __future__ import annotations

import re

from .errors import TextError

#: The stated limit for every free-text field (characters, after removal of control characters).
MAX_TEXT_CHARS = 20_000

#: Free-text kinds, each with its own message (``error.text.too_long.<kind>``).
TEXT_KINDS = ("comment", "reason", "note", "justification")

_BIDI = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_LINE_SEPARATORS = frozenset([0x2028, 0x2029])


# The rule of is_unsafe as regex character classes: scanning a text is then one search in C
# instead of a Python call per character (rubrics, imported results and labels are long).
# A test checks each class against is_unsafe for every code point.
_REST = r"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x1f{_REST}]")
_UNSAFE_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_REST}]")
_UNSAFE_BUT_NEWLINE_TAB = re.compile(rf"[\x00-\x08\x0b-\x1f{_REST}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def first_unsafe(text: str, *, allow_newline: bool = False, allow_tab: bool = False) -> str | None:
    """The first character of ``text`` that :func:`is_unsafe` refuses (``\\n``/``\\t`` if allowed), or None."""
    if allow_tab and not allow_newline:
        raise ValueError("a tab is allowed only together with a line break")
    pattern = _UNSAFE_BUT_NEWLINE_TAB if allow_tab else _UNSAFE_BUT_NEWLINE if allow_newline else _UNSAFE
    m = pattern.search(text)
    return None if m is None else m.group()


def _is_control(cp: int) -> bool:
    return cp < 0x20 or 0x7F <= cp <= 0x9F


def _is_surrogate(cp: int) -> bool:
    return 0xD800 <= cp <= 0xDFFF


def is_unsafe(ch: str) -> bool:
    """A character that never belongs in a label: C0/C1 controls, bidi controls, line separators, surrogates."""
    cp = ord(ch)
    return _is_control(cp) or cp in _BIDI or cp in _LINE_SEPARATORS or _is_surrogate(cp)


def _refuse_not_utf8(value: str, field: str) -> None:
    if _SURROGATE.search(value) is not None:
        raise TextError("text.not_utf8", field=field)


def clean_text(value: str, kind: str, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Free text as stored: newlines normalised to ``\\n``, control and bidi characters removed.

    Raises ``TextError`` for text that is not valid UTF-8 or is longer than ``max_chars``
    after cleaning. ``kind`` is one of :data:`TEXT_KINDS` and chooses the message.
    """
    if kind not in TEXT_KINDS:
        raise ValueError(f"unknown text kind {kind!r}")
    _refuse_not_utf8(value, kind)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if first_unsafe(text, allow_newline=True, allow_tab=True) is not None:
        text = "".join(
            "\n" if ord(ch) in _LINE_SEPARATORS else ch
            for ch in text
            if ch in "\n\t" or not is_unsafe(ch) or ord(ch) in _LINE_SEPARATORS
        )
    if len(text) > max_chars:
        raise TextError(f"text.too_long.{kind}", length=len(text), limit=max_chars)
    return text


def check_label(value: str, field: str, *, max_chars: int | None = None) -> str:
    """An id or title, refused (``TextError``) if it holds a control, bidi or non-UTF-8 character.

    ``field`` names where the value came from (``proposals[2].title``) for the message.
    """
    _refuse_not_utf8(value, field)
    ch = first_unsafe(value)
    if ch is not None:
        raise TextError("text.control_char", field=field, char=f"U+{ord(ch):04X}")
    if max_chars is not None and len(value) > max_chars:
        raise TextError("text.label_too_long", field=field, length=len(value), limit=max_chars)
    return value


def for_terminal(value: object, *, multiline: bool = False) -> str:
    """``value`` as text safe to echo: unsafe characters shown as ``\\x1b`` / ``\\u202e`` escapes.

    With ``multiline`` a line break and a tab are kept (a note printed as written).
    """
    text = str(value)
    if first_unsafe(text) is None:
        return text
    out = []
    for ch in text:
        cp = ord(ch)
        if multiline and ch in "\n\t":
            out.append(ch)
        elif _is_surrogate(cp) and 0xDC80 <= cp <= 0xDCFF:
            out.append(f"\\x{cp - 0xDC00:02x}")  # an undecodable byte kept by surrogateescape
        elif is_unsafe(ch):
            out.append(f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}")
        else:
            out.append(ch)
    return "".join(out)
