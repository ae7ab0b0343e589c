"""The one text rule: what a comment keeps, what an id refuses, what a terminal is shown."""

from __future__ import annotations

import pytest

from reviewer_app.core.errors import TextError
from reviewer_app.core.text import MAX_TEXT_CHARS, check_label, clean_text, for_terminal


def test_free_text_keeps_lines_and_tabs_and_drops_controls_and_bidi_overrides():
    pasted = "所見\r\n一行目\tタブ\x00\x1b[31m赤\u202eevil\u2066x\u2069\x7f\x85\u2028次"
    assert clean_text(pasted, "comment") == "所見\n一行目\tタブ[31m赤evilx\n次"
    assert clean_text("ふつうの文章", "reason") == "ふつうの文章"


def test_free_text_has_a_stated_limit_counted_after_cleaning():
    assert len(clean_text("あ" * MAX_TEXT_CHARS + "\x00" * 10, "note")) == MAX_TEXT_CHARS
    with pytest.raises(TextError) as err:
        clean_text("あ" * (MAX_TEXT_CHARS + 1), "comment")
    assert err.value.code == "text.too_long.comment"
    assert err.value.params == {"length": MAX_TEXT_CHARS + 1, "limit": MAX_TEXT_CHARS}


def test_text_that_was_not_utf8_is_refused():
    # What Python makes of the byte 0xff in a command-line argument (surrogateescape).
    not_utf8 = b"caf\xff".decode("utf-8", "surrogateescape")
    with pytest.raises(TextError) as err:
        clean_text(not_utf8, "comment")
    assert err.value.code == "text.not_utf8"
    with pytest.raises(TextError):
        check_label(not_utf8, "proposals[0].id")


@pytest.mark.parametrize("bad", ["P\x00001", "P001\n", "\u202eP001", "P\x1b001", "P\u2028"])
def test_labels_with_any_control_character_are_refused_not_changed(bad):
    with pytest.raises(TextError) as err:
        check_label(bad, "proposals[2].id")
    assert err.value.code == "text.control_char" and err.value.params["field"] == "proposals[2].id"
    assert err.value.params["char"].startswith("U+")
    assert check_label("国際化拠点構想 P-001", "title") == "国際化拠点構想 P-001"


def test_terminal_escapes_make_every_unsafe_character_visible():
    title = "題名\x1b]0;pwned\x07\u202egnp.exe"
    shown = for_terminal(title)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown == "題名\\x1b]0;pwned\\x07\\u202egnp.exe"
    assert for_terminal("file\nname") == "file\\x0aname"
    assert for_terminal("一行目\n二行目\t", multiline=True) == "一行目\n二行目\t"
    assert for_terminal(b"caf\xff".decode("utf-8", "surrogateescape")) == "caf\\xff"
    assert for_terminal("普通の題名") == "普通の題名"


def test_the_fast_scan_refuses_exactly_what_is_unsafe_refuses_for_every_code_point():
    from reviewer_app.core.text import first_unsafe, is_unsafe

    for allow_newline, allow_tab in ((False, False), (True, False), (True, True)):
        allowed = {"\n"} if allow_newline and not allow_tab else {"\n", "\t"} if allow_tab else set()
        refused = [cp for cp in range(0x110000)
                   if first_unsafe(chr(cp), allow_newline=allow_newline, allow_tab=allow_tab) is not None]
        expected = [cp for cp in range(0x110000) if is_unsafe(chr(cp)) and chr(cp) not in allowed]
        assert refused == expected
    text = "審査\n項目\u202eX\x00"
    assert first_unsafe(text, allow_newline=True) == "\u202e"  # the first one, in order
    assert first_unsafe("普通の文章") is None
