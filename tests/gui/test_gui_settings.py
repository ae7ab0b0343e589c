"""GUI settings: declared once, typed, persisted in the app's folder, announced on change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray

from reviewer_app.gui import settings as settings_mod
from reviewer_app.gui.settings import Settings, app_settings


def test_defaults_then_values_survive_a_new_instance(_isolated_home, monkeypatch):
    monkeypatch.setenv("REVIEWER_APP_LANG", "ja")
    s = app_settings()
    assert s.path == _isolated_home / "gui-settings.ini"
    assert s.value("language") == "ja"
    assert s.value("form_zoom") == 100
    assert s.value("role") == "reviewer"
    assert s.value("main_geometry") == QByteArray()
    s.set("language", "en")
    s.set("form_zoom", 130)
    s.set("main_geometry", QByteArray(b"\x00\x01geometry\xff"))
    again = Settings(s.path)
    assert again.value("language") == "en"
    assert again.value("form_zoom") == 130
    assert bytes(again.value("main_geometry").data()) == b"\x00\x01geometry\xff"


def test_language_default_follows_the_system_locale(monkeypatch):
    monkeypatch.delenv("REVIEWER_APP_LANG", raising=False)
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.Japanese)))
    assert settings_mod.system_language() == "ja"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.German)))
    assert settings_mod.system_language() == "en"


def test_zoom_is_kept_within_bounds_and_change_is_announced(qtbot):
    s = app_settings()
    seen: list[tuple[str, object]] = []
    s.changed.connect(lambda name, value: seen.append((name, value)))
    s.set("form_zoom", 1000)
    assert s.value("form_zoom") == settings_mod.ZOOM_MAX
    s.set("form_zoom", 10)
    assert s.value("form_zoom") == settings_mod.ZOOM_MIN
    assert seen == [("form_zoom", settings_mod.ZOOM_MAX), ("form_zoom", settings_mod.ZOOM_MIN)]


def test_a_hand_edited_bad_value_falls_back_to_the_default(_isolated_home, monkeypatch):
    monkeypatch.setenv("REVIEWER_APP_LANG", "ja")
    (_isolated_home / "gui-settings.ini").write_text("[General]\nlanguage=klingon\nform_zoom=huge\n", encoding="utf-8")
    s = Settings(_isolated_home / "gui-settings.ini")
    assert s.value("language") == "ja"
    assert s.value("form_zoom") == 100


def test_undeclared_names_and_bad_choices_are_programming_errors():
    s = app_settings()
    with pytest.raises(KeyError):
        s.value("no_such_setting")
    with pytest.raises(ValueError):
        s.set("language", "fr")


def test_a_new_data_folder_gets_its_own_settings(tmp_path, monkeypatch):
    first = app_settings()
    first.set("form_zoom", 150)
    monkeypatch.setenv("REVIEWER_APP_HOME", str(tmp_path / "demo"))
    second = app_settings()
    assert second is not first
    assert second.value("form_zoom") == 100
