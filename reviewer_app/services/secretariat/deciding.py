"""Recording decisions (表1–表4 in 2009) with time, note and who recorded them; changes kept as history.

The table and its options come from the round's rubric; which proposals a later table may
decide follows the stage rule in ``core/secretariat/decisions.py`` (表2/表3 after 表1 ○, 表4
after 表3 ○ or △). A new record never replaces an old one: the latest is current, the
others are the history the decision view and the exports show.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.errors import SecretariatError
from ...core.secretariat import audit, decisions_repo
from ...core.secretariat.decisions import (
    Balance,
    Decision,
    balance,
    check_eligible,
    current,
    resolve_option,
    resolve_table,
)
from ...core.store import write_transaction
from .base import SecretariatBase, now_iso

MAX_NOTE_CHARS = 4000


class DecidingMixin(SecretariatBase):
    def record_decision(self, round_id: str, proposal_id: str, table: str, code: str, *, note: str = "",
                        by: str | None = None) -> Decision:
        """Record one decision; ``table`` as ``table1``, ``表1`` or ``1``; ``code`` as the table's symbol (o/x/t accepted)."""
        rubric = self.rubric(round_id)
        t = resolve_table(rubric, table)
        value = resolve_option(t, code)
        who = (by if by is not None else self.actor).strip()
        if not who:
            raise SecretariatError("secretariat.decision.no_recorder")
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            raise SecretariatError("secretariat.decision.note_too_long", length=len(note), limit=MAX_NOTE_CHARS)
        at = now_iso()
        with write_transaction(self.store) as conn:
            if conn.execute("SELECT 1 FROM proposals WHERE round_id = ? AND proposal_id = ?",
                            (round_id, proposal_id)).fetchone() is None:
                raise SecretariatError("secretariat.unknown_proposal", proposal=proposal_id, round=round_id)
            now = current(decisions_repo.decisions(conn, round_id))
            check_eligible(rubric, t.id, proposal_id, now)
            before = now.get((proposal_id, t.id))
            if before is not None and before.code == value and before.note == note:
                return before
            d = decisions_repo.insert_decision(conn, round_id=round_id, proposal_id=proposal_id, table_id=t.id, code=value,
                                               note=note, recorded_by=who, at=at)
            audit.record(conn, at=at, actor=self.actor, action="decision.recorded", round_id=round_id, subject=proposal_id,
                         detail={"table": t.id, "code": value, "note": note, "by": who,
                                 "previous": before.code if before else None})
        return d

    def decisions(self, round_id: str, *, history: bool = False) -> list[Decision]:
        """Current decisions (one per proposal and table), or with ``history`` every record, oldest first."""
        self.round(round_id)
        with self.store.lock:
            rows = decisions_repo.decisions(self.conn, round_id)
        return rows if history else sorted(current(rows).values(), key=lambda d: (d.table_id, d.proposal_id))

    def balance(self, round_id: str, table: str = "table1", codes: Sequence[str] = ()) -> Balance:
        """地域 and 国公私 counts among the proposals with ``codes`` (default: every option but the table's last, "no")."""
        rubric = self.rubric(round_id)
        t = resolve_table(rubric, table)
        chosen = tuple(resolve_option(t, c) for c in codes) or tuple(o.code for o in t.options[:-1])
        with self.store.lock:
            props = {r[0]: (r[1], r[2]) for r in self.conn.execute(
                "SELECT proposal_id, region, institution_type FROM proposals WHERE round_id = ? ORDER BY position",
                (round_id,))}
            now = current(decisions_repo.decisions(self.conn, round_id))
        return balance(t.id, chosen, props, now)

    def selecting_tables(self, round_id: str) -> list[str]:
        """Tables whose options select proposals (○/×, ○/△/×), i.e. where balance matters; grading tables (a–d) excluded."""
        rubric = self.rubric(round_id)
        from ...core.secretariat.decisions import stages

        out = []
        for group in stages(rubric):
            out.append(group[-1].id)  # the last table of a stage is the one that gates (or ends) the flow
        return out
