"""Printing the score sheets and the summary from the workspace, tied to the last export.

A printed sheet is only worth signing if it provably shows the result that was sent. The
result bundle is encrypted to the secretariat, so the reviewer cannot read it back; what
ties paper to file is that the workspace has not changed since the export (the audit head
the export carried, ``changed_since_export``) and that the digest printed is the one the
export recorded — the SHA-256 of the whole file, the same ``VerifyReport.file_digest`` the
secretariat computes. When that does not hold (nothing exported, edited since, the file at
the export path replaced), the sheets are still printed, because a draft on paper helps a
reviewer check their work, but as drafts: no digest, a footer that says so, and a notice.

The key fingerprint printed is the one the secretariat's verifier reports: read from the
exported file's header when the file is still where the export wrote it and unchanged
(verification refuses a file whose header names another key), else from the reviewer's
own signing key. Nothing here creates a key or decrypts anything to disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.errors import KeyringUnavailableError, WorkspaceError
from ...core.sheets import (
    ProposalInfo,
    ReviewerInfo,
    ReviewerResult,
    SheetContext,
    SheetPdf,
    qr_payload,
    render_score_sheets,
    render_summary,
)
from ...core.sheets.score_sheet import score_footer
from ...core.sheets.summary import summary_footer
from ...lazy import lazy_module
from . import Notice, Workspace

bundle_api = lazy_module("reviewer_app.services.bundles")
key_service = lazy_module("reviewer_app.services.keys")


@dataclass(frozen=True)
class WorkspaceSheet:
    """A document printed from the workspace and what it can (or cannot) prove."""

    pdf: SheetPdf
    #: The export the sheet matches; None when printed as a draft.
    revision: int | None
    #: SHA-256 of that export's file as printed in every footer; "" for a draft.
    digest: str
    #: The reviewer signing-key fingerprint printed ("" when it could not be read without asking).
    key_fingerprint: str
    #: The QR code text of each section (one per score sheet, one for the summary).
    qr_payloads: tuple[str, ...]
    #: Why the sheet is a draft, or that titles were left out; shown with ``tr("warning." + code)``.
    notices: tuple[Notice, ...] = ()

    @property
    def draft(self) -> bool:
        return self.revision is None


@dataclass(frozen=True)
class _Prepared:
    ctx: SheetContext
    reviewer: ReviewerInfo
    results: tuple[ReviewerResult, ...]
    revision: int | None
    digest: str
    notices: tuple[Notice, ...]


def workspace_sheets(ws: Workspace, bundle_id: str, proposal_ids: Sequence[str] = (), passphrase: str | None = None,
                     *, ask_for_details: bool = False) -> WorkspaceSheet:
    """The score sheets (審査票) of the chosen proposals (default: all, in the secretariat's order).

    ``ask_for_details``: when titles and institutions need the passphrase, raise
    ``workspace.passphrase_required`` (so an interactive caller asks) instead of printing ids only.
    """
    prep = _prepare(ws, bundle_id, passphrase, ask_for_details)
    results = prep.results
    if proposal_ids:
        known = {r.proposal.proposal_id: r for r in results}
        for pid in proposal_ids:
            if pid not in known:
                raise WorkspaceError("workspace.unknown_proposal", bundle=bundle_id, proposal=pid)
        results = tuple(known[pid] for pid in dict.fromkeys(proposal_ids))
    pdf = render_score_sheets(prep.ctx, prep.reviewer, results)
    payloads = tuple(_qr(score_footer(prep.ctx, prep.reviewer, r)) for r in results)
    return WorkspaceSheet(pdf, prep.revision, prep.digest, prep.reviewer.key_fingerprint, payloads, prep.notices)


def workspace_summary(ws: Workspace, bundle_id: str, passphrase: str | None = None,
                      *, ask_for_details: bool = False) -> WorkspaceSheet:
    """The reviewer summary of every assigned proposal; its footer also names the result file."""
    prep = _prepare(ws, bundle_id, passphrase, ask_for_details)
    pdf = render_summary(prep.ctx, prep.reviewer, prep.results, file_digest=prep.digest)
    payload = _qr(summary_footer(prep.ctx, prep.reviewer, prep.results, prep.digest))
    return WorkspaceSheet(pdf, prep.revision, prep.digest, prep.reviewer.key_fingerprint, (payload,), prep.notices)


def _qr(footer: Any) -> str:
    return qr_payload(footer.qr_fields or ())


def _prepare(ws: Workspace, bundle_id: str, passphrase: str | None, ask_for_details: bool) -> _Prepared:
    info = ws.round_info(bundle_id)
    notices: list[Notice] = []
    history = ws.export_history(bundle_id)
    last = history[-1] if history else None
    state = "missing" if last is None else _file_state(Path(last.path), last.digest)
    if last is None:
        notices.append(Notice("workspace.sheet_not_exported", {"bundle": bundle_id}))
    elif ws.changed_since_export(bundle_id):
        notices.append(Notice("workspace.sheet_changed_since_export", {"revision": last.revision}))
    elif state == "differs":
        # E.g. a later export wrote the file but died before recording it: which one was sent is unknown.
        notices.append(Notice("workspace.sheet_export_file_differs", {"path": last.path, "revision": last.revision}))
    final = last is not None and not notices
    digest = last.digest if final and last is not None else ""
    # One signing key per assignment: even a draft can name it from the last export's file.
    exported_file = last.path if state == "same" and last is not None else None
    fingerprint = _fingerprint(bundle_id, exported_file, passphrase, required=final)

    metas = _metas(ws, bundle_id, passphrase, ask_for_details, notices)
    conflicts = ws.conflicts(bundle_id)
    results = []
    for pid in ws.proposal_ids(bundle_id):
        m = metas.get(pid)
        proposal = ProposalInfo(pid, m.title, m.institution, m.institution_type, m.region) if m else ProposalInfo(pid)
        if pid in conflicts:
            # Exactly what the export sends for a conflicted proposal: the declaration, no entries.
            results.append(ReviewerResult(proposal, (), True, conflicts[pid], digest, not final))
            continue
        entries = ws.entries(bundle_id, pid)
        ordered = tuple(e for item in info.rubric.items if (e := entries.get(item.id)) is not None)
        results.append(ReviewerResult(proposal, ordered, False, "", digest, not final))
    ctx = SheetContext(info.title, info.round_id, info.rubric, info.band_targets)
    reviewer = ReviewerInfo(info.reviewer_id, info.reviewer_name, fingerprint)
    return _Prepared(ctx, reviewer, tuple(results), last.revision if final and last else None, digest, tuple(notices))


def _file_state(path: Path, digest: str) -> str:
    """"same", "differs", or "missing" (moved to a USB stick or sent: the recorded digest still stands)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:  # gone or unreadable: nothing to compare, the recorded digest is what was written
        return "missing"
    return "same" if h.hexdigest() == digest else "differs"


def _fingerprint(bundle_id: str, exported_file: str | None, passphrase: str | None, *, required: bool) -> str:
    if exported_file is not None:
        # The file is byte for byte the one the export wrote and signed, so its header's signer is
        # the key the secretariat's verifier reports (it refuses a header naming another key).
        return bundle_api.inspect_bundle(exported_file).signer_fingerprint
    try:
        key = key_service.existing_reviewer_key(bundle_id, passphrase)
    except KeyringUnavailableError:
        if required:  # a final sheet without its fingerprint would prove half of what it claims
            raise WorkspaceError("workspace.passphrase_required", bundle=bundle_id) from None
        return ""
    return key.fingerprint if key is not None else ""


def _metas(ws: Workspace, bundle_id: str, passphrase: str | None, ask: bool, notices: list[Notice]) -> dict[str, Any]:
    ids = ws.proposal_ids(bundle_id)
    if not ids:
        return {}
    if passphrase is not None:
        ws.proposal_meta(bundle_id, ids[0], passphrase)  # opens the bundle once; later calls use it
    elif not ws.try_open(bundle_id):
        if ask:
            raise WorkspaceError("workspace.passphrase_required", bundle=bundle_id)
        notices.append(Notice("workspace.sheet_ids_only", {"bundle": bundle_id}))
        return {}
    return {pid: ws.proposal_meta(bundle_id, pid) for pid in ids}
