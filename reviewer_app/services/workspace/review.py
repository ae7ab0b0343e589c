"""What the reviewer sees about their work: status, findings, the 視点2 distribution, history.

Every answer comes from the rubric engine (``core.scoring``, ``core.distribution``), the
same code the export check and the secretariat's import check use, so the form, the
export and the import cannot disagree about what blocks.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.distribution import Distribution, distribution
from ...core.rubric import format_points
from ...core.scoring import FindingCode, ProposalResult, Severity, score_proposal
from ...core.store import ChainStatus, verify_chain
from ...core.store.audit import AuditEvent, iter_events
from .base import WorkspaceBase
from .model import ProposalFinding, ProposalRow, ProposalStatus


class ReviewMixin(WorkspaceBase):
    def proposal_result(self, bundle_id: str, proposal_id: str) -> ProposalResult:
        info = self.round_info(bundle_id)
        entries = self.entries(bundle_id, proposal_id).values()
        return score_proposal(info.rubric, entries, self._proposal_figures(bundle_id, proposal_id))

    def _proposal_figures(self, bundle_id: str, proposal_id: str) -> dict[str, Decimal]:
        """The 観点-check figures of the proposal's metadata (known while the bundle is open here)."""
        meta = self._proposal_metas(bundle_id).get(proposal_id)
        return dict(getattr(meta, "named_figures", None) or {})

    def findings(self, bundle_id: str, proposal_id: str | None = None) -> list[ProposalFinding]:
        """Findings for one proposal, or for every proposal without a declared conflict."""
        ids = [proposal_id] if proposal_id is not None else self.proposal_ids(bundle_id)
        conflicted = self.conflicts(bundle_id)
        out = []
        for pid in ids:
            if pid in conflicted:
                continue
            out.extend(ProposalFinding(pid, f) for f in self.proposal_result(bundle_id, pid).findings)
        return out

    def blocking_findings(self, bundle_id: str) -> list[ProposalFinding]:
        return [f for f in self.findings(bundle_id) if f.finding.severity is Severity.BLOCKING]

    def proposals(self, bundle_id: str) -> list[ProposalRow]:
        """Every assigned proposal with its status, in the secretariat's order."""
        info = self.round_info(bundle_id)
        conflicted = self.conflicts(bundle_id)
        metas = self._proposal_metas(bundle_id)
        rows = []
        for pos, pid in enumerate(self.proposal_ids(bundle_id)):
            entries = self.entries(bundle_id, pid)
            result = score_proposal(info.rubric, entries.values(), self._proposal_figures(bundle_id, pid))
            graded = sum(1 for r in result.items if r.mark is not None or r.unjudgeable)
            blocking = result.blocking
            if pid in conflicted:
                status = ProposalStatus.CONFLICT
            elif not any(_touched(e) for e in entries.values()):
                status = ProposalStatus.NOT_STARTED
            elif any(f.code is not FindingCode.MISSING_GRADE for f in blocking):
                status = ProposalStatus.BLOCKING
            elif blocking:
                status = ProposalStatus.IN_PROGRESS
            else:
                status = ProposalStatus.COMPLETE
            meta = metas.get(pid)
            rows.append(ProposalRow(
                pid, pos, status, graded, len(info.rubric.items), len(blocking),
                None if pid in conflicted else format_points(result.total),
                getattr(meta, "title", None), getattr(meta, "institution", None),
            ))
        return rows

    def _proposal_metas(self, bundle_id: str) -> dict[str, object]:
        opened = self._open.get(bundle_id)
        if opened is None:
            return {}
        return {m.proposal_id: m for m in opened.proposals}

    def distribution(self, bundle_id: str) -> Distribution:
        """The reviewer's banded-viewpoint totals (complete, unconflicted proposals) against the round's targets."""
        info = self.round_info(bundle_id)
        conflicted = self.conflicts(bundle_id)
        banded = info.rubric.bands.viewpoint_id if info.rubric.bands else None
        totals = []
        for pid in self.proposal_ids(bundle_id):
            if pid in conflicted:
                continue
            result = self.proposal_result(bundle_id, pid)
            if result.band_id is not None and banded is not None:
                totals.append(result.viewpoint_totals[banded])
        return distribution(info.rubric, totals, info.band_targets)

    def verify_audit(self) -> ChainStatus:
        """Recompute the whole change history's hash chain (raises AuditChainError if broken)."""
        with self.store.lock:
            return verify_chain(self.store.conn)

    def audit_events(self, bundle_id: str | None = None) -> list[AuditEvent]:
        with self.store.lock:
            return iter_events(self.store.conn, bundle_id)


def _touched(entry: object) -> bool:
    return bool(
        getattr(entry, "mark", None) or getattr(entry, "comment", "") or getattr(entry, "unjudgeable", False)
        or getattr(entry, "figure", None) is not None or getattr(entry, "named_figures", None)
    )
