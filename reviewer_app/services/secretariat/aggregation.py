"""Aggregation views of a round: per proposal, per reviewer, the ranking, full reviews, the history.

The figures come from ``core/secretariat/aggregate.py`` (methods documented there and in
``docs/secretariat.md``) over the per-review totals the import computed with the scoring
engine; full reviews (every item's grade, points, comment and unjudgeable flag) are read on
demand, one proposal or the whole round, in the rubric's item order.
"""

from __future__ import annotations

from ...core.secretariat import results_repo, rounds_repo
from ...core.secretariat.aggregate import RoundAggregate, aggregate
from ...core.secretariat.setup_model import ConflictSetup, ReviewerSetup
from .base import SecretariatBase


class AggregationMixin(SecretariatBase):
    def proposals(self, round_id: str) -> list[rounds_repo.ProposalRecord]:
        self.round(round_id)
        with self.store.lock:
            return rounds_repo.proposals(self.conn, round_id)

    def reviewers(self, round_id: str) -> list[ReviewerSetup]:
        self.round(round_id)
        with self.store.lock:
            return rounds_repo.reviewers(self.conn, round_id)

    def assignments(self, round_id: str) -> list[tuple[str, str]]:
        self.round(round_id)
        with self.store.lock:
            return rounds_repo.assignments(self.conn, round_id)

    def conflicts(self, round_id: str) -> list[ConflictSetup]:
        self.round(round_id)
        with self.store.lock:
            return rounds_repo.conflicts(self.conn, round_id)

    def issued(self, round_id: str, *, current_only: bool = False) -> list[results_repo.IssuedRecord]:
        self.round(round_id)
        with self.store.lock:
            return results_repo.issued_in_round(self.conn, round_id, current_only=current_only)

    def aggregate(self, round_id: str) -> RoundAggregate:
        """Every figure of the aggregation view (current results × current assignments)."""
        rec = self.round(round_id)
        rubric = self.rubric(round_id)
        with self.store.lock:
            proposal_ids = [r[0] for r in self.conn.execute(
                "SELECT proposal_id FROM proposals WHERE round_id = ? ORDER BY position", (round_id,))]
            reviewer_ids = [r.reviewer_id for r in rounds_repo.reviewers(self.conn, round_id)]
            pairs = rounds_repo.assignments(self.conn, round_id)
            scores = results_repo.current_scores(self.conn, round_id)
            revisions = {b.reviewer_id: int(b.current_revision) for b in
                         results_repo.current_issued(self.conn, round_id).values() if b.current_revision is not None}
        return aggregate(rubric, proposal_ids, reviewer_ids, pairs, scores, rec.band_targets, revisions)

    def reviews(self, round_id: str, proposal_id: str | None = None) -> list[results_repo.ReviewRecord]:
        """Full current reviews (entries in rubric order) of the round or of one proposal, for views and documents."""
        rubric = self.rubric(round_id)
        order = {item.id: n for n, item in enumerate(rubric.items)}
        with self.store.lock:
            assigned = set(rounds_repo.assignments(self.conn, round_id))
            rows = results_repo.current_reviews(self.conn, round_id, rubric, proposal_id)
        from dataclasses import replace

        return [replace(r, entries=tuple(sorted(r.entries, key=lambda e: order.get(e.item_id, len(order)))))
                for r in rows if (r.reviewer_id, r.proposal_id) in assigned]

    def justifications(self, round_id: str) -> dict[str, str]:
        """Each reviewer's reason for a 視点2 distribution over the targets, from their current result.

        Why: the reviewer writes it when exporting over target and the import checks it is
        there; the clerk reads it beside the reviewer's distribution. Only reviewers whose
        current result carries a text are keys (a distribution within the targets carries none).
        """
        self.round(round_id)
        with self.store.lock:
            rows = self.conn.execute(
                "SELECT i.reviewer_id, r.justification FROM issued i JOIN results r ON r.result_id = i.current_result"
                " WHERE i.round_id = ? AND i.superseded_at IS NULL", (round_id,)).fetchall()
        return {str(reviewer): str(text) for reviewer, text in rows if str(text).strip()}

    def result_history(self, round_id: str) -> list[results_repo.ResultHistoryRow]:
        """Every imported revision of every bundle of the round, the current one marked."""
        self.round(round_id)
        with self.store.lock:
            return results_repo.result_history(self.conn, round_id)
