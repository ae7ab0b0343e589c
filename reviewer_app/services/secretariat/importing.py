"""Importing returned result bundles: verified, checked, pinned, all-or-nothing per file, idempotent.

Each file, in two passes:

1. **Check** (nothing written). The path must name a regular file no larger than a result can
   be — checked on the open file before a byte is read, so a FIFO, a device or a 20 GB file
   is refused at once; the file is then read once and its bytes are what is hashed, verified
   and stored. The bundle service's verifier (``verify_result_bytes``: decryption, Ed25519
   signature, the reviewer key's binding to the assignment, issued/round/reviewer/rubric/
   proposal checks) answers from this database, and the payload is checked against the
   round's rubric and the reviewer's assignment as strictly as the reviewer's own export
   check (``core/secretariat/payload_check.py``). The bundle must belong to the round being
   imported and must not have been superseded by a re-issue. A revision already stored with
   the same payload digest was checked when it was stored: it is not checked again.
2. **Apply**, in order of (bundle, revision) whatever order the files came in: a revision
   already stored is a duplicate (or refused if its content differs); the reviewer key of the
   first accepted result is pinned for the assignment and any other key is refused; a newer
   revision becomes current, an older one is kept as history. Up to ``BATCH`` files share a
   transaction: each is decided in turn against what its bundle holds, including what the
   files before it in the batch added, and the rows of the files accepted (with an audit
   event each) are written together before the commit (``core/secretariat/import_batch.py``).
   A file is stored whole or not at all: a batch whose writing fails stores none of its files
   and the error stops the import; the batches committed before it stay.

One bad file never stops the batch: its report says why. Importing the same files again
changes nothing (every one is a duplicate or refused again; refusals are not recorded).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.bundle import limits
from ...core.bundle.model import VerifyOutcome
from ...core.bundle.result import verify_result_bytes
from ...core.errors import ReviewerAppError, StoreError
from ...core.keys import SecretariatKeys
from ...core.secretariat import results_repo
from ...core.secretariat.import_batch import ImportBatch
from ...core.secretariat.payload_check import check_record
from ...core.store import write_transaction
from .base import SecretariatBase, now_iso
from .model import CancelFlag, FileReport, ImportReport, ImportStatus, Progress, cancelled, tick

#: A result bundle has no members: preamble, manifest (≤ its limit), header (≤ its limit), trailer.
MAX_RESULT_BYTES = limits.MAX_MANIFEST_BYTES + limits.MAX_HEADER_BYTES + 64
RESULT_SUFFIX = ".rvb"
#: Files per committed transaction: one fsync per batch instead of per file.
BATCH = 250
#: Checked results are kept between the passes as rows with their signed payload: the first
#: ``RAW_BYTES`` as they are (about 30 KB per result of 12–13 proposals, so an import of up to
#: about 2,200 such files packs and compresses nothing), then packed and compressed (2–10 KB
#: each, depending on the comments); beyond ``CACHE_BYTES`` the second pass verifies and checks
#: the file again (memory stays bounded).
RAW_BYTES = 64 * 1024 * 1024
CACHE_BYTES = 256 * 1024 * 1024


class _Rejected(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class _Candidate:
    index: int
    path: Path
    file_digest: str
    bundle_id: str
    reviewer_id: str
    revision: int
    payload_digest: str
    reviewer_key: str
    #: The checked result's rows: as staged, or packed by ``results_repo.pack`` and compressed (our own bytes, never
    #: read from a file); None: check the file again.
    staged: results_repo.StagedResult | bytes | None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Folders become their ``*.rvb`` entries (sorted, not recursive); named files are taken as they are."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(c for c in p.iterdir() if c.name.lower().endswith(RESULT_SUFFIX) and not c.name.startswith(".")))
        else:
            out.append(p)
    return out


def read_result_file(path: Path) -> tuple[str, bytes]:
    """(SHA-256, bytes) of a result file, its type and size checked on the open file first (never blocks or reads a huge file)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _Rejected("secretariat.import.missing", path=str(path)) from None
    except OSError as exc:
        raise _Rejected("secretariat.import.unreadable", path=str(path), reason=exc.strerror or "") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Rejected("secretariat.import.not_regular", path=str(path))
        if st.st_size > MAX_RESULT_BYTES:
            raise _Rejected("secretariat.import.too_large", path=str(path), size=st.st_size, limit=MAX_RESULT_BYTES)
        blocks = []
        left = MAX_RESULT_BYTES + 1
        while left > 0:
            block = os.read(fd, min(max(st.st_size + 1, 1 << 16), left))
            if not block:
                break
            blocks.append(block)
            left -= len(block)
        if left <= 0:
            raise _Rejected("secretariat.import.too_large", path=str(path), size=MAX_RESULT_BYTES + 1,
                            limit=MAX_RESULT_BYTES)
        data = b"".join(blocks)
        return hashlib.sha256(data).hexdigest(), data
    except OSError as exc:
        raise _Rejected("secretariat.import.unreadable", path=str(path), reason=exc.strerror or "") from None
    finally:
        os.close(fd)


