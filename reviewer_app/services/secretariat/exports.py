"""Writing a round's views and documents: CSV, Excel, the panel material and the decision tables.

Every output follows the one rule (``core.atomic.check_output_path``): a regular file is
replaced only when asked (``overwrite``, the CLI's ``--force``), anything else never, and no
folder is created; the file appears atomically. Each export is an audited action (what, where,
its SHA-256), because it carries confidential scores out of the application.

The panel material is the existing sheet renderer (``core/sheets/panel.py``) fed with the
imported, verified results: each reviewer's entries as signed, the result file's SHA-256 in
the footer, the reviewer key fingerprint that signed it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ...core.atomic import atomic_output, check_output_path
from ...core.errors import SecretariatError
from ...core.scoring import Entry
from ...core.secretariat import audit
from ...core.secretariat.tabular import write_csv, write_xlsx
from ...core.store import write_transaction
from ...i18n import tr
from .base import now_iso
from .model import WrittenFile
from .views import VIEWS, ViewsMixin

if TYPE_CHECKING:
    from ...core.sheets.render import SheetPdf


class _Hashing:
    """A write-through file object that hashes what passes (the audit log records the digest)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.h = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.h.update(data)
        return self.fh.write(data)


class ExportsMixin(ViewsMixin):
    def _log_export(self, round_id: str, kind: str, path: Path, digest: str, **detail: object) -> None:
        at = now_iso()
        with write_transaction(self.store) as conn:
            audit.record(conn, at=at, actor=self.actor, action="export.written", round_id=round_id, subject=kind,
                         detail={"file": str(path), "sha256": digest, **detail})

    def export_csv(self, round_id: str, view: str, path: str | Path, *, overwrite: bool = False) -> WrittenFile:
        """One view as CSV (UTF-8 with BOM, so Excel opens it in Japanese)."""
        out = check_output_path(path, overwrite=overwrite)
        sheet = self.view(round_id, view)
        with atomic_output(out) as fh:
            hashing = _Hashing(fh)
            rows = write_csv(hashing, sheet)  # type: ignore[arg-type]  # file-like: write() is all it needs
        self._log_export(round_id, f"csv:{view}", out, hashing.h.hexdigest(), rows=rows)
        return WrittenFile(out, rows=rows)

    def export_xlsx(self, round_id: str, path: str | Path, *, overwrite: bool = False,
                    views: Sequence[str] = VIEWS) -> WrittenFile:
        """The chosen views (default: all) as one Excel workbook, a sheet per view."""
        out = check_output_path(path, overwrite=overwrite)
        unknown = [v for v in views if v not in VIEWS]
        if unknown:
            raise SecretariatError("secretariat.export.unknown_view", view=unknown[0], known=", ".join(VIEWS))
        agg = self.aggregate(round_id)
        sheets = [self.view(round_id, v, agg) for v in views]
        with atomic_output(out) as fh:
            hashing = _Hashing(fh)
            counts = write_xlsx(hashing, sheets)  # type: ignore[arg-type]
        self._log_export(round_id, "xlsx", out, hashing.h.hexdigest(), sheets=list(views))
        return WrittenFile(out, rows=sum(counts.values()))

    # --- documents ----------------------------------------------------------------

    def panel_document(self, round_id: str) -> SheetPdf:
        """合議審査資料 (ranking, then every proposal's matrix and comments) from the current verified results."""
        from ...core.sheets import (
            ProposalInfo,
            ReviewerInfo,
            ReviewerResult,
            SheetContext,
            VerifiedResult,
            render_panel,
        )

        rec = self.round(round_id)
        rubric = self.rubric(round_id)
        metas = {p.meta.proposal_id: p.meta for p in self.proposals(round_id)}
        names = {r.reviewer_id: r.name for r in self.reviewers(round_id)}
        results = []
        for r in self.reviews(round_id):
            m = metas[r.proposal_id]
            info = ProposalInfo(m.proposal_id, m.title, m.institution, m.institution_type, m.region)
            entries = tuple(Entry(e.item_id, e.mark, e.comment, e.unjudgeable, e.reason, e.figure) for e in r.entries)
            results.append(VerifiedResult(ReviewerInfo(r.reviewer_id, names.get(r.reviewer_id, ""), r.reviewer_key),
                                          ReviewerResult(info, entries, r.coi, r.coi_reason, r.file_digest)))
        if not results:
            raise SecretariatError("secretariat.export.no_results", round=round_id)
        ctx = SheetContext(rec.title, round_id, rubric, dict(rec.band_targets))
        return render_panel(ctx, results)

    def decision_tables_document(self, round_id: str) -> SheetPdf:
        """The decision tables with the document-review mean and rank, notes, recorders and the balance."""
        from ...core.secretariat.decisions import current
        from ...core.secretariat.tables_pdf import ProposalLine, render_decision_tables

        rec = self.round(round_id)
        rubric = self.rubric(round_id)
        agg = {s.proposal_id: s for s in self.aggregate(round_id).proposals}
        lines = [ProposalLine(p.meta.proposal_id, p.meta.title, p.meta.institution, p.meta.institution_type, p.meta.region,
                              agg[p.meta.proposal_id].total.mean, agg[p.meta.proposal_id].rank)
                 for p in self.proposals(round_id)]
        history = self.decisions(round_id, history=True)
        changes: dict[tuple[str, str], int] = {}
        for d in history:
            changes[(d.proposal_id, d.table_id)] = changes.get((d.proposal_id, d.table_id), 0) + 1
        balances = {t: self.balance(round_id, t) for t in self.selecting_tables(round_id)}
        return render_decision_tables(rubric, round_id, rec.title, lines, current(history), changes, balances)

    def _write_pdf(self, round_id: str, kind: str, pdf: SheetPdf, out: Path, overwrite: bool) -> WrittenFile:
        data = pdf.data
        check_output_path(out, overwrite=overwrite)  # time has passed while rendering
        with atomic_output(out) as fh:
            fh.write(data)
        self._log_export(round_id, kind, out, hashlib.sha256(data).hexdigest(), pages=pdf.pages)
        warnings = tuple(tr(f"sheets.warning.{w.code}", **w.params) for w in pdf.warnings)
        return WrittenFile(out, pages=pdf.pages, warnings=warnings)

    def panel_pdf(self, round_id: str, path: str | Path, *, overwrite: bool = False) -> WrittenFile:
        out = check_output_path(path, overwrite=overwrite)
        return self._write_pdf(round_id, "pdf:panel", self.panel_document(round_id), out, overwrite)

    def decision_tables_pdf(self, round_id: str, path: str | Path, *, overwrite: bool = False) -> WrittenFile:
        out = check_output_path(path, overwrite=overwrite)
        return self._write_pdf(round_id, "pdf:decisions", self.decision_tables_document(round_id), out, overwrite)
