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
from pathlib import Path
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
    """All messages of one language (loaded once per process).

    Parsing every catalog file costs each command start-up tens of milliseconds as the
    catalogs grow, so the flattened result is kept as JSON in the data folder's ``cache/``,
    valid while every file's name, size and modification time are unchanged (the TOML files
    stay the only source). Without a writable data folder the files are simply parsed.
    """
    folder = resource_path("i18n", lang)
    files = sorted(folder.glob("*.toml"))
    stamp = [[f.name, st.st_size, st.st_mtime_ns] for f in files for st in (f.stat(),)]
    cached = _read_cached(lang, stamp)
    if cached is not None:
        return cached
    out: dict[str, str] = {}
    for f in files:
        with f.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    _write_cached(lang, stamp, out)
    return out


def _cache_file(lang: str) -> Path:
    from .paths import user_data_dir

    return user_data_dir() / "cache" / f"i18n-{lang}.json"


def _read_cached(lang: str, stamp: list[Any]) -> dict[str, str] | None:
    import json

    try:
        doc = json.loads(_cache_file(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("stamp") != stamp or not isinstance(doc.get("messages"), dict):
        return None
    messages = doc["messages"]
    return messages if all(isinstance(v, str) for v in messages.values()) else None


def _write_cached(lang: str, stamp: list[Any], messages: dict[str, str]) -> None:
    import json

    from .core.atomic import write_atomically

    try:
        path = _cache_file(lang)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        write_atomically(path, json.dumps({"stamp": stamp, "messages": messages}, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


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
