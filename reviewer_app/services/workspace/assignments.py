"""Adding and unlocking assignment bundles, and reading their proposals in memory.

The encrypted file is copied into the app's folder and stays encrypted; unlocking
decrypts the manifest into memory, verifies the secretariat's signature, and records
in the database only what grading needs (ids, rubric, round settings). PDFs are
decrypted one at a time into ``bytes`` that the caller shows and drops.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ...core.errors import KeyNotFoundError, KeyringUnavailableError, WorkspaceError, WrongSecretError
from ...core.store import append_event, write_transaction
from ...lazy import lazy_module
from .base import WorkspaceBase, now_iso
from .model import AddOutcome, BundleRow, Notice, UnlockOutcome

bundle_api = lazy_module("reviewer_app.services.bundles")  # cryptography: loaded on first use


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class AssignmentsMixin(WorkspaceBase):
    def add_bundle(self, path: str | Path) -> AddOutcome:
        """Check the header, keep an encrypted copy, register it. Adding it again is a no-op."""
        header = bundle_api.inspect_bundle(path)
        existing = self.store.conn.execute(
            "SELECT bundle_id FROM bundles WHERE bundle_id = ?", (header.bundle_id,)).fetchone()
        if existing is not None:
            return AddOutcome(header.bundle_id, False, (Notice("workspace.already_added", {"bundle": header.bundle_id}),))
        header, stored = bundle_api.store_assignment_copy(path)
        sha = _file_sha256(stored)
        relative = stored.resolve().relative_to(self.home.resolve()).as_posix()
        with write_transaction(self.store) as conn:
            conn.execute(
                "INSERT INTO bundles (bundle_id, stored_file, file_sha256, added_at) VALUES (?,?,?,?)",
                (header.bundle_id, relative, sha, now_iso()),
            )
            append_event(conn, at=now_iso(), field="bundle.added", old=None, new=sha, bundle_id=header.bundle_id)
        return AddOutcome(header.bundle_id, True)

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

    def forget_passphrase(self, bundle_id: str) -> None:
        self._bundle(bundle_id)
        bundle_api.forget_unlock(bundle_id)
        self._open.pop(bundle_id, None)

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
