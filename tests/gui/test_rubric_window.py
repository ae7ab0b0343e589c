"""The window that shows the loaded rubric (the reviewer GUI builds on it later)."""

from __future__ import annotations

from reviewer_app.gui.rubric_view import RubricWindow


def _all_rows(tree):
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        node = stack.pop(0)
        yield node
        stack.extend(node.child(i) for i in range(node.childCount()))


def test_tree_shows_every_item_with_points(qtbot, rubric):
    w = RubricWindow(rubric)
    qtbot.addWidget(w)
    rows = list(_all_rows(w.rubric_view.tree))
    item_rows = [r for r in rows if r.data(0, 0x0100)]
    assert len(item_rows) == 14
    assert [r.text(1) for r in rows[:1]] == ["270"]
    assert w.rubric_view.tree.topLevelItemCount() == 2
    assert "国際化拠点整備事業 審査基準" in w.windowTitle()


def test_selecting_an_item_shows_its_perspectives_and_notes(qtbot, rubric):
    w = RubricWindow(rubric)
    qtbot.addWidget(w)
    view = w.rubric_view
    view.tree.setCurrentItem(view.find_item("2-4"))
    text = view.detail.toPlainText()
    assert "海外大学共同利用事務所の整備" in text
    for p in rubric.item("2-4").perspectives:
        assert p.text in text
    assert "中東・アフリカ・中南米等" in text
    view.tree.setCurrentItem(view.find_item("1-1"))
    assert "340件" in view.detail.toPlainText()


def test_run_reports_a_broken_rubric_in_a_dialog(qtbot, monkeypatch, tmp_path):
    import sys

    from reviewer_app.gui import app
    from reviewer_app.i18n import describe_error
    from tests.gui.shell_helpers import drop_stale_widgets

    drop_stale_widgets()

    shown = []
    monkeypatch.setattr(app, "show_error", lambda parent, exc: shown.append(describe_error(exc)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app, "install_excepthook", lambda: None)  # a dialog here would wait for a click
    bad = tmp_path / "broken.toml"
    bad.write_text("format = 1", encoding="utf-8")
    try:
        assert app.run(str(bad), lang="ja") == 3
    finally:
        from reviewer_app.gui.translation import apply_language

        apply_language("en")  # back to the suite's state: no Qt translator installed
    assert shown and "broken.toml" in shown[0]
