"""The open round view follows a language switch without a restart (rubric texts stay as written)."""

from __future__ import annotations

import pytest

from reviewer_app import i18n
from reviewer_app.gui import tasks, translation
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, close_views, open_view, press


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path)
    yield ws, built
    close_views()
    tasks.set_synchronous(False)
    ws.close()


def _restore_language(qtbot, view) -> None:
    view.close()  # a closed view does not ask the (soon closed) workspace to retranslate
    translation.apply_language("en")  # the suite's state: Japanese catalogs, no Qt translator
    i18n.set_language("ja")


def test_switching_to_english_retranslates_the_form_findings_and_actions(qtbot, opened):
    ws, built = opened
    translation.apply_language("ja")
    view = open_view(qtbot, ws, built.bundle_id)
    view.form.focus_item("2-1")
    press(qtbot, "a")  # a finding whose message must follow the language
    editor = view.form.editors["2-1"]
    assert editor._comment_label.text() == "コメント"
    assert "判断根拠" in editor._findings.text()

    translation.apply_language("en")
    try:
        _check_english(qtbot, view, editor)
    finally:
        _restore_language(qtbot, view)


def _check_english(qtbot, view, editor) -> None:
    qtbot.waitUntil(lambda: editor._comment_label.text() == "Comment")
    assert editor.grades.unjudgeable.text() == tr("gui.review.form.unjudgeable") == "Cannot judge…"
    assert tr("finding.comment_required", mark="a") in editor._findings.text()
    assert "判断根拠" not in editor._findings.text()
    assert view.actions.export.text() == "Export results…"
    assert view.list.tree.headerItem().text(1) == "Institution"
    assert view.findings._all.text() == "All proposals"
    assert editor.item.title in editor._title.text()  # the rubric's own words are not translated


def test_the_form_zoom_scales_every_text_of_the_form_and_is_applied_live(qtbot, opened):
    from reviewer_app.gui.settings import app_settings

    ws, built = opened
    view = open_view(qtbot, ws, built.bundle_id)
    editor = view.form.editors["2-1"]
    widgets = (editor.comment, editor._comment_label, editor._title, editor.grades.buttons["a"], view.form.note)
    before = [w.font().pointSizeF() for w in widgets]
    app_settings().set("form_zoom", 150)  # what Ctrl++ in the application window does
    after = [w.font().pointSizeF() for w in widgets]
    assert view.form.zoom() == 150
    assert all(a > b * 1.4 for a, b in zip(after, before)), (before, after)
    assert view.list.tree.font().pointSizeF() == pytest.approx(view.font().pointSizeF())  # only the form
    app_settings().set("form_zoom", 100)
    assert [w.font().pointSizeF() for w in widgets] == pytest.approx(before)
