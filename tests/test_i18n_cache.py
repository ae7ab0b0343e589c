"""The parsed catalog is cached for start-up speed, but the TOML files stay the only source."""

from __future__ import annotations

from reviewer_app import i18n


def test_the_cache_follows_every_change_to_the_catalog_files(tmp_path, monkeypatch):
    folder = tmp_path / "i18n" / "xx"
    folder.mkdir(parents=True)
    (folder / "a.toml").write_text('[greet]\nhello = "こんにちは"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    load = i18n.catalog.__wrapped__  # past the per-process memo, as a new process would

    assert load("xx") == {"greet.hello": "こんにちは"}
    cache = i18n._cache_file("xx")
    assert cache.is_file()
    assert load("xx") == {"greet.hello": "こんにちは"}  # read back from the cache

    (folder / "a.toml").write_text('[greet]\nhello = "やあ、こんにちは"\n', encoding="utf-8")
    assert load("xx") == {"greet.hello": "やあ、こんにちは"}  # a changed file is parsed again
    (folder / "b.toml").write_text('[bye]\nnow = "さようなら"\n', encoding="utf-8")
    assert load("xx")["bye.now"] == "さようなら"  # and so is a new one

    cache.write_text("{not json", encoding="utf-8")
    assert load("xx")["greet.hello"] == "やあ、こんにちは"  # a damaged cache is ignored and rewritten
    assert load("xx") == {"greet.hello": "やあ、こんにちは", "bye.now": "さようなら"}
