"""A new office has no secretariat keys: the first issue offers to create them in the window (no terminal),
with a passphrase-protected key file as the backup; the passphrase is asked twice and checked in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from reviewer_app.gui.secretariat.keys import KeygenDialog, KeyProvider
from reviewer_app.services import keys as key_service

GOOD = "correct horse battery staple 2009"


def test_no_keys_offers_to_create_them_and_the_next_session_opens_the_same(qtbot, sync_tasks):
    parent = QWidget()
    qtbot.addWidget(parent)
    provider = KeyProvider()
    asked: list[bool] = []
    provider.confirm_create = lambda _p: True
    provider.ask_new_passphrase = lambda _p, keyring: asked.append(keyring) or GOOD
    got = []
    provider.with_keys(parent, got.append)
    assert len(got) == 1 and provider.loaded is got[0]
    assert asked == [False]  # the suite has no keyring: the key file alone, and the dialog says so
    assert key_service.default_secretariat_key_file().is_file()

    reopened = key_service.load_secretariat_keys(GOOD)  # the next session: the key file's passphrase opens them
    assert reopened.public.signing_fingerprint == got[0].public.signing_fingerprint


def test_declining_creates_nothing(qtbot, sync_tasks):
    parent = QWidget()
    qtbot.addWidget(parent)
    provider = KeyProvider()
    provider.confirm_create = lambda _p: False
    provider.ask_new_passphrase = lambda _p, _k: (_ for _ in ()).throw(AssertionError("not asked after a no"))
    got = []
    provider.with_keys(parent, got.append)
    assert got == [] and provider.loaded is None
    assert not key_service.default_secretariat_key_file().exists()


def test_the_dialog_refuses_a_mismatch_and_a_weak_passphrase_in_words(qtbot):
    dialog = KeygenDialog(keyring=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path.text() == str(key_service.default_secretariat_key_file())
    assert "キーリングがない" in dialog.where.text()
    dialog.first.setText(GOOD)
    dialog.second.setText(GOOD + "x")
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
    assert dialog.result() != KeygenDialog.DialogCode.Accepted and dialog.isVisible()
    assert "一致しません" in dialog.problem.text()
    dialog.first.setText("password")
    dialog.second.setText("password")
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
    assert dialog.isVisible() and "推測されやすすぎます" in dialog.problem.text()
    assert "--passphrase-file" not in dialog.problem.text()  # the command's advice has no place in the window
    dialog.first.setText(GOOD)
    dialog.second.setText(GOOD)
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
    assert dialog.result() == KeygenDialog.DialogCode.Accepted and dialog.passphrase == GOOD


def test_a_mistyped_key_file_passphrase_is_asked_again(qtbot, sync_tasks):
    key_service.create_secretariat_keys(GOOD, use_keyring=False)
    parent = QWidget()
    qtbot.addWidget(parent)
    provider = KeyProvider()
    answers = iter(["wrong passphrase entirely", GOOD])
    asked: list[bool] = []
    provider.ask_passphrase = lambda _p, again: asked.append(again) or next(answers)
    got = []
    provider.with_keys(parent, got.append)
    assert asked == [False, True]  # the second prompt says the first was wrong
    assert len(got) == 1 and provider.loaded is got[0]
