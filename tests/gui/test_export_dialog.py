"""The export dialog: refuses what must be fixed, asks for the justification, guards the
output path, writes the signed result off the UI thread and shows what the secretariat will see."""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from reviewer_app.gui import tasks
from reviewer_app.gui.review.export_dialog import ExportDialog
from reviewer_app.services.workspace import Workspace
from tests.gui.modal_helpers import answer_modal, press, type_passphrase
from tests.workspace_fixtures import PASSPHRASE, grade_everything, make_assignment, secretariat_reads


def _workspace(tmp_path, **kw):
    built = make_assignment(tmp_path / "secretariat", n=3, **kw)
    ws = Workspace()
    ws.add_bundle(built.path)
    ws.unlock(built.bundle_id, PASSPHRASE)
    return ws, built


@pytest.fixture
def ready(tmp_path):
    """Everything graded: nothing blocks, no targets."""
    ws, built = _workspace(tmp_path)
    grade_everything(ws, built.bundle_id, built.proposal_ids)
    yield ws, built
    ws.close()


def _dialog(qtbot, ws, bundle_id, opened: list[QUrl] | None = None) -> ExportDialog:
    d = ExportDialog(ws, bundle_id, opener=(lambda url: opened.append(url) or True) if opened is not None else None)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _export(qtbot, d: ExportDialog) -> list[str]:
    """Click 書き出す and answer the passphrase prompt (the tests run without an OS keyring)."""
    asked = answer_modal(QInputDialog, type_passphrase(PASSPHRASE))
    d.export_button.click()
    qtbot.waitUntil(lambda: d.export_result is not None, timeout=30_000)
    return asked


def test_blocking_findings_are_listed_and_export_is_refused(qtbot, tmp_path):
    ws, built = _workspace(tmp_path)
    grade_everything(ws, built.bundle_id, ["P001", "P003"])
    ws.record_grade(built.bundle_id, "P002", "2-1", "a")  # 'a' needs a comment; the rest is missing
    d = _dialog(qtbot, ws, built.bundle_id)
    assert d.findings_box.isVisible()
    lines = [d.findings_list.item(i).text() for i in range(d.findings_list.count())]
    # The missing grades of P002 make one line; the 'a' without a comment its own.
    assert len(ws.blocking_findings(built.bundle_id)) == 14
    assert len(lines) == 2
    assert lines[0].startswith("P002") and "13 件" in lines[0] and "視点1 ①" in lines[0]
    assert any("P002" in t and "視点2 ①" in t and "コメント" in t for t in lines)
    assert not d.export_button.isEnabled()
    assert "修正が必要な箇所が" in d.state_label.text()
    d.location.set_path(tmp_path / "out.rvb")
    d.export()  # even forced, nothing is written
    assert not (tmp_path / "out.rvb").exists()
    assert ws.export_history(built.bundle_id) == []

    # Activating a finding names its proposal and item, and hands the reviewer back to the form.
    emitted = []
    d.finding_activated.connect(lambda p, i: emitted.append((p, i)))
    row = next(i for i in range(d.findings_list.count()) if "視点2 ①" in d.findings_list.item(i).text())
    d.findings_list.itemActivated.emit(d.findings_list.item(row))
    assert emitted == [("P002", "2-1")]
    assert d.result() == QDialog.DialogCode.Rejected
    d2 = _dialog(qtbot, ws, built.bundle_id)
    d2.finding_activated.connect(lambda p, i: emitted.append((p, i)))
    d2.findings_list.itemActivated.emit(d2.findings_list.item(0))  # the missing grades: the first of them
    assert emitted[-1] == ("P002", "1-1")
    d2.close()
    ws.close()


def test_fixing_the_findings_lets_the_export_through(qtbot, tmp_path):
    ws, built = _workspace(tmp_path)
    grade_everything(ws, built.bundle_id, ["P001", "P003"])
    d = _dialog(qtbot, ws, built.bundle_id)
    assert not d.export_button.isEnabled()
    grade_everything(ws, built.bundle_id, ["P002"])
    d.refresh()
    assert not d.findings_box.isVisible()
    assert d.export_button.isEnabled()
    ws.close()


def test_over_target_asks_for_the_justification(qtbot, tmp_path):
    ws, built = _workspace(tmp_path, band_targets={"190+": Decimal("0.1")})
    grade_everything(ws, built.bundle_id, built.proposal_ids, mark_index=0)  # all 'a': every one in 190点以上
    d = _dialog(qtbot, ws, built.bundle_id)
    assert d.justify_box.isVisible()
    assert "190点以上：3 件" in d.justify_label.text()
    assert "0 件まで、3 件超過" in d.justify_label.text()
    assert not d.export_button.isEnabled()
    assert d.state_label.text() == "評点分布の理由を記入してください。"
    d.justification.setPlainText("特に優れた構想が集まったため")
    assert d.export_button.isEnabled()
    d.location.set_path(tmp_path / "result.rvb")
    _export(qtbot, d)
    assert ws.justification(built.bundle_id) == "特に優れた構想が集まったため"
    report = secretariat_reads(tmp_path / "result.rvb", built)
    assert report.payload.distribution_justification == "特に優れた構想が集まったため"
    ws.close()


