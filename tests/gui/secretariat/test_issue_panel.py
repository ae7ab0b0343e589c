"""Issuing from the window: bundles and letters written, the fingerprint shown, re-issue only after confirming."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewer_app.gui.secretariat.common import column_texts
from reviewer_app.services import bundles as bundle_service
from tests.services.secretariat.round_fixtures import FAST_KDF, ROUND


def issue_tab(home, sec, setup_folder, out):
    sec.setup_round(setup_folder)
    home.refresh(select=ROUND)
    panel = home.show_tab("secretariatIssue")
    panel.kdf = FAST_KDF
    out.mkdir(exist_ok=True)
    panel.folder_edit.setText(str(out))
    return panel


def test_issue_bundles_then_reissue_only_after_confirmation(qtbot, home, sec, sec_keys, setup_folder, tmp_path):
    out = tmp_path / "out"
    panel = issue_tab(home, sec, setup_folder, out)
    reviewers = [r.reviewer_id for r in sec.reviewers(ROUND)]
    assert set(column_texts(panel.plan_view, 3)) == {"未配布（作成します）"}
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert sorted(column_texts(panel.result_view, 0)) == sorted(reviewers)
    files = sorted(p.name for p in out.iterdir())
    assert len([f for f in files if f.endswith(bundle_service.BUNDLE_SUFFIX)]) == len(reviewers)
    assert len([f for f in files if f.endswith("-passphrase.pdf")]) == len(reviewers)
    assert sec_keys.public.signing_fingerprint in panel.fingerprint.text()
    assert panel.run.bar.value() == panel.run.bar.maximum() == len(reviewers)
    assert set(column_texts(panel.plan_view, 3)) == {"配布済み（変更なし）"}
    home.show_tab("secretariatOverview")  # the overview reads the round again
    assert all(s.startswith("配布済み・未返却") for s in column_texts(home.overview.status_view, 3))
    home.show_tab("secretariatIssue")

    before = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    panel.plan_view.selectAll()  # the clerk selects every reviewer to re-issue to
    asked: list[str] = []
    panel.confirm = lambda text: asked.append(text) or False  # the clerk says no
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    assert "拒否" in asked[0]
    assert {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)} == before

    panel.confirm = lambda text: True
    panel.folder_edit.setText(str(tmp_path / "again"))
    (tmp_path / "again").mkdir()
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    after = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    assert set(after) == set(before) and all(after[r] != before[r] for r in before)
    assert set(column_texts(panel.result_view, 1)) == {"再配布しました"}


def test_cancelled_issue_keeps_what_was_written(qtbot, home, sec, setup_folder, tmp_path):
    out = tmp_path / "out"
    panel = issue_tab(home, sec, setup_folder, out)
    panel.run.relay.progress.connect(lambda done, total: done == 1 and panel.run.cancel())
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert panel.report is not None and panel.report.cancelled
    assert len(panel.report.written) == 1
    assert len(list(out.glob("*" + bundle_service.BUNDLE_SUFFIX))) == 1
    assert "中止しました" in panel.run.label.text()


def test_the_buttons_say_what_they_would_do_and_reissue_only_the_chosen(qtbot, home, sec, setup_folder, tmp_path):
    out = tmp_path / "out"
    panel = issue_tab(home, sec, setup_folder, out)
    assert panel.issue_button.isEnabled() and not panel.reissue_button.isEnabled()  # nothing to re-issue yet
    assert "5 名にまだ配布していません" in panel.run.label.text()
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert not panel.issue_button.isEnabled()  # everyone has a bundle: pressing it would do nothing
    assert panel.reissue_button.isEnabled()
    assert "別の経路" in panel.result_title.text()  # what to do with the letters next

    before = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    asked: list[str] = []
    panel.confirm = lambda text: asked.append(text) or True
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)  # nobody chosen: nobody replaced
    assert asked == [] and "選んでから" in panel.run.label.text()
    assert {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)} == before

    row = column_texts(panel.plan_view, 0).index("R02")
    panel.plan_view.selectRow(row)
    panel.folder_edit.setText(str(tmp_path / "again"))
    (tmp_path / "again").mkdir()
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "R02" in asked[0] and "R01" not in asked[0]
    after = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    assert after["R02"] != before["R02"]
    assert {r: b for r, b in after.items() if r != "R02"} == {r: b for r, b in before.items() if r != "R02"}


def test_files_of_an_earlier_issue_are_replaced_only_when_the_clerk_agrees(qtbot, home, sec, setup_folder, tmp_path):
    out = tmp_path / "out"
    panel = issue_tab(home, sec, setup_folder, out)
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    before = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    old_bytes = (out / f"{ROUND}-R02.rvb").read_bytes()
    asked: list[str] = []
    panel.plan_view.selectRow(column_texts(panel.plan_view, 0).index("R02"))
    panel.confirm = lambda text: asked.append(text) or "拒否" in text  # yes to the re-issue, no to replacing
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)  # into the same folder
    assert len(asked) == 2 and str(out) in asked[1] and "--force" not in asked[1]
    assert (out / f"{ROUND}-R02.rvb").read_bytes() == old_bytes  # nothing written after a no
    assert {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)} == before

    panel.plan_view.selectRow(column_texts(panel.plan_view, 0).index("R02"))
    panel.confirm = lambda text: True
    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    after = {i.reviewer_id: i.bundle_id for i in sec.issued(ROUND, current_only=True)}
    assert after["R02"] != before["R02"] and (out / f"{ROUND}-R02.rvb").read_bytes() != old_bytes
    assert {r: b for r, b in after.items() if r != "R02"} == {r: b for r, b in before.items() if r != "R02"}


def test_a_changed_pdf_is_explained_in_the_windows_words(qtbot, home, sec, setup_folder, tmp_path, monkeypatch):
    from reviewer_app.gui.secretariat import common

    shown: list[str] = []
    monkeypatch.setattr(common, "message_box", [lambda _parent, text: shown.append(text)])
    panel = issue_tab(home, sec, setup_folder, tmp_path / "out")
    with (setup_folder / "proposals" / "P-001.pdf").open("ab") as fh:
        fh.write(b"\n% edited after registering\n")
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "P-001" in shown[0]
    assert "フォルダから審査回を登録" in shown[0] and "round setup" not in shown[0]
    assert sec.issued(ROUND) == []
