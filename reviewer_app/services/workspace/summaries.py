"""One line per stored bundle: what the start screen and ``review rounds`` show.

A reviewer choosing which round to work on needs the round's title, its deadline (and whether
it has passed), how far they are (n of m proposals complete), and when they last exported.
All of it comes from the database, so it is known without the passphrase once the bundle has
been unlocked once; before that only the bundle's plaintext header is known (its id and the
fingerprint of the key that *claims* to have signed it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ...lazy import lazy_module
from .base import WorkspaceBase, deadline_passed
from .model import ProposalStatus

bundle_api = lazy_module("reviewer_app.services.bundles")  # cryptography: loaded on first use


@dataclass(frozen=True)
class BundleSummary:
    bundle_id: str
    stored_file: Path
    added_at: str
    #: Unlocked at least once here (round details and progress are known).
    unlocked: bool
    title: str | None
    round_id: str | None
    reviewer_name: str | None
    deadline: str | None
    overdue: bool
    proposals: int
    complete: int
    conflicts: int
    last_export_revision: int | None
    last_exported_at: str | None
    #: Something that is exported changed after the last export (or none was made yet).
    changed_since_export: bool


@dataclass(frozen=True)
class StoredHeader:
    """What the unlock dialog can show before the bundle is opened."""

    bundle_id: str
    #: Fingerprint of the secretariat key: pinned once unlocked, else the header's claim.
    signer_fingerprint: str
    verified: bool
    file_size: int


class SummariesMixin(WorkspaceBase):
    def bundle_summaries(self) -> list[BundleSummary]:
        """Every stored bundle with its round, deadline, progress and last export, oldest first."""
        ids = [r[0] for r in self.store.conn.execute("SELECT bundle_id FROM bundles ORDER BY added_at")]
        return [self.bundle_summary(b) for b in ids]

    def bundle_summary(self, bundle_id: str) -> BundleSummary:
        row = self._bundle(bundle_id)
        unlocked = row["unlocked_at"] is not None
        title = None
        complete = conflicts = total = 0
        if unlocked:
            title = json.loads(row["settings_json"] or "{}").get("title") or None
            statuses = [p.status for p in self.proposals(bundle_id)]  # type: ignore[attr-defined]
            total = len(statuses)
            complete = statuses.count(ProposalStatus.COMPLETE)
            conflicts = statuses.count(ProposalStatus.CONFLICT)
        last = self.store.conn.execute(
            "SELECT revision, exported_at FROM exports WHERE bundle_id = ? ORDER BY revision DESC LIMIT 1",
            (bundle_id,)).fetchone()
        deadline = row["deadline"]
        return BundleSummary(
            bundle_id, self.home / row["stored_file"], row["added_at"], unlocked, title, row["round_id"],
            row["reviewer_name"], deadline, bool(deadline) and deadline_passed(deadline),
            total, complete, conflicts,
            None if last is None else int(last[0]), None if last is None else last[1],
            self.changed_since_export(bundle_id) if unlocked else True,  # type: ignore[attr-defined]
        )

    def stored_header(self, bundle_id: str) -> StoredHeader:
        """The secretariat fingerprint to compare out of band, before and after the first unlock.

        Raises the bundle reader's typed error when the stored copy is damaged or not a bundle.
        """
        row = self._bundle(bundle_id)
        pinned = row["signer_fingerprint"]
        header = bundle_api.inspect_bundle(self.home / row["stored_file"])
        if pinned is not None:
            return StoredHeader(bundle_id, pinned, True, header.file_size)
        return StoredHeader(bundle_id, header.signer_fingerprint, False, header.file_size)