def test_within_targets_no_justification_is_asked(qtbot, ready):
    ws, built = ready
    d = _dialog(qtbot, ws, built.bundle_id)
    assert not d.justify_box.isVisible()
    assert not d.findings_box.isVisible()
    assert d.export_button.isEnabled()


def test_export_shows_path_revision_digest_and_fingerprint(qtbot, ready, tmp_path):
    ws, built = ready
    opened: list[QUrl] = []
    d = _dialog(qtbot, ws, built.bundle_id, opened)
    out = tmp_path / "usb" / "my-result.rvb"
    out.parent.mkdir()
    d.location.set_path(out)
    exported = []
    d.exported.connect(exported.append)
    asked = _export(qtbot, d)
    assert len(asked) == 1 and "パスフレーズ" in asked[0]
    assert out.is_file()
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    report = secretariat_reads(out, built)
    assert d.pages.currentWidget() is d.done_page
    assert d.path_value.text() == str(out)
    assert d.revision_value.text() == "第 1 版"
    assert d.digest_value.text() == digest == report.file_digest
    assert d.fingerprint_value.text() == report.reviewer_key_fingerprint
    assert exported and exported[0].revision == 1
    assert [r.revision for r in ws.export_history(built.bundle_id)] == [1]

    d.open_folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(out.parent))]
    d.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert digest in QGuiApplication.clipboard().text()


def test_asks_before_replacing_an_existing_file(qtbot, ready, tmp_path):
    ws, built = ready
    out = tmp_path / "result.rvb"
    out.write_bytes(b"the reviewer's other file")
    d = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(out)

    asked = answer_modal(QMessageBox, press(QMessageBox.StandardButton.No))
    d.export_button.click()
    assert tasks.wait_for_idle(10_000)
    assert len(asked) == 1 and "すでにあります" in asked[0]
    assert out.read_bytes() == b"the reviewer's other file"
    assert ws.export_history(built.bundle_id) == []
    assert d.export_result is None

    asked = answer_modal(QMessageBox, press(QMessageBox.StandardButton.Yes))
    _export(qtbot, d)
    assert len(asked) == 1
    assert out.read_bytes() != b"the reviewer's other file"
    assert secretariat_reads(out, built).payload.revision == 1


def test_the_suggested_place_is_where_the_last_export_went(qtbot, ready, tmp_path):
    ws, built = ready
    first = tmp_path / "first.rvb"
    ws.export(built.bundle_id, first, PASSPHRASE)
    d = _dialog(qtbot, ws, built.bundle_id)
    assert d.location.path() == first
    assert "第 1 版" in d.last_export.text() and "変更はありません" in d.last_export.text()


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_refuses_a_target_that_is_not_a_regular_file(qtbot, ready, tmp_path, kind):
    ws, built = ready
    target = tmp_path / "target"
    if kind == "directory":
        target.mkdir()
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(target)
    d = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(target)
    shown = answer_modal(QMessageBox, press(QMessageBox.StandardButton.Ok))
    d.export_button.click()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert tasks.wait_for_idle(10_000)
    assert "通常のファイルではない" in shown[0] and str(target) in shown[0]  # refused outright, not asked about
    assert target.is_dir() if kind == "directory" else target.is_fifo()
    assert ws.export_history(built.bundle_id) == []
    assert d.export_result is None


def test_a_wrong_passphrase_is_asked_again(qtbot, ready, tmp_path):
    ws, built = ready
    d = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(tmp_path / "r.rvb")
    prompts: list[str] = []

    def answer(dialog: QInputDialog) -> None:
        prompts.append(dialog.labelText())
        dialog.setTextValue("wrong passphrase" if len(prompts) == 1 else PASSPHRASE)
        dialog.accept()
        if len(prompts) == 1:
            answer_modal(QInputDialog, answer)

    answer_modal(QInputDialog, answer)
    d.export_button.click()
    qtbot.waitUntil(lambda: d.export_result is not None, timeout=30_000)
    assert len(prompts) == 2
    assert "違います" in prompts[1]


def test_cancelling_the_passphrase_writes_nothing(qtbot, ready, tmp_path):
    ws, built = ready
    d = _dialog(qtbot, ws, built.bundle_id)
    d.location.set_path(tmp_path / "r.rvb")
    answer_modal(QInputDialog, lambda dialog: dialog.reject())
    d.export_button.click()
    assert tasks.wait_for_idle(10_000)
    qtbot.waitUntil(lambda: d.export_button.isEnabled())
    assert not (tmp_path / "r.rvb").exists()
    assert d.export_result is None


def test_the_dialog_speaks_english_after_a_language_change(qtbot, ready, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent

    from reviewer_app import i18n

    ws, built = ready
    d = _dialog(qtbot, ws, built.bundle_id)
    monkeypatch.setattr(i18n, "_current", "en")
    QCoreApplication.sendEvent(d, QEvent(QEvent.Type.LanguageChange))
    assert d.windowTitle() == "Export the results (file to submit)"
    assert d.export_button.text() == "Export"
    assert d.last_export.text() == "You have not exported yet."
