"""Translation: Japanese first, English as the alternative, for the CLI and the GUI alike.

Every user-facing string is looked up by key in the catalogs under
``resources/i18n/<lang>/*.toml`` (one file per area, nested tables flatten to dotted
keys). One catalog serves both front ends, and a test checks that every key exists in
every language with the same placeholders. Qt-free, so services may format messages too.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from typing import Any

from .core.errors import ReviewerAppError
from .paths import resource_path

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
LANG_ENV = "REVIEWER_APP_LANG"

_current: str | None = None


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for k, v in table.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            _flatten(key, v, out)
        else:
            out[key] = str(v)


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """All messages of one language (loaded once)."""
    out: dict[str, str] = {}
    folder = resource_path("i18n", lang)
    for f in sorted(folder.glob("*.toml")):
        with f.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    return out


def language() -> str:
    global _current
    if _current is None:
        env = os.environ.get(LANG_ENV, "").split("_")[0].lower()
        _current = env if env in LANGUAGES else DEFAULT_LANGUAGE
    return _current


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {LANGUAGES}")
    _current = lang


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def tr(key: str, /, **params: Any) -> str:
    """The message for ``key`` in the current language, with ``{placeholders}`` filled in."""
    lang = language()
    text = catalog(lang).get(key)
    if text is None:
        for other in LANGUAGES:
            text = catalog(other).get(key)
            if text is not None:
                break
        else:
            return key
    try:
        return string.Formatter().vformat(text, (), _KeepMissing(params))
    except (ValueError, IndexError):  # a malformed catalog entry must not hide the message
        return text


def has_key(key: str) -> bool:
    return key in catalog(language())


def describe_error(exc: ReviewerAppError) -> str:
    """A sentence that says what happened and what to do, for any expected error."""
    key = f"error.{exc.code}"
    if not has_key(key):
        # Fall back to the nearest class-level message (e.g. a new rubric problem code).
        for cls in type(exc).__mro__:
            code = getattr(cls, "code", None)
            if isinstance(code, str) and has_key(f"error.{code}"):
                key = f"error.{code}"
                break
        else:
            key = "error.internal"
    return tr(key, **{k: _display(v) for k, v in exc.params.items()})


def _display(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) if language() == "ja" else ", ".join(str(v) for v in value)
    return value
