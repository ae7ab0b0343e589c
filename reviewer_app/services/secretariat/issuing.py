"""Issuing a round's assignment bundles, each with a fresh passphrase and a printed letter.

Per reviewer, in this order: a new passphrase (in memory only), the bundle built by the bundle
service (``build_assignment_bundle``: encrypted, signed, written atomically), the letter PDF
written atomically, then — in one transaction — the issue recorded, any previous bundle of
that reviewer marked superseded, and the audit event. The passphrase is dropped as soon as
the letter is written: the database never holds it, so a lost letter means re-issuing. If
the letter cannot be written, the new bundle file is removed again (nobody could open it).

Re-issuing supersedes the reviewer's previous bundle: results answering it are refused at
import with a reason that says so. Every output path is checked before any work
(``check_output_path``): an existing file is replaced only with ``overwrite``, a non-regular
file never, and no folder is created.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ...core.atomic import check_output_path, write_atomically
from ...core.bundle.model import DEFAULT_KDF, AssignmentSpec, KdfParams, ReviewerIdentity, RoundSettings
from ...core.errors import OutputPathError, SecretariatError
from ...core.keys import SecretariatKeys
from ...core.secretariat import audit, results_repo, rounds_repo
from ...core.secretariat.passphrase import new_passphrase
from ...core.store import write_transaction
from .. import bundles as bundle_service
from .base import SecretariatBase, now_iso
from .model import CancelFlag, IssueItem, IssueReport, IssueState, Progress, cancelled, tick

LETTER_SUFFIX = "-passphrase.pdf"


def bundle_file_name(round_id: str, reviewer_id: str) -> str:
    return f"{round_id}-{reviewer_id}{bundle_service.BUNDLE_SUFFIX}"


def letter_file_name(round_id: str, reviewer_id: str) -> str:
    return f"{round_id}-{reviewer_id}{LETTER_SUFFIX}"


def _folder(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_dir():
        raise OutputPathError("file.output.no_folder", path=str(p), folder=str(p))
    return p


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class IssuingMixin(SecretariatBase):
    def issue_plan(self, round_id: str, reviewers: Sequence[str] = (), *, reissue: bool = False) -> list[IssueItem]:
        """What ``issue_bundles`` would do for each reviewer (nothing is written)."""
        with self.store.lock:
            known = [r.reviewer_id for r in rounds_repo.reviewers(self.conn, self.round(round_id).round_id)]
            assigned: dict[str, list[str]] = {}
            for r, p in rounds_repo.assignments(self.conn, round_id):
                assigned.setdefault(r, []).append(p)
            live = results_repo.current_issued(self.conn, round_id)
        for r in reviewers:
            if r not in known:
                raise SecretariatError("secretariat.unknown_reviewer", reviewer=r, round=round_id)
        out = []
        for rid in (reviewers or known):
            props = assigned.get(rid, [])
            b = live.get(rid)
            if not props:
                state = IssueState.NO_ASSIGNMENT
            elif b is None:
                state = IssueState.ISSUED
            elif reissue:
                state = IssueState.REISSUED
            elif set(b.proposal_ids) == set(props):
                state = IssueState.UP_TO_DATE
            else:
                state = IssueState.NEEDS_REISSUE
            out.append(IssueItem(rid, state, b.bundle_id if b else None, proposals=len(props),
                                 superseded=b.bundle_id if b and state is IssueState.REISSUED else None))
        return out

    def issue_bundles(
        self,
        round_id: str,
        out_dir: str | Path,
        keys: SecretariatKeys,
        *,
        letters_dir: str | Path | None = None,
        reviewers: Sequence[str] = (),
        reissue: bool = False,
        overwrite: bool = False,
        kdf: KdfParams = DEFAULT_KDF,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
        passphrases: Callable[[], str] = new_passphrase,
    ) -> IssueReport:
        """Build and record bundles (and letters) for the reviewers the plan says need one.

        ``reviewers`` limits the run to those ids; ``reissue`` replaces live bundles too (their
        results will be refused). ``passphrases`` exists for tests; production uses fresh
        125-bit passphrases.
        """
        rec = self.round(round_id)
        rubric = self.rubric(round_id)
        bundles_dir = _folder(out_dir)
        letters = _folder(letters_dir) if letters_dir is not None else bundles_dir
        plan = self.issue_plan(round_id, reviewers, reissue=reissue)
        todo = [i for i in plan if i.state in (IssueState.ISSUED, IssueState.REISSUED)]
        for item in todo:  # refuse before any slow work
            check_output_path(bundles_dir / bundle_file_name(round_id, item.reviewer_id), overwrite=overwrite)
            check_output_path(letters / letter_file_name(round_id, item.reviewer_id), overwrite=overwrite)
        with self.store.lock:
            metas = {p.meta.proposal_id: p for p in rounds_repo.proposals(self.conn, round_id)}
            names = {r.reviewer_id: r.name for r in rounds_repo.reviewers(self.conn, round_id)}
            assigned: dict[str, list[str]] = {}
            for r, p in rounds_repo.assignments(self.conn, round_id):
                assigned.setdefault(r, []).append(p)
        needed = {p for item in todo for p in assigned.get(item.reviewer_id, [])}
        for pid in sorted(needed):  # the PDFs must still be those validated at setup
            p = metas[pid]
            try:
                same = p.pdf_path.is_file() and _sha256(p.pdf_path) == p.pdf_sha256
            except OSError:
                same = False
            if not same:
                raise SecretariatError("secretariat.issue.pdf_changed", proposal=pid, path=str(p.pdf_path))
        settings = RoundSettings(round_id, rec.title, rec.deadline, dict(rec.band_targets), rec.language)
        fingerprint = keys.public.signing_fingerprint
        done: dict[str, IssueItem] = {}
        was_cancelled = False
        tick(progress, 0, len(todo))
        for n, item in enumerate(todo):
            if cancelled(cancel):
                was_cancelled = True
                break
            done[item.reviewer_id] = self._issue_one(
                item, settings, rubric.source_bytes, names[item.reviewer_id],
                [metas[p] for p in assigned[item.reviewer_id]], keys, bundles_dir, letters, kdf, passphrases(), overwrite)
            tick(progress, n + 1, len(todo))
        items = tuple(done.get(i.reviewer_id) or (replace(i, state=IssueState.SKIPPED) if i in todo else i) for i in plan)
        return IssueReport(round_id, fingerprint, items, was_cancelled)

    def _issue_one(self, item: IssueItem, settings: RoundSettings, rubric_bytes: bytes, name: str,
                   proposals: list[rounds_repo.ProposalRecord], keys: SecretariatKeys, bundles_dir: Path, letters: Path,
                   kdf: KdfParams, passphrase: str, overwrite: bool) -> IssueItem:
        from ...core.secretariat.letters import LetterInfo, render_letter

        rid = item.reviewer_id
        spec = AssignmentSpec(settings, ReviewerIdentity(rid, name), rubric_bytes, tuple(p.meta for p in proposals),
                              {p.meta.proposal_id: str(p.pdf_path) for p in proposals})
        bundle_path = bundles_dir / bundle_file_name(settings.round_id, rid)
        letter_path = letters / letter_file_name(settings.round_id, rid)
        report = bundle_service.build_assignment_bundle(spec, keys, bundle_path, passphrase, kdf=kdf, overwrite=overwrite)
        try:
            letter = render_letter(LetterInfo(settings.round_id, settings.title, settings.deadline, rid, name,
                                              bundle_path.name, report.bundle_id, len(proposals),
                                              keys.public.signing_fingerprint), passphrase)
            del passphrase
            write_atomically(check_output_path(letter_path, overwrite=overwrite), letter.data)
            at = now_iso()
            with write_transaction(self.store) as conn:
                old = results_repo.current_issued(conn, settings.round_id).get(rid)
                if old is not None:
                    results_repo.supersede(conn, old.bundle_id, report.bundle_id, at)
                    audit.record(conn, at=at, actor=self.actor, action="bundle.superseded", round_id=settings.round_id,
                                 subject=rid, detail={"bundle_id": old.bundle_id, "by": report.bundle_id})
                results_repo.record_issued(
                    conn, bundle_id=report.bundle_id, round_id=settings.round_id, reviewer_id=rid, reviewer_name=name,
                    rubric_digest=hashlib.sha256(rubric_bytes).hexdigest(),
                    proposal_ids=tuple(p.meta.proposal_id for p in proposals), band_targets=dict(settings.band_targets),
                    file_name=bundle_path.name, file_digest=report.file_digest, at=at)
                audit.record(conn, at=at, actor=self.actor, action="bundle.issued", round_id=settings.round_id, subject=rid,
                             detail={"bundle_id": report.bundle_id, "file": bundle_path.name, "sha256": report.file_digest,
                                     "proposals": len(proposals), "letter": letter_path.name})
        except BaseException:
            bundle_path.unlink(missing_ok=True)  # unrecorded, and its passphrase is gone: useless to anyone
            raise
        warnings = tuple((w.code, dict(w.params)) for w in getattr(report, "warnings", ()))
        return IssueItem(rid, IssueState.REISSUED if old is not None else IssueState.ISSUED, report.bundle_id,
                         bundle_path, letter_path, len(proposals), old.bundle_id if old else None, warnings)
