"""Import: hostile files refused before a byte is read, order-independent key pinning, progress and cancel,
and a second pass that re-verifies when the first pass could not keep everything in memory."""

from __future__ import annotations

import os
import threading
from dataclasses import replace

import pytest

from reviewer_app.core.keys import ReviewerKey
from reviewer_app.services import bundles as bundle_service
from reviewer_app.services.secretariat import ImportStatus, importing
from tests.services.secretariat.forge import complete_payload
from tests.services.secretariat.round_fixtures import ROUND


def result(issued_round, reviewer: str, out, revision: int = 1, key: ReviewerKey | None = None, mark_index: int = 1):
    opened = issued_round.target(reviewer)
    payload = complete_payload(opened.result_target(), opened.rubric, revision, mark_index=mark_index)
    bundle_service.build_result_bundle(opened, payload, key or ReviewerKey.generate(), out)
    return out


def statuses(report) -> dict:
    return {f.path.name: (f.status, f.code) for f in report.files}


def run_with_deadline(fn, seconds: float = 60.0):
    """Run ``fn`` in a thread; a hang (reading a FIFO) fails the test instead of blocking the suite."""
    box: dict = {}
    t = threading.Thread(target=lambda: box.setdefault("value", fn()), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "the import blocked"
    return box["value"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_device_folder_and_huge_files_are_refused_without_reading(issued_round, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.rvb")
    (folder / "folder.rvb").mkdir()
    with (folder / "huge.rvb").open("wb") as fh:
        fh.truncate(20 * 1024**3)  # 20 GB, sparse: reading it would take minutes
    result(issued_round, "R01", folder / "good.rvb")
    paths = [folder, "/dev/zero", tmp_path / "missing.rvb"]
    report = run_with_deadline(lambda: issued_round.sec.import_results(ROUND, paths, issued_round.keys))
    got = statuses(report)
    assert got["pipe.rvb"] == (ImportStatus.REJECTED, "secretariat.import.not_regular")
    assert got["folder.rvb"] == (ImportStatus.REJECTED, "secretariat.import.not_regular")
    assert got["huge.rvb"] == (ImportStatus.REJECTED, "secretariat.import.too_large")
    assert got["zero"] == (ImportStatus.REJECTED, "secretariat.import.not_regular")
    assert got["missing.rvb"] == (ImportStatus.REJECTED, "secretariat.import.missing")
    assert got["good.rvb"] == (ImportStatus.IMPORTED, "")


def test_pinning_does_not_depend_on_the_order_files_arrive_in(issued_round, tmp_path):
    genuine_key = ReviewerKey.generate()
    # The stranger's "revision 2" sorts before the genuine revision 1 and is listed first.
    stranger = result(issued_round, "R02", tmp_path / "a-stranger-rev2.rvb", revision=2, mark_index=0)
    genuine = result(issued_round, "R02", tmp_path / "z-genuine-rev1.rvb", revision=1, key=genuine_key)
    report = issued_round.sec.import_results(ROUND, [stranger, genuine], issued_round.keys)
    got = statuses(report)
    assert got["z-genuine-rev1.rvb"] == (ImportStatus.IMPORTED, "")
    assert got["a-stranger-rev2.rvb"] == (ImportStatus.REJECTED, "secretariat.import.key_not_pinned")
    later = result(issued_round, "R02", tmp_path / "rev3.rvb", revision=3, key=genuine_key, mark_index=2)
    assert statuses(issued_round.sec.import_results(ROUND, [later], issued_round.keys))["rev3.rvb"][0] is ImportStatus.IMPORTED


def test_same_revision_with_other_content_is_refused(issued_round, tmp_path):
    key = ReviewerKey.generate()
    first = result(issued_round, "R04", tmp_path / "one.rvb", revision=1, key=key)
    issued_round.sec.import_results(ROUND, [first], issued_round.keys)
    other = result(issued_round, "R04", tmp_path / "two.rvb", revision=1, key=key, mark_index=2)
    got = statuses(issued_round.sec.import_results(ROUND, [other], issued_round.keys))
    assert got["two.rvb"] == (ImportStatus.REJECTED, "secretariat.import.conflicting_revision")


def test_progress_counts_both_passes_and_cancel_leaves_nothing_half_done(issued_round, tmp_path):
    files = [result(issued_round, r, tmp_path / f"{r}.rvb") for r in ("R01", "R02", "R03")]
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 4:  # the first pass is done and one file is stored
            cancel.set()

    report = issued_round.sec.import_results(ROUND, files, issued_round.keys, progress=progress, cancel=cancel)
    assert report.cancelled
    assert [d for d, _ in seen] == [0, 1, 2, 3, 4] and {t for _, t in seen} == {6}
    states = [f.status for f in report.files]
    assert states.count(ImportStatus.IMPORTED) == 1 and states.count(ImportStatus.SKIPPED) == 2
    assert issued_round.sec.conn.execute("SELECT count(*) FROM results").fetchone()[0] == 1
    again = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert sorted(f.status for f in again.files) == sorted([ImportStatus.DUPLICATE, ImportStatus.IMPORTED, ImportStatus.IMPORTED])


def test_second_pass_verifies_again_when_the_first_could_not_keep_results(issued_round, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "CACHE_BYTES", 0)
    files = [result(issued_round, r, tmp_path / f"{r}.rvb") for r in ("R01", "R05")]
    report = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert {f.status for f in report.files} == {ImportStatus.IMPORTED}
    scores = issued_round.sec.aggregate(ROUND)
    assert sum(r.counted for r in scores.reviewers) == 8 + 8


def test_results_from_a_replaced_file_are_caught(issued_round, tmp_path, monkeypatch):
    path = result(issued_round, "R03", tmp_path / "r3.rvb")
    monkeypatch.setattr(importing, "CACHE_BYTES", 0)
    real = importing.ImportingMixin._check_file
    calls = {"n": 0}

    def swap_between_passes(self, *args):
        calls["n"] += 1
        if calls["n"] == 2:  # the second pass reads a different (also genuine) file under the same name
            result(issued_round, "R03", path, mark_index=2)
        return real(self, *args)

    monkeypatch.setattr(importing.ImportingMixin, "_check_file", swap_between_passes)
    got = statuses(issued_round.sec.import_results(ROUND, [path], issued_round.keys))
    assert got["r3.rvb"] == (ImportStatus.REJECTED, "secretariat.import.changed")


def test_an_unknown_round_is_a_typed_error(issued_round):
    from reviewer_app.core.errors import SecretariatError

    with pytest.raises(SecretariatError) as exc:
        issued_round.sec.import_results("no-such-round", [], issued_round.keys)
    assert exc.value.code == "secretariat.unknown_round" and "2009-R1" in exc.value.params["known"]


def test_a_result_encrypted_to_another_secretariat_is_refused(issued_round, tmp_path):
    from reviewer_app.core.keys import SecretariatKeys

    opened = issued_round.target("R01")
    target = replace(opened.result_target(), secretariat_encryption=SecretariatKeys.generate().public.encryption)
    payload = complete_payload(target, opened.rubric, 1)
    bundle_service.build_result_bundle(target, payload, ReviewerKey.generate(), tmp_path / "elsewhere.rvb")
    got = statuses(issued_round.sec.import_results(ROUND, [tmp_path / "elsewhere.rvb"], issued_round.keys))
    assert got["elsewhere.rvb"][0] is ImportStatus.REJECTED and got["elsewhere.rvb"][1].startswith("bundle.wrong_secret")


def test_reviews_are_read_from_the_signed_payload_and_an_altered_one_is_refused(issued_round, tmp_path):
    import hashlib
    import json

    from reviewer_app.core.errors import StoreError

    files = [result(issued_round, r, tmp_path / f"{r}.rvb") for r in ("R01", "R02")]
    report = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert {f.status for f in report.files} == {ImportStatus.IMPORTED}
    conn = issued_round.sec.conn
    payload, digest = conn.execute("SELECT payload, payload_digest FROM results WHERE reviewer_id = 'R01'").fetchone()
    assert hashlib.sha256(payload).hexdigest() == digest  # exactly the payload the reviewer signed
    signed = {p["proposal_id"]: p["entries"] for p in json.loads(payload)["proposals"]}
    reviews = [r for r in issued_round.sec.reviews(ROUND) if r.reviewer_id == "R01"]
    assert {r.proposal_id for r in reviews} == set(signed)
    rubric = issued_round.sec.rubric(ROUND)
    for r in reviews:
        by_item = {e["item_id"]: e for e in signed[r.proposal_id]}
        assert [e.item_id for e in r.entries] == [i.id for i in rubric.items]
        for e in r.entries:
            item = rubric.item(e.item_id)
            assert (e.mark, e.comment) == (by_item[e.item_id]["mark"], by_item[e.item_id]["comment"])
            assert e.points == item.points * rubric.scale_of(item).mark(e.mark).fraction

    conn.execute("DROP TRIGGER results_no_update")  # someone with the file and sqlite3 at hand
    conn.execute("UPDATE results SET payload = ? WHERE reviewer_id = 'R01'",
                 (payload.replace(b'"mark":"b"', b'"mark":"a"', 1),))
    conn.commit()
    with pytest.raises(StoreError) as exc:
        issued_round.sec.reviews(ROUND)
    assert exc.value.code == "secretariat.result_damaged" and exc.value.params["reviewer"] == "R01"
