"""The GUI's remembered preferences, declared once with their type and default (as Picard does).

Stored with QSettings in IniFormat at ``user_data_dir()/gui-settings.ini``: beside the
reviewer's data (so ``REVIEWER_APP_HOME`` moves it too, and the demo never touches the real
preferences), readable, and free of the registry on Windows. Reading an undeclared name is a
programming error (KeyError); a stored value of the wrong type falls back to the default, so a
hand-edited file never breaks start-up.

``Settings.changed(name, value)`` lets open windows follow a change at once (the form zoom,
the language). To add a setting, add one line to ``DECLARED``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, QObject, QSettings, Signal

from .. import i18n
from ..paths import user_data_dir

FILE_NAME = "gui-settings.ini"

#: Form text zoom (percent): bounds and step of Ctrl+/Ctrl-.
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP, ZOOM_DEFAULT = 70, 200, 10, 100


def system_language() -> str:
    """Japanese on a Japanese system, English elsewhere; ``REVIEWER_APP_LANG`` overrides."""
    env = os.environ.get(i18n.LANG_ENV, "").split("_")[0].lower()
    if env in i18n.LANGUAGES:
        return env
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any | Callable[[], Any]
    #: Allowed values (None: any value of the type).
    choices: tuple[Any, ...] | None = None

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


DECLARED: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("language", str, system_language, i18n.LANGUAGES),
        Setting("form_zoom", int, ZOOM_DEFAULT),
        Setting("main_geometry", QByteArray, QByteArray),
        Setting("main_state", QByteArray, QByteArray),
        Setting("round_splitter", QByteArray, QByteArray),
        Setting("role", str, "reviewer", ("reviewer", "secretariat")),
        Setting("last_open_folder", str, ""),
        Setting("round_side_splitter", QByteArray, QByteArray),  # D2a: form | findings and distribution
    )
}


def clamp_zoom(value: int) -> int:
    return max(ZOOM_MIN, min(ZOOM_MAX, int(value)))


class Settings(QObject):
    """Typed access to the declared settings; writes are saved to disk at once."""

    #: (name, new value) after a value changed.
    changed = Signal(str, object)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def value(self, name: str) -> Any:
        decl = DECLARED[name]
        raw = self._qs.value(name)
        if raw is None:
            return decl.default_value()
        try:
            value = _convert(raw, decl.type)
        except (TypeError, ValueError):
            return decl.default_value()
        if decl.choices is not None and value not in decl.choices:
            return decl.default_value()
        if name == "form_zoom":
            value = clamp_zoom(value)
        return value

    def is_set(self, name: str) -> bool:
        """True when the user (or the app) stored a value, rather than relying on the default."""
        DECLARED[name]
        return self._qs.contains(name)

    def set(self, name: str, value: Any) -> None:
        decl = DECLARED[name]
        value = _convert(value, decl.type)
        if decl.choices is not None and value not in decl.choices:
            raise ValueError(f"{name}: {value!r} is not one of {decl.choices}")
        if name == "form_zoom":
            value = clamp_zoom(value)
        old = self.value(name) if self.is_set(name) else None
        self._qs.setValue(name, value)
        self._qs.sync()
        if old != value:
            self.changed.emit(name, value)


def _convert(raw: Any, kind: type) -> Any:
    if kind is QByteArray:
        if isinstance(raw, QByteArray):
            return raw
        if isinstance(raw, (bytes, bytearray)):
            return QByteArray(bytes(raw))
        raise TypeError(f"expected bytes, got {type(raw).__name__}")
    if kind is bool:
        if isinstance(raw, str):
            if raw.lower() in ("true", "1", "yes"):
                return True
            if raw.lower() in ("false", "0", "no"):
                return False
            raise ValueError(raw)
        return bool(raw)
    if kind is int:
        if isinstance(raw, bool):
            raise TypeError("bool is not an int setting")
        return int(raw)
    if kind is str:
        if not isinstance(raw, str):
            raise TypeError(f"expected str, got {type(raw).__name__}")
        return raw
    return kind(raw)


_instance: Settings | None = None


def settings_path() -> Path:
    return user_data_dir() / FILE_NAME


def app_settings() -> Settings:
    """The process-wide settings (re-created when ``REVIEWER_APP_HOME`` points elsewhere)."""
    global _instance
    path = settings_path()
    if _instance is None or _instance.path != path:
        _instance = Settings(path)
    return _instance
