"""Exporting the signed result bundle: refused while anything blocks, atomic, revisioned.

Order matters for crash safety. The revision is reserved (committed) before the file is
written, so a crash mid-export can only skip a number, never reuse one: revisions the
secretariat sees always grow. The file is written by the bundle service atomically
(temp file in the same folder, fsync, rename, fsync of the folder), so a crash leaves
the previous good export in place. Only then is the export recorded in the history.

Everything that can be known before the revision is reserved is checked first, so a
refusal never consumes a revision number: the blocking findings, the passphrase and
signing key, and the output path (``core.output.prepare_output``: never a folder, device or
link, an existing file only when asked or when it is this assignment's own earlier export,
a folder the app may create a file in).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ...core.atomic import remove_stale_temps
from ...core.bundle.limits import MAX_MANIFEST_BYTES
from ...core.bundle.model import ResultEntry, ResultPayload, ResultProposal
from ...core.errors import ExportBlockedError
from ...core.output import output_error, prepare_output
from ...core.store import append_event, audit_head, write_transaction
from .base import EXPORTS_DIR, WorkspaceBase, now_iso
from .model import ExportOutcome, ExportRecord

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ExportMixin(WorkspaceBase):
    def default_export_path(self, bundle_id: str) -> Path:
        """One file per assignment, replaced by each new revision."""
        info = self.round_info(bundle_id)
        name = f"{_SAFE.sub('_', info.round_id)}_{_SAFE.sub('_', info.reviewer_id)}_{bundle_id[:12]}.result.rvb"
        return self.home / EXPORTS_DIR / name

    def export_blockers(self, bundle_id: str) -> None:
        """Raise ExportBlockedError if the export would be refused; the GUI can ask before asking for secrets."""
        blocking = self.blocking_findings(bundle_id)
        if blocking:
            raise ExportBlockedError(findings=tuple(blocking), count=len(blocking))
        dist = self.distribution(bundle_id)
        if not dist.within_targets and not self.justification(bundle_id).strip():
            raise ExportBlockedError(
                "workspace.justification_required",
                bands=[r.label for r in dist.over_target], over=sum(r.over_by for r in dist.over_target),
            )

    def export_output(self, bundle_id: str, out_path: str | Path | None = None, *, overwrite: bool = False) -> Path:
        """The checked output path of an export (``OutputPathError`` when it cannot be written).

        The default path in the app's folder is replaced by each revision. A named path is
        replaced only with ``overwrite`` or when the file there is one this assignment exported.
        """
        if out_path is None:
            out = self.default_export_path(bundle_id)
            out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            return prepare_output(out, overwrite=True)
        out = Path(out_path)
        return prepare_output(out, overwrite=overwrite or self._is_own_export(bundle_id, out))

    def _is_own_export(self, bundle_id: str, path: Path) -> bool:
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 2 * MAX_MANIFEST_BYTES:
                return False
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return False
        return self.store.conn.execute(
            "SELECT 1 FROM exports WHERE bundle_id = ? AND digest = ?", (bundle_id, digest)).fetchone() is not None

    def export(self, bundle_id: str, out_path: str | Path | None = None, passphrase: str | None = None,
               *, overwrite: bool = False) -> ExportOutcome:
        """Write the next revision of the signed, encrypted result bundle.

        Refused (ExportBlockedError) while blocking findings remain or the 視点2 distribution
        is off the round's targets without a justification. A passed deadline does not stop
        the export; a notice says so. ``overwrite``: replace an existing file at ``out_path``
        the user chose to replace (see ``export_output``).
        """
        from .. import bundles as bundle_api  # cryptography: loaded only when exporting

        info = self.round_info(bundle_id)
        self.export_blockers(bundle_id)
        dist = self.distribution(bundle_id)
        out = self.export_output(bundle_id, out_path, overwrite=overwrite)
        opened = self._open_bundle(bundle_id, passphrase)  # type: ignore[attr-defined]
        reviewer_key = bundle_api.reviewer_key_for(opened, passphrase)
        remove_stale_temps(out)

        with write_transaction(self.store) as conn:
            (old_rev,) = conn.execute("SELECT result_revision FROM bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
            revision = old_rev + 1
            conn.execute("UPDATE bundles SET result_revision = ? WHERE bundle_id = ?", (revision, bundle_id))
            append_event(conn, at=now_iso(), field="export.revision", old=str(old_rev), new=str(revision),
                         bundle_id=bundle_id)
            head = audit_head(conn)

        conflicts = self.conflicts(bundle_id)
        proposals = []
        for pid in self.proposal_ids(bundle_id):
            if pid in conflicts:
                proposals.append(ResultProposal(pid, (), True, conflicts[pid]))
                continue
            entries = self.entries(bundle_id, pid)
            proposals.append(ResultProposal(pid, tuple(
                ResultEntry(e.item_id, e.mark, e.figure, e.comment, e.unjudgeable, e.unjudgeable_reason)
                for item in info.rubric.items if (e := entries.get(item.id)) is not None
            )))
        created = now_iso()
        payload = ResultPayload(
            bundle_id=bundle_id, round_id=info.round_id, reviewer_id=info.reviewer_id,
            rubric_digest=info.rubric.digest, revision=revision, proposals=tuple(proposals),
            # Only a distribution that needs one carries the justification: a stale text
            # for a distribution since brought within targets would mislead the panel.
            distribution_justification="" if dist.within_targets else self.justification(bundle_id),
            audit_digest=head, created_at=created, started_at=info.unlocked_at,
        )
        try:
            digest = bundle_api.build_result_bundle(opened, payload, reviewer_key, out)
        except OSError as exc:  # e.g. the disk filled up while writing: the old file is still in place
            raise output_error(out, exc) from None

        with write_transaction(self.store) as conn:
            conn.execute(
                "INSERT INTO exports (bundle_id, revision, digest, path, exported_at, audit_head) VALUES (?,?,?,?,?,?)",
                (bundle_id, revision, digest, str(out), created, head),
            )
            append_event(conn, at=created, field="export", old=None,
                         new=json.dumps({"revision": revision, "digest": digest, "path": str(out)}, ensure_ascii=False),
                         bundle_id=bundle_id)
        return ExportOutcome(bundle_id, revision, out, digest, head, self.deadline_notices(info))

    def export_history(self, bundle_id: str) -> list[ExportRecord]:
        self._bundle(bundle_id)
        return [ExportRecord(*r) for r in self.store.conn.execute(
            "SELECT revision, digest, path, exported_at, audit_head FROM exports WHERE bundle_id = ? ORDER BY revision",
            (bundle_id,))]

    def changed_since_export(self, bundle_id: str) -> bool:
        """True when something that is exported changed after the last export (or none was made).

        Uses the audit head the export carried (schema v2); exports recorded by a v1 database
        lack it, and their own ``export`` audit event marks the point instead.
        """
        conn = self.store.conn
        last = conn.execute("SELECT audit_head FROM exports WHERE bundle_id = ? ORDER BY revision DESC LIMIT 1",
                            (bundle_id,)).fetchone()
        if last is None:
            return True
        row = None
        if last[0] is not None:
            row = conn.execute("SELECT seq FROM audit WHERE hash = ?", (last[0],)).fetchone()
        if row is None:
            row = conn.execute("SELECT max(seq) FROM audit WHERE bundle_id = ? AND field = 'export'",
                               (bundle_id,)).fetchone()
        later = conn.execute(
            # Not exported: the private note, the 「利害関係なし」 answer, the export events themselves.
            "SELECT 1 FROM audit WHERE bundle_id = ? AND seq > ?"
            " AND field NOT IN ('note', 'no_conflict', 'export', 'export.revision')"
            " LIMIT 1", (bundle_id, row[0] or 0)).fetchone()
        return later is not None
