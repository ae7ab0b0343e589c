"""Adding and unlocking assignment bundles, and reading their proposals in memory.

The encrypted file is copied into the app's folder and stays encrypted; unlocking
decrypts the manifest into memory, verifies the secretariat's signature, and records
in the database only what grading needs (ids, rubric, round settings). PDFs are
decrypted one at a time into one buffer that the caller shows and drops.

A stored copy that is missing or damaged never blocks the reviewer: adding the good file
again replaces it (after verifying it), and ``remove_bundle`` deletes a bundle altogether
once the person confirmed, saying exactly what goes (``RemovalSummary``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ...core.errors import KeyNotFoundError, KeyringUnavailableError, ReviewerAppError, WorkspaceError, WrongSecretError
from ...core.store import append_event, write_transaction
from ...lazy import lazy_module
from .base import WorkspaceBase, now_iso
from .model import AddOutcome, BundleRow, Notice, UnlockOutcome

bundle_api = lazy_module("reviewer_app.services.bundles")  # cryptography: loaded on first use


@dataclass(frozen=True)
class RemovalSummary:
    """What ``remove_bundle`` deletes, so the caller can show it before asking for confirmation.

    Deleted: the stored (encrypted) copy, the remembered unlocking key, and every workspace
    row of the bundle: its proposal list, the grades, figures and comments (``entries``),
    unjudgeable marks, conflict declarations, private notes, the distribution justification
    and the export history. Kept: the audit log (append-only by design: it keeps the history
    of every change, the removal included), result files already exported (they are the
    reviewer's submission, encrypted to the secretariat) and the reviewer's signing key for
    the assignment (the secretariat pinned it: a later re-add and export must use the same key).
    """

    bundle_id: str
    round_id: str | None
    proposals: int
    entries: int
    comments: int
    notes: int
    conflicts: int
    justification: bool
    exports: int
    last_revision: int
    #: True when something changed after the last export (or nothing was ever exported).
    unexported_changes: bool


class AssignmentsMixin(WorkspaceBase):
    def add_bundle(self, path: str | Path, passphrase: str | None = None) -> AddOutcome:
        """Check the file, keep an encrypted copy, register it.

        Adding the bundle again is a no-op while its stored copy is intact. When the stored copy
        is missing or damaged (its SHA-256 no longer matches the one recorded when it was added),
        adding the same file again restores it; adding a different file of the same bundle
        replaces the copy only after that file verified completely (with ``passphrase`` or the
        remembered key: signature by the round's pinned key, every member, and the same round,
        reviewer, rubric and proposals as recorded). Without a secret for that check it raises
        ``workspace.replace_needs_passphrase``. Grades and history are kept in every case.
        """
        header = bundle_api.inspect_bundle(path)
        cur = self.store.conn.execute("SELECT * FROM bundles WHERE bundle_id = ?", (header.bundle_id,))
        found = cur.fetchone()
        if found is not None:
            row = dict(zip([d[0] for d in cur.description], found))
            return self._add_again(row, Path(path), passphrase)
        copy = bundle_api.store_assignment_copy(path)
        relative = copy.path.resolve().relative_to(self.home.resolve()).as_posix()
        with write_transaction(self.store) as conn:
            # Revisions keep growing across a removal and a re-add: the secretariat refuses
            # a revision number it has already imported.
            reserved = conn.execute(
                "SELECT max(CAST(new_value AS INTEGER)) FROM audit WHERE bundle_id = ? AND field = 'export.revision'",
                (header.bundle_id,)).fetchone()[0] or 0
            conn.execute(
                "INSERT INTO bundles (bundle_id, stored_file, file_sha256, added_at, result_revision) VALUES (?,?,?,?,?)",
                (header.bundle_id, relative, copy.sha256, now_iso(), reserved),
            )
            append_event(conn, at=now_iso(), field="bundle.added", old=None, new=copy.sha256, bundle_id=header.bundle_id)
        return AddOutcome(header.bundle_id, True)

    def _add_again(self, row: dict[str, Any], path: Path, passphrase: str | None) -> AddOutcome:
        bundle_id = row["bundle_id"]
        recorded = row["file_sha256"]
        new_sha = bundle_api.file_sha256(path)
        intact = self._stored_copy_intact(row)
        if new_sha == recorded:
            if intact:
                return AddOutcome(bundle_id, False, (Notice("workspace.already_added", {"bundle": bundle_id}),))
            # Byte for byte the file that was added (and, if unlocked, verified) before.
            self._replace_copy(row, path, "bundle.restored")
            return AddOutcome(bundle_id, True, (Notice("workspace.stored_copy_restored", {"bundle": bundle_id}),))
        if intact and row["unlocked_at"] is not None:
            # The stored copy verified completely at its first unlock and is unchanged: keep it.
            return AddOutcome(bundle_id, False, (Notice("workspace.already_added", {"bundle": bundle_id}),))
        self._verify_replacement(row, path, passphrase)
        self._replace_copy(row, path, "bundle.replaced")
        return AddOutcome(bundle_id, True, (Notice("workspace.stored_copy_replaced", {"bundle": bundle_id}),))

    def _stored_copy_intact(self, row: dict[str, Any]) -> bool:
        try:
            return bool(bundle_api.file_sha256(self.home / row["stored_file"]) == row["file_sha256"])
        except ReviewerAppError:  # missing, not a regular file, above the limit
            return False

    def _verify_replacement(self, row: dict[str, Any], path: Path, passphrase: str | None) -> None:
        """Open ``path`` as completely as the first unlock does, and compare it with what was recorded."""
        bundle_id = row["bundle_id"]
        pinned = row["signer_fingerprint"]
        if passphrase is not None:
            opened = bundle_api.open_assignment(path, passphrase, pinned_signing_fingerprint=pinned)
        else:
            try:
                opened = bundle_api.open_remembered_assignment(path, pinned_signing_fingerprint=pinned)
            except (KeyNotFoundError, KeyringUnavailableError, WrongSecretError):
                raise WorkspaceError("workspace.replace_needs_passphrase", bundle=bundle_id, path=str(path)) from None
        opened.verify_all_members()
        if row["unlocked_at"] is not None:
            same = (opened.settings.round_id == row["round_id"] and opened.reviewer.reviewer_id == row["reviewer_id"]
                    and opened.rubric.digest == row["rubric_digest"]
                    and [m.proposal_id for m in opened.proposals] == self.proposal_ids(bundle_id))
            if not same:
                raise WorkspaceError("workspace.replacement_differs", bundle=bundle_id, path=str(path))

    def _replace_copy(self, row: dict[str, Any], path: Path, event: str) -> None:
        bundle_id = row["bundle_id"]
        self._open.pop(bundle_id, None)
        copy = bundle_api.store_assignment_copy(path)
        relative = copy.path.resolve().relative_to(self.home.resolve()).as_posix()
        with write_transaction(self.store) as conn:
            conn.execute("UPDATE bundles SET stored_file = ?, file_sha256 = ? WHERE bundle_id = ?",
                         (relative, copy.sha256, bundle_id))
            append_event(conn, at=now_iso(), field=event, old=row["file_sha256"], new=copy.sha256, bundle_id=bundle_id)

    def removal_summary(self, bundle_id: str) -> RemovalSummary:
        """What ``remove_bundle`` would delete (counts), for the confirmation question."""
        row = self._bundle(bundle_id)
        conn = self.store.conn

        def count(sql: str) -> int:
            return int(conn.execute(sql, (bundle_id,)).fetchone()[0])

        exports = count("SELECT count(*) FROM exports WHERE bundle_id = ?")
        unlocked = row["unlocked_at"] is not None
        return RemovalSummary(
            bundle_id, row["round_id"], count("SELECT count(*) FROM proposals WHERE bundle_id = ?"),
            count("SELECT count(*) FROM entries WHERE bundle_id = ? AND (mark IS NOT NULL OR unjudgeable = 1)"),
            count("SELECT count(*) FROM entries WHERE bundle_id = ? AND comment != ''"),
            count("SELECT count(*) FROM notes WHERE bundle_id = ? AND text != ''"),
            count("SELECT count(*) FROM conflicts WHERE bundle_id = ?"),
            count("SELECT count(*) FROM justifications WHERE bundle_id = ? AND text != ''") > 0,
            exports, int(row["result_revision"]),
            unlocked and self.changed_since_export(bundle_id),  # type: ignore[attr-defined]
        )

    def remove_bundle(self, bundle_id: str, *, confirmed: bool = False) -> RemovalSummary:
        """Delete a bundle from the workspace: only after the person confirmed (``confirmed=True``).

        Deletes what ``RemovalSummary`` lists as deleted, in one transaction with a
        ``bundle.removed`` audit event (old: the copy's SHA-256, new: the counts), then the stored
        copy and the remembered key. The audit log, exported result files and the signing key
        stay. Adding the bundle again later starts with no grades, and its next export continues
        the revision numbering, so the secretariat still accepts it.
        """
        summary = self.removal_summary(bundle_id)
        if not confirmed:
            raise WorkspaceError("workspace.remove_unconfirmed", bundle=bundle_id)
        row = self._bundle(bundle_id)
        counts = {k: v for k, v in asdict(summary).items() if k not in ("bundle_id", "round_id")}
        with write_transaction(self.store) as conn:
            for table in ("entries", "conflicts", "coi_confirmations", "notes", "justifications", "exports",
                          "proposals", "bundles"):
                conn.execute(f"DELETE FROM {table} WHERE bundle_id = ?", (bundle_id,))
            append_event(conn, at=now_iso(), field="bundle.removed", old=row["file_sha256"],
                         new=json.dumps(counts, sort_keys=True), bundle_id=bundle_id)
        self._open.pop(bundle_id, None)
        (self.home / row["stored_file"]).unlink(missing_ok=True)
        bundle_api.forget_unlock(bundle_id)
        return summary

    def bundles(self) -> list[BundleRow]:
        rows = self.store.conn.execute(
            "SELECT b.bundle_id, b.stored_file, b.added_at, b.unlocked_at, b.round_id, b.reviewer_id,"
            " b.reviewer_name, b.deadline, b.result_revision,"
            " (SELECT count(*) FROM proposals p WHERE p.bundle_id = b.bundle_id)"
            " FROM bundles b ORDER BY b.added_at").fetchall()
        return [
            BundleRow(r[0], self.home / r[1], r[2], r[3] is not None, r[4], r[5], r[6], r[7], r[8], r[9])
            for r in rows
        ]

    def resolve_bundle(self, text: str) -> str:
        """A bundle id from a unique prefix (what a person types on a command line)."""
        ids = [r[0] for r in self.store.conn.execute("SELECT bundle_id FROM bundles")]
        if text in ids:
            return text
        matches = [i for i in ids if i.startswith(text)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise WorkspaceError("workspace.unknown_bundle", bundle=text)
        raise WorkspaceError("workspace.ambiguous_bundle", bundle=text, matches=sorted(matches))

    def unlock(self, bundle_id: str, passphrase: str | None = None, *, remember: bool = False) -> UnlockOutcome:
        """Open a stored bundle with its passphrase (or the key remembered in the OS keyring).

        Without a passphrase and nothing remembered, raises ``workspace.passphrase_required``
        so the caller asks. ``remember`` keeps the bundle's key in the keyring when there is
        one; without a keyring a notice says so, and nothing secret is written to disk.
        """
        opened = self._open_bundle(bundle_id, passphrase)
        row = self._bundle(bundle_id)
        notices: list[Notice] = []
        if row["unlocked_at"] is None:
            # First unlock: authenticate every member now, so a damaged or altered proposal
            # is reported today rather than when the reviewer opens it next week.
            opened.verify_all_members()
            self._register_unlock(opened)
            # The reviewer's signing key is created on first unlock, while the passphrase that
            # seals its backup key file is at hand.
            if passphrase is not None:
                bundle_api.reviewer_key_for(opened, passphrase)
        remembered = False
        if remember:
            remembered = bundle_api.remember_unlock(opened)
            if not remembered:
                notices.append(Notice("workspace.keyring_unavailable", {}))
        info = self.round_info(bundle_id)
        notices.extend(self.deadline_notices(info))
        return UnlockOutcome(
            bundle_id, info.round_id, info.reviewer_name, len(opened.proposals),
            opened.signing_fingerprint, remembered, tuple(notices),
        )

    def forget_passphrase(self, bundle_id: str) -> bool:
        """Forget the key remembered in the keyring; False when nothing was remembered (or there is no keyring)."""
        self._bundle(bundle_id)
        self._open.pop(bundle_id, None)
        return bool(bundle_api.forget_unlock(bundle_id))

    def try_open(self, bundle_id: str) -> bool:
        """Open with the remembered key if there is one; never asks (for listings)."""
        try:
            self._open_bundle(bundle_id, None)
        except WorkspaceError as exc:
            if exc.code != "workspace.passphrase_required":
                raise
            return False
        return True

    def lock(self, bundle_id: str) -> None:
        """Drop the decrypted manifest from memory (e.g. when the window closes)."""
        self._open.pop(bundle_id, None)

    def read_pdf(self, bundle_id: str, proposal_id: str, passphrase: str | None = None) -> bytes:
        """One proposal's PDF, decrypted into memory only (never written anywhere)."""
        self._require_proposal(bundle_id, proposal_id)
        return self._open_bundle(bundle_id, passphrase).read_pdf(proposal_id)

    def proposal_meta(self, bundle_id: str, proposal_id: str, passphrase: str | None = None) -> Any:
        """Title, institution, type, region and figures (``ProposalMeta``), from the unlocked bundle."""
        self._require_proposal(bundle_id, proposal_id)
        opened = self._open_bundle(bundle_id, passphrase)
        return next(m for m in opened.proposals if m.proposal_id == proposal_id)

    # --- internals ----------------------------------------------------------------

    def _open_bundle(self, bundle_id: str, passphrase: str | None) -> Any:
        if passphrase is None and bundle_id in self._open:
            return self._open[bundle_id]
        row = self._bundle(bundle_id)
        path = self.home / row["stored_file"]
        pinned = row["signer_fingerprint"]
        if passphrase is None:
            try:
                opened = bundle_api.open_remembered_assignment(path, pinned_signing_fingerprint=pinned)
            except (KeyNotFoundError, KeyringUnavailableError, WrongSecretError):
                # Nothing remembered, no keyring, or a stale remembered key: ask for the passphrase.
                raise WorkspaceError("workspace.passphrase_required", bundle=bundle_id) from None
        else:
            opened = bundle_api.open_assignment(path, passphrase, pinned_signing_fingerprint=pinned)
        if opened.bundle_id != bundle_id:  # the stored copy was replaced by another bundle
            raise WorkspaceError("workspace.stored_copy_mismatch", bundle=bundle_id)
        self._open[bundle_id] = opened
        return opened

    def _register_unlock(self, opened: Any) -> None:
        settings = opened.settings
        pinned = self.store.conn.execute(
            "SELECT signer_fingerprint FROM bundles WHERE round_id = ? AND signer_fingerprint IS NOT NULL",
            (settings.round_id,)).fetchone()
        if pinned is not None and pinned[0] != opened.signing_fingerprint:
            # Another bundle of this round came from a different secretariat key: refuse to mix.
            raise WorkspaceError("workspace.round_key_mismatch", round=settings.round_id,
                                 expected=pinned[0], actual=opened.signing_fingerprint)
        stored_settings = {
            "title": settings.title,
            "language": settings.language,
            "band_targets": {k: (None if v is None else str(v)) for k, v in settings.band_targets.items()},
        }
        rubric = opened.rubric
        at = now_iso()
        with write_transaction(self.store) as conn:
            conn.execute(
                "UPDATE bundles SET round_id = ?, reviewer_id = ?, reviewer_name = ?, deadline = ?,"
                " settings_json = ?, rubric_digest = ?, rubric_bytes = ?, signer_fingerprint = ?, unlocked_at = ?"
                " WHERE bundle_id = ?",
                (settings.round_id, opened.reviewer.reviewer_id, opened.reviewer.name, settings.deadline,
                 json.dumps(stored_settings, ensure_ascii=False), rubric.digest, rubric.source_bytes,
                 opened.signing_fingerprint, at, opened.bundle_id),
            )
            conn.executemany(
                "INSERT INTO proposals (bundle_id, proposal_id, position) VALUES (?,?,?)",
                [(opened.bundle_id, m.proposal_id, i) for i, m in enumerate(opened.proposals)],
            )
            append_event(conn, at=at, field="bundle.unlocked", old=None, new=opened.signing_fingerprint,
                         bundle_id=opened.bundle_id)
