"""The start screen: rounds with deadline, progress and last export; add (dialog, drop) and remove."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewer_app.gui import tasks
from reviewer_app.gui.start_screen import StartScreen
from reviewer_app.i18n import tr
from reviewer_app.services.workspace import Workspace
from tests.gui.shell_helpers import _stop_modal_answers, named, when_modal  # noqa: F401
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment


def _rows(screen: StartScreen) -> list[list[str]]:
    tree = screen.tree
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())] for i in range(tree.topLevelItemCount())]


def test_empty_then_added_by_file_opens_it(qtbot, tmp_path):
    ws = Workspace()
    screen = StartScreen(ws)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.pages.currentWidget() is screen.empty
    assert screen.empty_title.text() == tr("gui.start.empty_title")

    built = make_assignment(tmp_path / "sec", n=2)
    with qtbot.waitSignal(screen.open_requested) as opened:
        screen.add_files([built.path])
        assert tasks.wait_for_idle()
    assert opened.args == [built.bundle_id]  # adding a bundle opens it: that is why it was added
    assert screen.pages.currentWidget() is screen.tree
    assert screen.selected_bundle() == built.bundle_id
    assert _rows(screen)[0][0] == tr("gui.start.not_opened", bundle=built.bundle_id[:8])

    # The same file again: no second row, and the reviewer is told why.
    texts: list[str] = []
    when_modal(lambda w: isinstance(w, QMessageBox), lambda box: (texts.append(box.text()), box.accept()))
    screen.add_files([built.path])
    assert tasks.wait_for_idle()
    assert len(texts) == 1 and built.bundle_id in texts[0]
    assert len(_rows(screen)) == 1


def test_a_file_that_is_not_a_bundle_is_explained(qtbot, tmp_path):
    ws = Workspace()
    screen = StartScreen(ws)
    qtbot.addWidget(screen)
    junk = tmp_path / "notes.rvb"
    junk.write_bytes(b"this is not a bundle at all" * 10)
    texts: list[str] = []
    when_modal(named("typedErrorBox"), lambda box: (texts.append(box.text()), box.accept()))
    screen.add_files([junk])
    assert tasks.wait_for_idle()
    assert len(texts) == 1
    assert "審査バンドルではありません" in texts[0] or "壊れ" in texts[0]
    assert screen.summaries == []


def test_rows_show_title_deadline_progress_and_last_export(qtbot, tmp_path):
    built = make_assignment(tmp_path / "sec", n=3, deadline="2000-01-31")
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    grade_everything(ws, built.bundle_id, built.proposal_ids[:1])
    screen = StartScreen(ws)
    qtbot.addWidget(screen)
    title, reviewer, deadline, progress, export = _rows(screen)[0]
    assert title == tr("gui.start.round_title", title="令和8年度 書面審査", round="R2026")
    assert reviewer == "審査 太郎"
    assert deadline == tr("gui.start.overdue", deadline="2000-01-31")
    assert progress == tr("gui.start.progress", complete=1, total=3)
    assert export == tr("gui.start.never_exported")

    grade_everything(ws, built.bundle_id, built.proposal_ids[1:])
    ws.export(built.bundle_id, tmp_path / "result.rvb", PASSPHRASE)
    screen.refresh()
    _title, _r, _d, progress, export = _rows(screen)[0]
    assert progress == tr("gui.start.progress", complete=3, total=3)
    assert export.startswith(tr("gui.start.exported", revision=1, at="")[:3])
    assert tr("gui.start.changed_since") not in export


def test_dropping_a_bundle_file_adds_it(qtbot, tmp_path):
    ws = Workspace()
    screen = StartScreen(ws)
    qtbot.addWidget(screen)
    screen.show()
    built = make_assignment(tmp_path / "sec", n=1)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(built.path))])
    enter = QDragEnterEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(screen.open_requested):
        QApplication.sendEvent(screen, drop)
        assert tasks.wait_for_idle()
    assert [s.bundle_id for s in screen.summaries] == [built.bundle_id]


def test_remove_asks_says_what_is_deleted_and_cancel_keeps_everything(qtbot, tmp_path):
    built = make_assignment(tmp_path / "sec", n=2)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    grade_everything(ws, built.bundle_id, built.proposal_ids[:1])
    screen = StartScreen(ws)
    qtbot.addWidget(screen)
    stored = screen.summary(built.bundle_id).stored_file
    asked: list[tuple[str, str]] = []

    def cancel(box):
        asked.append((box.text(), box.informativeText()))
        box.button(QMessageBox.StandardButton.Cancel).click()

    when_modal(named("confirmRemoval"), cancel)
    assert not screen.remove(built.bundle_id)
    question, details = asked[0]
    assert "令和8年度 書面審査" in question
    assert tr("gui.start.remove_entries", proposals=2, entries=14, comments=14) in details
    assert tr("gui.start.remove_unexported") in details  # graded, never exported: said first
    assert tr("gui.start.remove_kept") in details
    assert stored.exists() and ws.bundle_summary(built.bundle_id).complete == 1

    def confirm(box):
        next(b for b in box.buttons() if b.text() == tr("gui.start.remove_confirm")).click()

    when_modal(named("confirmRemoval"), confirm)
    assert screen.remove(built.bundle_id)
    assert not stored.exists()
    assert screen.summaries == [] and screen.pages.currentWidget() is screen.empty
    # The damaged-copy story: the original file can be added again and opened.
    with qtbot.waitSignal(screen.open_requested):
        screen.add_files([built.path])
        assert tasks.wait_for_idle()


def test_forgetting_the_remembered_key_asks_for_the_passphrase_next_time(qtbot, tmp_path):
    from tests.workspace_fixtures import MemoryKeyring

    kept = MemoryKeyring.install()
    try:
        built = make_assignment(tmp_path / "sec", n=1)
        ws = Workspace()
        ws.add_bundle(built.path)
        assert ws.unlock(built.bundle_id, PASSPHRASE, remember=True).remembered

        def round_keys() -> list[str]:
            return [name for _service, name in kept if name.startswith("bundle-key:")]

        assert round_keys() == [f"bundle-key:{built.bundle_id}"]
        grade_everything(ws, built.bundle_id, built.proposal_ids)
        screen = StartScreen(ws)
        qtbot.addWidget(screen)
        screen.select_bundle(built.bundle_id)
        assert screen.forget_button.isEnabled()
        said: list[str] = []

        def read_and_close(box):
            said.append(box.text())
            box.accept()

        when_modal(named("forgetResult"), read_and_close)
        screen.forget_button.click()
        assert tasks.wait_for_idle()
        qtbot.waitUntil(lambda: len(said) == 1)
        assert said == [tr("gui.start.forgotten")] and round_keys() == []
        assert any(name.startswith("reviewer-key:") for _service, name in kept)  # the signing key stays
        fresh = Workspace()  # a later start of the application
        try:
            with __import__("pytest").raises(Exception) as err:
                fresh.unlock(built.bundle_id)
            assert getattr(err.value, "code", "") == "workspace.passphrase_required"
        finally:
            fresh.close()

        when_modal(named("forgetResult"), read_and_close)
        screen.forget_button.click()  # again: nothing is remembered any more, and it says so
        assert tasks.wait_for_idle()
        qtbot.waitUntil(lambda: len(said) == 2)
        assert said[1] == tr("gui.start.nothing_remembered")
        assert ws.bundle_summary(built.bundle_id).complete == 1  # the round and its grades stay
    finally:
        MemoryKeyring.remove()
