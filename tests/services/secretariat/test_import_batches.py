"""The import's second pass writes many files per transaction: each file is still all or nothing,
a file that fails midway stops nothing else, a cancel between or inside batches leaves only whole
files, and files already stored are recognised without being checked again."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading

import pytest

from reviewer_app import i18n
from reviewer_app.core.errors import ResultImportError, StoreError
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.core.secretariat import audit, results_repo
from reviewer_app.core.secretariat.import_batch import ImportBatch
from reviewer_app.i18n import describe_error
from reviewer_app.services.secretariat import ImportStatus, importing
from tests.services.secretariat.round_fixtures import ROUND
from tests.services.secretariat.test_importing import result

REVIEWERS = ("R01", "R02", "R03", "R04", "R05")


def counts(sec) -> dict[str, int]:
    q = sec.conn.execute
    return {t: q(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("results", "result_proposals", "result_entries")} | {
        "payloads": q("SELECT count(payload) FROM results").fetchone()[0],
        "imported_events": q("SELECT count(*) FROM audit WHERE action = 'result.imported'").fetchone()[0]}


def stored_whole(sec, bundle_id: str, rubric_items: int) -> bool:
    """The bundle's result is there with every proposal and its signed payload with every entry, and its import is in the
    audit log."""
    q = sec.conn.execute
    rows = q("SELECT result_id, payload, payload_digest FROM results WHERE bundle_id = ?", (bundle_id,)).fetchall()
    if len(rows) != 1 or rows[0][1] is None or hashlib.sha256(rows[0][1]).hexdigest() != rows[0][2]:
        return False
    rid = rows[0][0]
    assigned = len(json.loads(q("SELECT proposal_ids FROM issued WHERE bundle_id = ?", (bundle_id,)).fetchone()[0]))
    proposals = q("SELECT count(*) FROM result_proposals WHERE result_id = ?", (rid,)).fetchone()[0]
    entries = sum(len(p["entries"]) for p in json.loads(rows[0][1])["proposals"])
    events = q("SELECT count(*) FROM audit WHERE action = 'result.imported' AND detail LIKE ?", (f'%"{bundle_id}"%',))
    return proposals == assigned and entries == assigned * rubric_items and events.fetchone()[0] == 1


@pytest.fixture
def five(issued_round, tmp_path):
    files = [result(issued_round, r, tmp_path / f"{r}.rvb") for r in REVIEWERS]
    ids = {i.reviewer_id: i.bundle_id for i in issued_round.report.items}
    return files, ids


def test_a_batch_whose_writing_fails_stores_none_of_its_files_and_keeps_the_batches_before(issued_round, five,
                                                                                          monkeypatch):
    files, ids = five
    monkeypatch.setattr(importing, "BATCH", 2)  # three transactions for five files
    order = sorted(ids.values())  # the order of the second pass
    real = ImportBatch.write

    def fail_after_its_rows_are_written(batch):
        real(batch)
        q = batch.conn.execute
        if q("SELECT count(*) FROM results WHERE bundle_id = ?", (order[2],)).fetchone()[0]:
            assert q("SELECT count(*) FROM results").fetchone()[0] == 4  # both files of the second batch were written…
            raise sqlite3.OperationalError("database or disk is full")  # … when the disk filled up

    monkeypatch.setattr(ImportBatch, "write", fail_after_its_rows_are_written)
    with pytest.raises(StoreError) as exc:
        issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert exc.value.code == "secretariat.import.write_failed" and "disk is full" in exc.value.params["detail"]
    assert exc.value.params["files"] == 2
    try:
        for lang in i18n.LANGUAGES:  # the clerk reads what happened and what to do, in words
            i18n.set_language(lang)
            text = describe_error(exc.value)
            assert "disk is full" in text and "2" in text and "{" not in text
            assert text != i18n.tr("error.internal") and text != i18n.tr("error.store.write_failed", **exc.value.params)
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    items = len(issued_round.sec.rubric(ROUND).items)
    q = issued_round.sec.conn.execute
    assert all(stored_whole(issued_round.sec, b, items) for b in order[:2])  # the first batch was committed
    assert {r[0] for r in q("SELECT bundle_id FROM results")} == set(order[:2])  # nothing of the second or third
    assert [r[0] for r in q("SELECT current_result FROM issued WHERE bundle_id IN (?, ?, ?)", order[2:])] == [None] * 3
    assert counts(issued_round.sec)["imported_events"] == 2
    assert audit.verify(issued_round.sec.conn)[0] == q("SELECT count(*) FROM audit").fetchone()[0]  # no link broken
    assert q("SELECT count(*) FROM result_entries").fetchone()[0] == 0  # entries are read from the signed payload
    stored_ids = {r[0] for r in q("SELECT result_id FROM results")}
    assert {r[0] for r in q("SELECT DISTINCT result_id FROM result_proposals")} == stored_ids
    monkeypatch.setattr(ImportBatch, "write", real)
    again = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert sorted((f.bundle_id, f.status) for f in again.files) == sorted(
        [(b, ImportStatus.DUPLICATE) for b in order[:2]] + [(b, ImportStatus.IMPORTED) for b in order[2:]])
    assert all(stored_whole(issued_round.sec, b, items) for b in order)
    assert audit.verify(issued_round.sec.conn)[0] == q("SELECT count(*) FROM audit").fetchone()[0]


def test_files_of_one_bundle_in_one_batch_see_each_other(issued_round, tmp_path):
    """Revisions 3, 1 and 2 of one bundle, revision 3 twice and another revision 2, all in one transaction."""
    key = ReviewerKey.generate()
    three = result(issued_round, "R01", tmp_path / "r3.rvb", revision=3, key=key)
    one = result(issued_round, "R01", tmp_path / "r1.rvb", key=key)
    twin = tmp_path / "r3-copy.rvb"
    twin.write_bytes(three.read_bytes())
    two = result(issued_round, "R01", tmp_path / "r2.rvb", revision=2, key=key)
    other_two = result(issued_round, "R01", tmp_path / "r2-other.rvb", revision=2, key=key, mark_index=2)
    # Another bundle: its first revision pins its key, so a second revision signed by another key is refused.
    first = result(issued_round, "R02", tmp_path / "s1.rvb", key=ReviewerKey.generate())
    stranger = result(issued_round, "R02", tmp_path / "s2.rvb", revision=2, key=ReviewerKey.generate())
    report = issued_round.sec.import_results(ROUND, [three, one, twin, two, other_two, stranger, first],
                                             issued_round.keys)
    # Applied in revision order (then file order): 1 and 2 become current in turn, 3 last; each file sees the ones before.
    assert {f.path.name: (f.status, f.code) for f in report.files} == {
        "r1.rvb": (ImportStatus.IMPORTED, ""), "r2.rvb": (ImportStatus.IMPORTED, ""),
        "r2-other.rvb": (ImportStatus.REJECTED, "secretariat.import.conflicting_revision"),
        "r3.rvb": (ImportStatus.IMPORTED, ""), "r3-copy.rvb": (ImportStatus.DUPLICATE, ""),
        "s1.rvb": (ImportStatus.IMPORTED, ""), "s2.rvb": (ImportStatus.REJECTED, "secretariat.import.key_not_pinned")}
    q = issued_round.sec.conn.execute
    bundle = report.files[0].bundle_id
    assert q("SELECT current_revision, pinned_key FROM issued WHERE bundle_id = ?", (bundle,)).fetchone() == (
        3, key.fingerprint)
    assert [r[0] for r in q("SELECT revision FROM results WHERE bundle_id = ? ORDER BY result_id", (bundle,))] == [1, 2, 3]
    assert [r[0] for r in q("SELECT action FROM audit WHERE subject = 'R01' AND action LIKE 'result.%' ORDER BY seq")] == [
        "result.imported"] * 3
    assert audit.verify(issued_round.sec.conn)[0] == q("SELECT count(*) FROM audit").fetchone()[0]


def test_a_cancel_inside_a_later_batch_keeps_whole_files_only(issued_round, five, monkeypatch):
    files, _ids = five
    monkeypatch.setattr(importing, "BATCH", 2)
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == len(files) + 3:  # the first batch committed, one file of the second stored
            cancel.set()

    report = issued_round.sec.import_results(ROUND, files, issued_round.keys, progress=progress, cancel=cancel)
    states = [f.status for f in report.files]
    assert report.cancelled and states.count(ImportStatus.IMPORTED) == 3 and states.count(ImportStatus.SKIPPED) == 2
    items = len(issued_round.sec.rubric(ROUND).items)
    stored = [f.bundle_id for f in report.files if f.status is ImportStatus.IMPORTED]
    assert all(stored_whole(issued_round.sec, b, items) for b in stored)
    assert counts(issued_round.sec)["results"] == 3
    again = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert sorted(f.status for f in again.files) == sorted([ImportStatus.DUPLICATE] * 3 + [ImportStatus.IMPORTED] * 2)


def test_files_already_stored_are_duplicates_without_a_second_content_check(issued_round, five, monkeypatch):
    files, _ids = five
    issued_round.sec.import_results(ROUND, files, issued_round.keys)
    before = counts(issued_round.sec)

    def must_not_run(*args, **kwargs):
        raise AssertionError("a stored result was checked again")

    monkeypatch.setattr(importing, "check_record", must_not_run)
    again = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert {f.status for f in again.files} == {ImportStatus.DUPLICATE}
    assert counts(issued_round.sec) == before
    # Another revision of a stored result is new content: it is checked (here the check refuses it).
    def refuse(*args, **kwargs):
        raise ResultImportError("secretariat.import.payload.incomplete", proposal="P-001")

    monkeypatch.setattr(importing, "check_record", refuse)
    newer = result(issued_round, "R01", files[0].with_name("R01-rev2.rvb"), revision=2)
    got = issued_round.sec.import_results(ROUND, [newer], issued_round.keys).files[0]
    assert (got.status, got.code) == (ImportStatus.REJECTED, "secretariat.import.payload.incomplete")


def test_results_kept_compressed_between_the_passes_are_stored_alike(issued_round, five, monkeypatch):
    files, _ids = five
    monkeypatch.setattr(importing, "RAW_BYTES", 0)  # every checked result is compressed after the first pass
    report = issued_round.sec.import_results(ROUND, files, issued_round.keys)
    assert {f.status for f in report.files} == {ImportStatus.IMPORTED}
    items = len(issued_round.sec.rubric(ROUND).items)
    assert all(stored_whole(issued_round.sec, f.bundle_id, items) for f in report.files)


def test_packing_a_staged_result_keeps_every_value():
    staged = results_repo.StagedResult("b" * 32, "R", "rv", 3, "t1", "t2", "0" * 64, "理由",
                                       (("P1", 0, "", "182.5", '{"v1": "182.5"}', "190+", 1), ("P2", 1, "親族", None, None, None, 0)),
                                       b'{"proposals":[]}' + bytes(range(256)))
    packed = results_repo.pack(staged)
    assert results_repo.unpack(packed) == staged
    assert results_repo.unpack(results_repo.compress(packed)) == staged
    assert results_repo.compress(results_repo.compress(packed)) == results_repo.compress(packed)