class ImportingMixin(SecretariatBase):
    def import_results(
        self,
        round_id: str,
        paths: Iterable[str | Path],
        keys: SecretariatKeys,
        *,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> ImportReport:
        """Import result bundles (files, or folders of ``*.rvb``) into ``round_id``; a report per file."""
        self.round(round_id)
        rubric = self.rubric(round_id)
        files = expand_paths(paths)
        total = 2 * len(files)
        reports: dict[int, FileReport] = {}
        candidates: list[_Candidate] = []
        with self.store.lock:
            view = results_repo.RegistryView(self.conn)
        kept = 0
        tick(progress, 0, total)
        for n, path in enumerate(files):
            if cancelled(cancel):
                return self._report(round_id, files, reports, True)
            try:
                cand = self._check_file(round_id, rubric, keys, view, n, path)
                size = 0 if cand.staged is None else results_repo.kept_size(cand.staged)
                if isinstance(cand.staged, results_repo.StagedResult) and kept + size > RAW_BYTES:
                    cand.staged = results_repo.compress(results_repo.pack(cand.staged))
                    size = len(cand.staged)
                if kept + size <= CACHE_BYTES:
                    kept += size
                else:
                    cand.staged = None
                candidates.append(cand)
            except _Rejected as r:
                reports[n] = FileReport(path, ImportStatus.REJECTED, r.code, dict(r.params))
            tick(progress, n + 1, total)
        candidates.sort(key=lambda c: (c.bundle_id, c.revision, c.index))
        done = len(files)
        for start in range(0, len(candidates), BATCH):
            if cancelled(cancel):
                return self._report(round_id, files, reports, True)
            chunk = candidates[start:start + BATCH]
            with write_transaction(self.store) as conn:
                batch = ImportBatch(conn, (cand.bundle_id for cand in chunk))
                for cand in chunk:
                    if cancelled(cancel):
                        break
                    reports[cand.index] = self._apply(batch, round_id, rubric, keys, view, cand)
                    done += 1
                    tick(progress, done, total)
                try:
                    batch.write()
                except sqlite3.DatabaseError as exc:  # the transaction is rolled back: no file of this batch is stored
                    raise StoreError("secretariat.import.write_failed", detail=str(exc), files=len(chunk)) from None
        if len(reports) < len(files):  # cancelled during the second pass: what is stored is complete
            return self._report(round_id, files, reports, True)
        tick(progress, total, total)
        return self._report(round_id, files, reports, False)

    @staticmethod
    def _report(round_id: str, files: Sequence[Path], reports: dict[int, FileReport], was_cancelled: bool) -> ImportReport:
        return ImportReport(round_id, tuple(reports.get(n, FileReport(p, ImportStatus.SKIPPED)) for n, p in enumerate(files)),
                            was_cancelled)

    def _check_file(self, round_id: str, rubric: object, keys: SecretariatKeys, view: results_repo.RegistryView, index: int,
                    path: Path) -> _Candidate:
        digest, data = read_result_file(path)
        # RegistryView answers like IssuedRegistry; the bytes just read are verified (the file is read once).
        verified = verify_result_bytes(data, keys, view, name=str(path), file_digest=digest)  # type: ignore[arg-type]
        del data
        if verified.outcome is not VerifyOutcome.OK or verified.record is None:
            raise _Rejected(verified.code or "bundle.invalid", **verified.params)
        payload = verified.record
        rec = view.records[payload.bundle_id]  # the verifier refused bundles that were never issued
        if rec.round_id != round_id:
            raise _Rejected("secretariat.import.wrong_round", round=rec.round_id, expected=round_id)
        if rec.superseded:
            raise _Rejected("secretariat.import.superseded", reviewer=rec.reviewer_id, issued=rec.issued_at,
                            superseded=rec.superseded_at, by=rec.superseded_by or "")
        if rec.rubric_digest != getattr(rubric, "digest", None):
            raise _Rejected("bundle.result.rubric_mismatch")
        cand = _Candidate(index, path, digest, payload.bundle_id, payload.reviewer_id, payload.revision,
                          verified.payload_digest, verified.fingerprint, None)
        if view.stored.get((payload.bundle_id, payload.revision)) == verified.payload_digest:
            return cand  # already stored, so checked when it was: the second pass reports it a duplicate
        try:
            checked = check_record(payload, rubric, rec.proposal_ids, rec.band_targets,  # type: ignore[arg-type]
                                   entries=False)
        except ReviewerAppError as exc:
            raise _Rejected(exc.code, **exc.params) from None
        cand.staged = results_repo.stage(checked, verified.payload_json)
        return cand

    def _apply(self, batch: ImportBatch, round_id: str, rubric: object, keys: SecretariatKeys,
               view: results_repo.RegistryView, cand: _Candidate) -> FileReport:
        """Decide one file against what its bundle holds in this transaction; an accepted file's rows go to ``batch``."""

        def report(status: ImportStatus, code: str = "", **params: object) -> FileReport:
            return FileReport(cand.path, status, code, dict(params), cand.bundle_id, cand.reviewer_id, cand.revision,
                              cand.reviewer_key, cand.file_digest)

        try:
            state = batch.state(cand.bundle_id, cand.revision)
            assert state is not None  # the verifier refused bundles that were never issued; issued rows stay
            stored = state.stored_digest
            if stored == cand.payload_digest:
                return report(ImportStatus.DUPLICATE)
            if cand.staged is None:  # not kept after pass 1: verify again, it must be the same file
                again = self._check_file(round_id, rubric, keys, view, cand.index, cand.path)
                if again.payload_digest != cand.payload_digest or again.staged is None:
                    raise _Rejected("secretariat.import.changed", path=str(cand.path))
                cand.staged = again.staged
            if stored is not None:
                raise _Rejected("secretariat.import.conflicting_revision", revision=cand.revision)
            assert cand.staged is not None
            staged = cand.staged if isinstance(cand.staged, results_repo.StagedResult) else results_repo.unpack(cand.staged)
            if state.pinned_key is not None and state.pinned_key != cand.reviewer_key:
                raise _Rejected("secretariat.import.key_not_pinned", fingerprint=cand.reviewer_key, pinned=state.pinned_key,
                                reviewer=state.reviewer_id)
            newer = state.current_revision is None or cand.revision > state.current_revision
            at = now_iso()
            batch.add(staged, payload_digest=cand.payload_digest, file_digest=cand.file_digest, source_name=str(cand.path),
                      reviewer_key=cand.reviewer_key, at=at, current=newer,
                      event={"actor": self.actor, "action": "result.imported" if newer else "result.history",
                             "round_id": round_id, "subject": cand.reviewer_id,
                             "detail": {"bundle_id": cand.bundle_id, "revision": cand.revision,
                                        "sha256": cand.file_digest, "reviewer_key": cand.reviewer_key,
                                        "file": cand.path.name}})
            return report(ImportStatus.IMPORTED if newer else ImportStatus.HISTORY,
                          current=state.current_revision if not newer else cand.revision)
        except _Rejected as r:
            return report(ImportStatus.REJECTED, r.code, **r.params)
        finally:
            cand.staged = None  # stored or refused: free the memory now
