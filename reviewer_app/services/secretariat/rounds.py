"""Setting up a round from a folder, and seeing where every round stands."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import RoundSetupError, SecretariatError
from ...core.rubric import Rubric, load_rubric
from ...core.secretariat import audit, decisions_repo, results_repo, rounds_repo
from ...core.secretariat.setup import read_setup
from ...core.secretariat.setup_model import RoundSetup
from ...core.store import write_transaction
from ..rubrics import DEFAULT_RUBRIC_ID, load_shipped_rubric, shipped_rubric_paths
from ..workspace.base import deadline_passed
from .base import SecretariatBase, now_iso
from .model import ReviewerState, ReviewerStatus, RoundOverview, RoundSummary, SetupCheck, SetupOutcome


def load_round_rubric(name: str, folder: Path) -> tuple[str, Rubric]:
    """``rubric =`` in round.toml: a shipped rubric's id (default: the 2009 criteria) or a path inside the folder."""
    if not name:
        return DEFAULT_RUBRIC_ID, load_shipped_rubric()
    if name in shipped_rubric_paths():
        return name, load_shipped_rubric(name)
    return name, load_rubric(folder / name)


def check_setup(folder: str | Path) -> tuple[SetupCheck, RoundSetup | None]:
    """Validate a setup folder without storing anything: (report, the setup or None)."""
    setup, problems = read_setup(folder, load_round_rubric)
    if setup is None:
        return SetupCheck(Path(folder), None, tuple(problems)), None
    return SetupCheck(Path(folder), setup.round_id, tuple(problems), len(setup.proposals), len(setup.reviewers),
                      len(setup.assignments), len(setup.conflicts)), setup


class RoundsMixin(SecretariatBase):
    def check_setup(self, folder: str | Path) -> SetupCheck:
        return check_setup(folder)[0]

    def setup_round(self, folder: str | Path, *, update: bool = False) -> SetupOutcome:
        """Validate the folder and store the round; every problem at once in ``RoundSetupError``.

        A round id that exists is refused unless ``update``; an update keeps issued bundles,
        results and decisions, but may not change the rubric once bundles were issued (their
        results are checked against the rubric they carried).
        """
        check, setup = check_setup(folder)
        if setup is None or not check.ok:
            raise RoundSetupError(problems=check.problems, count=len(check.errors), folder=str(folder))
        at = now_iso()
        with write_transaction(self.store) as conn:
            existing = rounds_repo.load_round(conn, setup.round_id)
            if existing is not None and not update:
                raise SecretariatError("secretariat.round_exists", round=setup.round_id)
            if existing is None and update:
                raise SecretariatError("secretariat.unknown_round", round=setup.round_id, known="—")
            live = results_repo.current_issued(conn, setup.round_id)
            if existing is not None and existing.rubric_digest != setup.rubric.digest and live:
                raise SecretariatError("secretariat.rubric_changed_after_issue", round=setup.round_id)
            rounds_repo.save_round(conn, setup, at, update=existing is not None)
            audit.record(conn, at=at, actor=self.actor, action="round.updated" if existing else "round.created",
                         round_id=setup.round_id, subject=str(setup.folder),
                         detail={"rubric_digest": setup.rubric.digest, "proposals": len(setup.proposals),
                                 "reviewers": len(setup.reviewers), "assignments": len(setup.assignments),
                                 "conflicts": len(setup.conflicts)})
        stale = tuple(r for r, rec in live.items() if set(rec.proposal_ids) != set(setup.proposals_of(r)))
        return SetupOutcome(setup.round_id, existing is not None, check, setup.rubric.digest, stale)

    def rounds(self) -> list[RoundSummary]:
        with self.store.lock:
            return [self._summary(r.round_id) for r in rounds_repo.list_rounds(self.conn)]

    def _summary(self, round_id: str) -> RoundSummary:
        rec = self.round(round_id)
        c = self.conn

        def count(sql: str) -> int:
            return int(c.execute(sql, (round_id,)).fetchone()[0])

        return RoundSummary(
            round_id, rec.title, rec.deadline, rec.rubric_name,
            count("SELECT count(*) FROM proposals WHERE round_id = ?"),
            count("SELECT count(*) FROM reviewers WHERE round_id = ?"),
            count("SELECT count(*) FROM assignments WHERE round_id = ?"),
            count("SELECT count(*) FROM issued WHERE round_id = ? AND superseded_at IS NULL"),
            count("SELECT count(*) FROM issued WHERE round_id = ? AND superseded_at IS NULL AND current_result IS NOT NULL"),
            len({(d.proposal_id, d.table_id) for d in decisions_repo.decisions(c, round_id)}),
        )

    def overview(self, round_id: str) -> RoundOverview:
        """The round with each reviewer's state: not issued, issued, returned (revision), overdue, needs re-issue."""
        with self.store.lock:
            rec = self.round(round_id)
            summary = self._summary(round_id)
            assigned: dict[str, list[str]] = {}
            for r, p in rounds_repo.assignments(self.conn, round_id):
                assigned.setdefault(r, []).append(p)
            live = results_repo.current_issued(self.conn, round_id)
            out = []
            late = bool(rec.deadline and deadline_passed(rec.deadline))
            for rv in rounds_repo.reviewers(self.conn, round_id):
                props = tuple(assigned.get(rv.reviewer_id, ()))
                b = live.get(rv.reviewer_id)
                if not props:
                    state = ReviewerState.NO_ASSIGNMENT
                elif b is None:
                    state = ReviewerState.NOT_ISSUED
                elif set(b.proposal_ids) != set(props):
                    state = ReviewerState.NEEDS_REISSUE
                elif b.current_result is not None:
                    state = ReviewerState.RETURNED
                else:
                    state = ReviewerState.ISSUED
                overdue = late and state in (ReviewerState.ISSUED, ReviewerState.NOT_ISSUED, ReviewerState.NEEDS_REISSUE)
                out.append(ReviewerStatus(rv.reviewer_id, rv.name, len(props), state, b.bundle_id if b else None,
                                          b.issued_at if b else None, b.current_revision if b else None, overdue))
        return RoundOverview(summary, tuple(out))

    def audit_log(self, round_id: str | None = None) -> list[audit.SecretariatEvent]:
        with self.store.lock:
            return audit.events(self.conn, round_id)

    def verify_audit(self) -> tuple[int, str]:
        """(events, head) after recomputing the whole chain; ``AuditChainError`` if anything was altered."""
        with self.store.lock:
            return audit.verify(self.conn)
