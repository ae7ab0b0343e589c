"""The open round view follows a language switch without a restart (rubric texts stay as written)."""

from __future__ import annotations

import pytest

from reviewer_app import i18n
from reviewer_app.gui import tasks, translation
from reviewer_app.i18n import tr
from tests.gui.round_support import build_round, open_view, press


@pytest.fixture
def opened(tmp_path):
    ws, built = build_round(tmp_path)
    yield ws, built
    tasks.set_synchronous(False)
    ws.close()


def _restore_language(qtbot, view) -> None:
    view.close()
    view.deleteLater()
    qtbot.wait(1)  # the view goes before the language changes back
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
