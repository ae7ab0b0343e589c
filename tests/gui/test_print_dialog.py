"""The print dialog: the sheet services' PDF written where the reviewer chose, then opened."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

from reviewer_app.gui import tasks
from reviewer_app.gui.review.print_dialog import PrintDialog
from reviewer_app.services.workspace import Workspace
from tests.gui.modal_helpers import answer_modal, press
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment


@pytest.fixture
def graded(tmp_path):
    built = make_assignment(tmp_path / "secretariat", n=3)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    grade_everything(ws, built.bundle_id, built.proposal_ids)
    yield ws, built
    ws.close()


def _dialog(qtbot, ws, bundle_id, current="P002"):
    opened: list[QUrl] = []
    d = PrintDialog(ws, bundle_id, current, opener=lambda url: opened.append(url) or True)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d, opened


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def _print(qtbot, d: PrintDialog) -> None:
    d.print_button.click()
    qtbot.waitUntil(lambda: d.printed is not None, timeout=60_000)


def test_prints_the_current_proposal_writes_the_pdf_and_opens_it(qtbot, graded, tmp_path):
    ws, built = graded
    d, opened = _dialog(qtbot, ws, built.bundle_id)
    assert d.current_radio.isChecked()
    out = tmp_path / "sheet.pdf"
    d.location.set_path(out)
    _print(qtbot, d)
    assert out.read_bytes().startswith(b"%PDF-")
    assert opened == [QUrl.fromLocalFile(str(out))]
    text = _text(out)
    assert "P002" in text and "P001" not in text
    assert d.printed.sheet.draft
    assert "下書き" in d.result_label.text()
    assert str(out) in d.result_label.text()


def test_before_an_export_the_dialog_says_the_sheets_are_drafts(qtbot, graded):
    ws, built = graded
    d, _ = _dialog(qtbot, ws, built.bundle_id)
    assert "まだ書き出していない" in d.draft_label.text()


def test_after_an_edit_following_the_export_it_says_draft_again(qtbot, graded, tmp_path):
    ws, built = graded
    ws.export(built.bundle_id, tmp_path / "r.rvb", PASSPHRASE)
    d, _ = _dialog(qtbot, ws, built.bundle_id)
    assert "第 1 版の書き出し内容と一致" in d.draft_label.text()
    ws.record_comment(built.bundle_id, "P001", "1-1", "書き直した所見")
    d2, _ = _dialog(qtbot, ws, built.bundle_id)
    assert "変更されているため、下書き" in d2.draft_label.text()
    d2.location.set_path(tmp_path / "draft.pdf")
    _print(qtbot, d2)
    assert d2.printed.sheet.draft
    assert "未提出" in _text(tmp_path / "draft.pdf")


def test_all_sheets_and_the_summary_after_an_export_carry_the_digest(qtbot, graded, tmp_path):
    ws, built = graded
    outcome = ws.export(built.bundle_id, tmp_path / "r.rvb", PASSPHRASE)
    d, opened = _dialog(qtbot, ws, built.bundle_id, current=None)
    assert not d.current_radio.isEnabled()
    assert d.all_radio.isChecked()
    d.location.set_path(tmp_path / "all.pdf")
    _print(qtbot, d)  # the key's fingerprint is read from the exported file: no passphrase asked
    assert not d.printed.sheet.draft
    assert d.printed.sheet.digest == outcome.digest
    text = _text(tmp_path / "all.pdf")
    assert all(pid in text for pid in built.proposal_ids)
    assert outcome.digest[:16] in text.replace("\n", "").replace(" ", "")
    assert outcome.digest in d.result_label.text()

    d.summary_radio.setChecked(True)
    d.location.set_path(tmp_path / "summary.pdf")
    d.printed = None
    _print(qtbot, d)
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF-")
    assert opened[-1] == QUrl.fromLocalFile(str(tmp_path / "summary.pdf"))


def test_the_file_name_follows_the_choice_until_the_reviewer_types_one(qtbot, graded):
    ws, built = graded
    d, _ = _dialog(qtbot, ws, built.bundle_id)
    assert d.location.path().name == "R2026_rev-01_P002_sheet.pdf"
    d.summary_radio.setChecked(True)
    assert d.location.path().name == "R2026_rev-01_summary.pdf"
    d.location.field.setText(str(d.location.path().parent / "mine.pdf"))
    d.all_radio.setChecked(True)
    assert d.location.path().name == "mine.pdf"


def test_asks_before_replacing_and_keeps_the_file_when_told_no(qtbot, graded, tmp_path):
    ws, built = graded
    out = tmp_path / "exists.pdf"
    out.write_bytes(b"keep me")
    d, opened = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(out)
    asked = answer_modal(QMessageBox, press(QMessageBox.StandardButton.No))
    d.print_button.click()
    assert tasks.wait_for_idle(10_000)
    assert len(asked) == 1
    assert out.read_bytes() == b"keep me"
    assert opened == [] and d.printed is None


def test_refuses_a_folder_as_the_output(qtbot, graded, tmp_path):
    ws, built = graded
    folder = tmp_path / "a-folder"
    folder.mkdir()
    d, opened = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(folder)
    shown = answer_modal(QMessageBox, press(QMessageBox.StandardButton.Ok))
    d.print_button.click()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert "通常のファイルではない" in shown[0]
    assert folder.is_dir() and opened == []


def test_not_opening_when_the_reviewer_unticks_it(qtbot, graded, tmp_path):
    ws, built = graded
    d, opened = _dialog(qtbot, ws, built.bundle_id)
    d.open_after.setChecked(False)
    d.location.set_path(tmp_path / "x.pdf")
    _print(qtbot, d)
    assert opened == []
    assert d.open_button.isVisible()
    d.open_button.click()
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "x.pdf"))]


def test_the_dialog_speaks_english_after_a_language_change(qtbot, graded, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent

    from reviewer_app import i18n

    ws, built = graded
    d, _ = _dialog(qtbot, ws, built.bundle_id)
    monkeypatch.setattr(i18n, "_current", "en")
    QCoreApplication.sendEvent(d, QEvent(QEvent.Type.LanguageChange))
    assert d.windowTitle() == "Print score sheets"
    assert d.all_radio.text() == "Score sheets of all proposals (3)"
    assert d.draft_label.text().startswith("You have not exported yet")
