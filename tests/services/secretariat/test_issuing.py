"""Issuing: fresh passphrases only on paper, letters with the fingerprint, re-issue refuses the old bundle's results,
output paths never replaced unasked, progress and cancel."""

from __future__ import annotations

import os
import threading

import pytest
from pypdf import PdfReader

from reviewer_app.core.errors import OutputPathError, SecretariatError
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.core.secretariat.passphrase import ALPHABET, BITS, new_passphrase
from reviewer_app.paths import user_data_dir
from reviewer_app.services import bundles as bundle_service
from reviewer_app.services.secretariat import ImportStatus, IssueState, Secretariat
from tests.services.secretariat.forge import complete_payload
from tests.services.secretariat.round_fixtures import FAST_KDF, ROUND, PassphraseLog, copy_example


def test_passphrases_are_strong_and_typable():
    seen = {new_passphrase() for _ in range(200)}
    assert len(seen) == 200 and BITS >= 120
    for p in seen:
        groups = p.split("-")
        assert len(groups) == 6 and all(len(g) == 5 and set(g) <= set(ALPHABET) for g in groups)
    assert not set("01IO") & set(ALPHABET)


def test_every_reviewer_gets_a_bundle_and_a_letter_that_opens_it(issued_round):
    r = issued_round
    assert [i.reviewer_id for i in r.report.written] == ["R01", "R02", "R03", "R04", "R05"]
    for item in r.report.written:
        text = PdfReader(str(item.letter_path)).pages[0].extract_text()
        assert r.passphrases[item.reviewer_id] in text
        assert r.keys.public.signing_fingerprint in text and item.bundle_id in text
        opened = bundle_service.open_assignment(item.bundle_path, r.passphrases[item.reviewer_id])
        assert opened.signing_fingerprint == r.keys.public.signing_fingerprint
        assert {p.proposal_id for p in opened.proposals} == {p for rv, p in r.sec.assignments(ROUND) if rv == item.reviewer_id}
        assert opened.settings.band_targets and opened.rubric.digest == r.sec.rubric(ROUND).digest
    conflicted = {p.proposal_id for p in r.target("R02").proposals}
    assert "P-003" not in conflicted  # R02's conflict of interest is never assigned


def test_no_passphrase_is_kept_anywhere_in_the_secretariats_folder(issued_round):
    issued_round.sec.close()
    home = user_data_dir()
    blobs = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    assert blobs  # the database is there
    for p in issued_round.passphrases.values():
        assert p.encode() not in blobs


def test_a_second_run_issues_nothing_new(issued_round):
    r = issued_round
    plan = r.sec.issue_plan(ROUND)
    assert {i.state for i in plan} == {IssueState.UP_TO_DATE}
    again = r.sec.issue_bundles(ROUND, r.out, r.keys, kdf=FAST_KDF)
    assert again.written == ()


def test_reissue_refuses_results_to_the_old_bundle_with_a_reason(issued_round, tmp_path):
    r = issued_round
    old = r.target("R03")
    old_result = tmp_path / "old.rvb"
    bundle_service.build_result_bundle(old, complete_payload(old.result_target(), old.rubric, 1), ReviewerKey.generate(),
                                       old_result)
    log = PassphraseLog()
    again = r.sec.issue_bundles(ROUND, r.out, r.keys, kdf=FAST_KDF, reviewers=["R03"], reissue=True, overwrite=True,
                                passphrases=log)
    (item,) = again.written
    assert item.state is IssueState.REISSUED and item.superseded == old.bundle_id
    new = bundle_service.open_assignment(item.bundle_path, log.issued[0])
    new_result = tmp_path / "new.rvb"
    bundle_service.build_result_bundle(new, complete_payload(new.result_target(), new.rubric, 1), ReviewerKey.generate(),
                                       new_result)
    report = r.sec.import_results(ROUND, [old_result, new_result], r.keys)
    got = {f.path.name: (f.status, f.code) for f in report.files}
    assert got["new.rvb"] == (ImportStatus.IMPORTED, "")
    assert got["old.rvb"] == (ImportStatus.REJECTED, "secretariat.import.superseded")
    refused = next(f for f in report.files if f.path.name == "old.rvb")
    assert refused.params["by"] == new.bundle_id


def test_a_changed_assignment_is_flagged_and_reissued(issued_round):
    r = issued_round
    path = r.folder / "assignments.csv"
    path.write_text(path.read_text("utf-8").replace("R05,P-008\n", ""), "utf-8")
    outcome = r.sec.setup_round(r.folder, update=True)
    assert outcome.needs_reissue == ("R05",)
    states = {i.reviewer_id: i.state for i in r.sec.issue_plan(ROUND)}
    assert states["R05"] is IssueState.NEEDS_REISSUE and states["R01"] is IssueState.UP_TO_DATE
    status = {s.reviewer_id: s.state.value for s in r.sec.overview(ROUND).reviewers}
    assert status["R05"] == "needs_reissue"
    report = r.sec.issue_bundles(ROUND, r.out, r.keys, kdf=FAST_KDF, reviewers=["R05"], reissue=True, overwrite=True)
    assert report.written[0].proposals == 7


def test_existing_files_are_never_replaced_unasked_and_nothing_is_done(tmp_path, keys):
    folder = copy_example(tmp_path / "setup")
    sec = Secretariat()
    sec.setup_round(folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / "2009-R1-R03.rvb").write_bytes(b"someone's file")
    with pytest.raises(OutputPathError) as exc:
        sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF)
    assert exc.value.code == "file.output.exists"
    assert sorted(p.name for p in out.iterdir()) == ["2009-R1-R03.rvb"] and sec.issued(ROUND) == []
    (out / "2009-R1-R04-passphrase.pdf").mkdir()
    with pytest.raises(OutputPathError) as exc:
        sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, overwrite=True)
    assert exc.value.code == "file.output.not_regular"
    with pytest.raises(OutputPathError) as exc:
        sec.issue_bundles(ROUND, tmp_path / "does-not-exist", keys, kdf=FAST_KDF)
    assert exc.value.code == "file.output.no_folder" and not (tmp_path / "does-not-exist").exists()
    os.rmdir(out / "2009-R1-R04-passphrase.pdf")
    report = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, overwrite=True)
    assert len(report.written) == 5 and (out / "2009-R1-R03.rvb").read_bytes() != b"someone's file"
    sec.close()


def test_progress_and_cancel_keep_what_is_complete(tmp_path, keys):
    folder = copy_example(tmp_path / "setup")
    sec = Secretariat()
    sec.setup_round(folder)
    out = tmp_path / "out"
    out.mkdir()
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            cancel.set()

    report = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, progress=progress, cancel=cancel)
    assert report.cancelled and seen == [(0, 5), (1, 5), (2, 5)]
    assert [i.state for i in report.items] == [IssueState.ISSUED] * 2 + [IssueState.SKIPPED] * 3
    assert len(sec.issued(ROUND)) == 2 and len(list(out.glob("*.rvb"))) == 2
    rest = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF)
    assert [i.reviewer_id for i in rest.written] == ["R03", "R04", "R05"]
    sec.close()


def test_a_pdf_changed_after_setup_stops_issuing_before_anything_is_written(tmp_path, keys):
    folder = copy_example(tmp_path / "setup")
    sec = Secretariat()
    sec.setup_round(folder)
    (folder / "proposals" / "P-004.pdf").write_bytes(b"%PDF-1.4\nanother document\n")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SecretariatError) as exc:
        sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF)
    assert exc.value.code == "secretariat.issue.pdf_changed" and exc.value.params["proposal"] == "P-004"
    assert list(out.iterdir()) == []
    sec.close()
