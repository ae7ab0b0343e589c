"""Every message exists in Japanese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest

import reviewer_app
from reviewer_app import i18n
from reviewer_app.core import errors
from reviewer_app.core.errors import ReviewerAppError
from reviewer_app.core.scoring import FindingCode, Severity
from reviewer_app.paths import resource_path

PACKAGE = Path(reviewer_app.__file__).resolve().parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages_have_the_same_keys_and_placeholders():
    ja, en = i18n.catalog("ja"), i18n.catalog("en")
    assert sorted(set(ja) ^ set(en)) == []
    mismatched = [k for k in ja if _fields(ja[k]) != _fields(en[k])]
    assert mismatched == []


def test_no_key_is_defined_twice_across_files():
    for lang in i18n.LANGUAGES:
        seen: dict[str, str] = {}
        for f in sorted(resource_path("i18n", lang).glob("*.toml")):
            flat: dict[str, str] = {}
            i18n._flatten("", tomllib.loads(f.read_text(encoding="utf-8")), flat)
            for k in flat:
                assert k not in seen, f"{lang}: {k} in both {seen[k]} and {f.name}"
                seen[k] = f.name


def _source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_error_code_raised_in_the_code_has_a_message():
    ja = i18n.catalog("ja")
    codes: set[str] = set()
    pattern = re.compile(r"""(?:Error|Warning)\(\s*f?["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
    for path in _source_files():
        codes.update(pattern.findall(path.read_text(encoding="utf-8")))
    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, ReviewerAppError):
            codes.add(cls.code)
    missing = sorted(c for c in codes if f"error.{c}" not in ja)
    assert missing == []


def test_every_literal_tr_key_exists():
    ja = i18n.catalog("ja")
    pattern = re.compile(r"""\btr\(\s*["']([A-Za-z0-9_.]+)["']\s*[,)]""")
    used: set[str] = set()
    for path in _source_files():
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan must find the keys in use"
    assert sorted(k for k in used if k not in ja) == []


def test_findings_and_severities_have_messages():
    for lang in i18n.LANGUAGES:
        cat = i18n.catalog(lang)
        assert all(f"finding.{c.value}" in cat for c in FindingCode)
        assert all(f"severity.{s.value}" in cat for s in Severity)


def test_describe_error_fills_placeholders_in_both_languages(monkeypatch):
    err = errors.RubricError("rubric.points_mismatch", file="r.toml", where="group 2c", declared="30", actual="35")
    monkeypatch.setattr(i18n, "_current", "ja")
    ja = i18n.describe_error(err)
    assert "r.toml" in ja and "35" in ja and "30" in ja and "一致しません" in ja
    i18n.set_language("en")
    en = i18n.describe_error(err)
    assert "do not" not in ja and "r.toml" in en and "35" in en and "declared" in en


def test_unknown_code_falls_back_to_the_class_message(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    msg = i18n.describe_error(errors.BundleIntegrityError("bundle.integrity.some_new_case"))
    assert msg == i18n.tr("error.bundle.integrity")


def test_language_from_environment(monkeypatch):
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.setenv(i18n.LANG_ENV, "en_US")
    assert i18n.language() == "en"
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.setenv(i18n.LANG_ENV, "fr")
    assert i18n.language() == "ja"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_errors_survive_pickling_for_background_workers():
    import pickle

    err = errors.ResultRejectedError("bundle.result.stale_revision", revision=3, latest=5)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is errors.ResultRejectedError and back.code == err.code and back.params == err.params
