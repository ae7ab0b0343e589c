"""The proposal PDF pane: shown from memory, searched, navigated, and calm about bad files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument

from reviewer_app.gui import tasks
from reviewer_app.gui.review.pdf_view import PdfPane
from reviewer_app.services.workspace import Workspace
from tests.gui.proposal_pdfs import SEARCH_WORD, broken_pdf, pdfs_in_bundle, text_pdf
from tests.workspace_fixtures import PASSPHRASE, make_assignment


@pytest.fixture
def opened(tmp_path):
    """A workspace with an unlocked bundle: P001/P002 text PDFs, P003 broken."""
    with pdfs_in_bundle({"P003": broken_pdf}):
        built = make_assignment(tmp_path / "secretariat", n=3)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    yield ws, built
    ws.close()


@pytest.fixture
def pane(qtbot, opened):
    ws, _built = opened
    p = PdfPane(ws)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def _open(qtbot, pane: PdfPane, bundle_id: str, proposal_id: str) -> None:
    pane.show_proposal(bundle_id, proposal_id)
    qtbot.waitUntil(lambda: pane.state in ("ready", "failed"), timeout=20_000)


def _dark_pixels(image: QImage) -> int:
    """Pixels dark enough to be printed text (a blank or unrendered page has none)."""
    img = image.convertToFormat(QImage.Format.Format_RGB32).scaled(
        image.width() // 2, image.height() // 2, Qt.AspectRatioMode.IgnoreAspectRatio)
    return sum(1 for y in range(img.height()) for x in range(img.width()) if QColor(img.pixel(x, y)).lightness() < 80)


def test_shows_page_one_of_a_proposal(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    assert pane.doc.status() == QPdfDocument.Status.Ready
    assert pane.page_count() == 3
    assert pane.current_page() == 0
    assert pane.stack.currentWidget() is pane.view
    # QPdfView renders in the background: wait until page 1's text is actually painted.
    qtbot.waitUntil(lambda: _dark_pixels(pane.view.viewport().grab().toImage()) > 50, timeout=20_000)
    assert pane.page_box.value() == 1
    assert pane.page_count_label.text() == "/ 3"


def test_the_pdf_is_never_written_to_disk(qtbot, pane, opened, _isolated_home):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.search.field.setText("Proposal")
    pane.search.research()
    qtbot.waitUntil(lambda: pane.search.count() > 0, timeout=20_000)
    for f in _isolated_home.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert not data.startswith(b"%PDF-"), f
            assert b"Proposal P001" not in data, f


def test_search_finds_a_word_and_steps_through_the_hits(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.focus_search()
    qtbot.keyClicks(pane.search.field, SEARCH_WORD)
    # Results arrive in steps; the first hit is shown as soon as it exists.
    qtbot.waitUntil(lambda: pane.search.count() == 3 and pane.search.current == 0, timeout=20_000)
    assert pane.view.currentSearchResultIndex() == 0
    assert pane.current_page() == 0
    assert pane.search.status.text() == "1 / 3 件"

    qtbot.keyClick(pane.search.field, Qt.Key.Key_Return)  # next hit: page 3
    assert pane.search.current == 1
    qtbot.waitUntil(lambda: pane.current_page() == 2)
    assert pane.page_box.value() == 3
    pane.search.next_button.click()
    assert pane.search.current == 2
    pane.search.next_button.click()  # wraps around to the first hit
    assert pane.search.current == 0
    qtbot.waitUntil(lambda: pane.current_page() == 0)
    qtbot.keyClick(pane.search.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # previous: the last
    assert pane.search.current == 2
    assert pane.view.currentSearchResultIndex() == 2


def test_search_for_a_missing_word_says_so(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.search.field.setText("zyzzyva")
    qtbot.keyClick(pane.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.search.status.text() == "見つかりません", timeout=20_000)
    assert pane.search.count() == 0
    assert not pane.search.next_button.isEnabled()


def test_the_search_follows_the_reviewer_to_the_next_proposal(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.search.field.setText("P002")
    qtbot.keyClick(pane.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.search.status.text() == "見つかりません", timeout=20_000)
    _open(qtbot, pane, built.bundle_id, "P002")
    qtbot.waitUntil(lambda: pane.search.count() == 1, timeout=20_000)


def test_page_navigation_and_zoom(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.next_button.click()
    qtbot.waitUntil(lambda: pane.current_page() == 1)
    pane.page_box.setValue(3)
    qtbot.waitUntil(lambda: pane.current_page() == 2)
    pane.next_button.click()  # stays on the last page
    assert pane.current_page() == 2
    pane.prev_button.click()
    qtbot.waitUntil(lambda: pane.current_page() == 1)

    assert pane.zoom_box.currentData() == "width"
    pane.set_zoom(1.0)
    pane.zoom_in_button.click()
    assert pane.view.zoomFactor() == pytest.approx(1.25)
    assert pane.zoom_box.currentText() == "125%"
    pane.zoom_out_button.click()
    pane.zoom_out_button.click()
    assert pane.view.zoomFactor() == pytest.approx(0.75)
    pane.zoom_box.setCurrentIndex(pane.zoom_box.findData("width"))
    pane.zoom_box.activated.emit(pane.zoom_box.findData("width"))
    assert pane.view.zoomMode() == pane.view.ZoomMode.FitToWidth


def test_bookmarks_and_thumbnails_jump_to_pages(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.sidebar_button.click()
    assert pane.sidebar.isVisible()
    assert pane.sidebar.has_bookmarks()
    assert pane.sidebar.isTabVisible(1)
    tree = pane.sidebar.bookmark_tree
    third = tree.model().index(2, 0)
    assert third.data() == "Chapter 3"
    tree.activated.emit(third)
    qtbot.waitUntil(lambda: pane.current_page() == 2)

    thumbs = pane.sidebar.thumbnails
    assert thumbs.rowCount() == 3
    pane.sidebar.setCurrentIndex(0)
    # The thumbnail of page 1 is rendered in the background, then shown.
    qtbot.waitUntil(lambda: 0 in thumbs._images, timeout=20_000)
    pane.sidebar.thumbnail_list.clicked.emit(thumbs.index(1))
    qtbot.waitUntil(lambda: pane.current_page() == 1)


def test_a_pdf_without_bookmarks_hides_that_tab(qtbot, tmp_path):
    with pdfs_in_bundle(lambda pid: text_pdf(pid, outline=False)):
        built = make_assignment(tmp_path / "s", n=1)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    p = PdfPane(ws)
    qtbot.addWidget(p)
    _open(qtbot, p, built.bundle_id, "P001")
    assert not p.sidebar.has_bookmarks()
    assert not p.sidebar.isTabVisible(1)
    assert p.sidebar.thumbnails.rowCount() == 3
    ws.close()


def test_a_broken_pdf_shows_a_message_not_a_crash(qtbot, pane, opened):
    _ws, built = opened
    failed = []
    pane.load_failed.connect(failed.append)
    _open(qtbot, pane, built.bundle_id, "P003")
    assert pane.state == "failed"
    assert failed == ["P003"]
    assert pane.stack.currentWidget() is not pane.view
    assert pane.message.isVisible()
    assert "壊れているか、PDF ではない" in pane.message.text()
    assert "事務局" in pane.message.text()
    assert pane.buf.size() == 0  # nothing of it kept in memory
    # And the next proposal still opens normally.
    _open(qtbot, pane, built.bundle_id, "P001")
    assert pane.state == "ready"


def test_too_large_a_pdf_is_refused_with_a_message(qtbot, pane, opened, monkeypatch):
    from reviewer_app.gui.review import pdf_view

    _ws, built = opened
    monkeypatch.setattr(pdf_view, "MAX_VIEW_BYTES", 1000)
    _open(qtbot, pane, built.bundle_id, "P001")
    assert pane.state == "failed"
    assert "上限（0 MB）を超えています" in pane.message.text()


def test_a_read_error_is_explained_and_can_be_retried(qtbot, pane, opened, monkeypatch):
    ws, built = opened
    ws.lock(built.bundle_id)  # nothing remembered: reading now needs the passphrase
    _open(qtbot, pane, built.bundle_id, "P001")
    assert pane.state == "failed"
    assert "パスフレーズ" in pane.message.text()
    assert pane.retry_button.isVisible()
    ws.unlock(built.bundle_id, PASSPHRASE)
    pane.retry_button.click()
    qtbot.waitUntil(lambda: pane.state == "ready", timeout=20_000)


def test_switching_proposals_frees_the_previous_one(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    size_p1 = pane.buf.size()
    assert size_p1 > 0
    closed = []
    pane.doc.statusChanged.connect(lambda s: closed.append(s))
    _open(qtbot, pane, built.bundle_id, "P002")
    assert QPdfDocument.Status.Unloading in closed  # the first document was closed first
    assert pane.proposal_id == "P002"
    assert pane.buf.data().indexOf(b"Proposal P001") == -1
    assert pane.buf.data().indexOf(b"Proposal P002") >= 0 or pane.buf.size() > 0
    pane.clear()
    assert pane.buf.size() == 0
    assert pane.doc.status() == QPdfDocument.Status.Null


def test_coming_back_to_a_proposal_returns_to_the_page_read(qtbot, pane, opened):
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.go_to_page(2)
    qtbot.waitUntil(lambda: pane.current_page() == 2)
    _open(qtbot, pane, built.bundle_id, "P002")
    assert pane.current_page() == 0
    _open(qtbot, pane, built.bundle_id, "P001")
    qtbot.waitUntil(lambda: pane.current_page() == 2)


def test_a_late_result_for_a_proposal_left_behind_is_dropped(qtbot, pane, opened):
    _ws, built = opened
    pane.show_proposal(built.bundle_id, "P001")
    pane.show_proposal(built.bundle_id, "P002")  # before P001 arrived
    assert tasks.wait_for_idle(20_000)
    qtbot.waitUntil(lambda: pane.state == "ready", timeout=20_000)
    assert pane.proposal_id == "P002"
    assert pane.search.field.isEnabled()
    pane.search.field.setText("P001")
    pane.search.research()
    qtbot.waitUntil(lambda: pane.search.status.text() == "見つかりません", timeout=20_000)


def test_english_texts_follow_a_language_change(qtbot, pane, opened, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent

    from reviewer_app import i18n

    monkeypatch.setattr(i18n, "_current", "en")
    QCoreApplication.sendEvent(pane, QEvent(QEvent.Type.LanguageChange))
    assert pane.message.text().startswith("Choose a proposal")
    assert pane.zoom_box.itemText(0) == "Fit width"
    assert pane.search.field.placeholderText() == "Search the PDF (Ctrl+F)"


def test_ctrl_wheel_zooms(qtbot, pane, opened):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.set_zoom(1.0)
    vp = pane.view.viewport()
    ev = QWheelEvent(QPointF(10, 10), QPointF(vp.mapToGlobal(QPoint(10, 10))), QPoint(), QPoint(0, 120),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)
    assert pane.view.zoomFactor() == pytest.approx(1.25)


def test_a_narrow_pane_puts_the_search_field_on_its_own_row(qtbot, pane):
    assert pane.width() >= 760
    assert pane.toolbar.indexOf(pane.search) >= 0
    pane.resize(520, 700)
    qtbot.waitUntil(lambda: pane.search_row.indexOf(pane.search) >= 0)
    assert pane.toolbar.indexOf(pane.search) < 0
    assert pane.search.field.width() >= 140  # never squeezed to nothing
    pane.resize(900, 700)
    qtbot.waitUntil(lambda: pane.toolbar.indexOf(pane.search) >= 0)


def test_switching_while_thumbnails_render_is_safe(qtbot, pane, opened):
    """The thumbnail renderer works on a thread; closing its document under it must not crash."""
    _ws, built = opened
    _open(qtbot, pane, built.bundle_id, "P001")
    pane.sidebar_button.click()
    pane.sidebar.setCurrentIndex(0)
    for pid in ("P002", "P001", "P002", "P003", "P001"):
        pane.show_proposal(built.bundle_id, pid)
        qtbot.wait(5)
    qtbot.waitUntil(lambda: pane.state == "ready" and pane.proposal_id == "P001", timeout=20_000)
    thumbs = pane.sidebar.thumbnails
    assert thumbs.rowCount() == 3
    qtbot.waitUntil(lambda: 0 in thumbs._images, timeout=20_000)
