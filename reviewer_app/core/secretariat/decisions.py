"""Decisions after the document review, driven by the rubric's decision tables (表1–表4 in 2009).

The criteria's flow, stated once and read from the rubric's data rather than from table names:
tables are grouped into stages in the rubric's order (合議審査 → ヒアリング審査 → プログラム委員会).
Every proposal may be decided in the first stage; a proposal enters a later stage only while
its current decision on the *last table of the previous stage* is not that table's last
option (options are listed best first, and the last is always "no": ×). With the 2009 rubric:
表2 and 表3 (the hearing) need 表1 ○; 表4 needs 表3 ○ or △.

Balance (地域配置・国公私バランス, which 合議審査, 表3 and 表4 must weigh) is counted over the
proposals holding a chosen set of codes, beside all proposals of the round.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..bundle.model import INSTITUTION_TYPES
from ..errors import SecretariatError
from ..rubric import DecisionTable, Rubric

#: ASCII stand-ins a script can type for the criteria's symbols (used only when the table has the symbol).
ALIASES = {"o": "○", "〇": "○", "◯": "○", "x": "×", "✕": "×", "✗": "×", "t": "△", "^": "△"}


@dataclass(frozen=True)
class Decision:
    decision_id: int
    proposal_id: str
    table_id: str
    code: str
    note: str
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class BalanceRow:
    key: str  # a region, or 国立/公立/私立
    selected: int
    share: Decimal  # selected ÷ all selected (0 when none)
    applicants: int  # proposals of the round with this key
    applicant_share: Decimal


@dataclass(frozen=True)
class Balance:
    table_id: str
    codes: tuple[str, ...]
    selected: int
    applicants: int
    by_region: tuple[BalanceRow, ...]
    by_type: tuple[BalanceRow, ...]


def resolve_table(rubric: Rubric, text: str) -> DecisionTable:
    """A table by id (``table1``), title (``表1``) or number (``1``)."""
    t = unicodedata.normalize("NFKC", text).strip()
    for table in rubric.decision_tables:
        if t in (table.id, unicodedata.normalize("NFKC", table.title)) or t == table.id.removeprefix("table"):
            return table
    raise SecretariatError("secretariat.decision.unknown_table", table=text,
                           known=", ".join(f"{x.title}（{x.id}）" for x in rubric.decision_tables))


def resolve_option(table: DecisionTable, text: str) -> str:
    codes = [o.code for o in table.options]
    t = text.strip()
    if t in codes:
        return t
    alias = ALIASES.get(t.lower(), ALIASES.get(t))
    if alias in codes:
        return str(alias)
    raise SecretariatError("secretariat.decision.unknown_option", table=table.title, code=text, allowed=" ".join(codes))


def stages(rubric: Rubric) -> list[list[DecisionTable]]:
    out: list[list[DecisionTable]] = []
    for t in rubric.decision_tables:
        if out and out[-1][0].stage == t.stage:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def prerequisite(rubric: Rubric, table_id: str) -> tuple[DecisionTable, tuple[str, ...]] | None:
    """(table, codes that let a proposal in) for ``table_id``; None for a first-stage table."""
    groups = stages(rubric)
    for n, group in enumerate(groups):
        if any(t.id == table_id for t in group):
            if n == 0:
                return None
            gate = groups[n - 1][-1]
            return gate, tuple(o.code for o in gate.options[:-1])
    raise SecretariatError("secretariat.decision.unknown_table", table=table_id,
                           known=", ".join(t.id for t in rubric.decision_tables))


def current(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """The latest decision per (proposal, table): later records replace earlier ones, which stay as history."""
    out: dict[tuple[str, str], Decision] = {}
    for d in sorted(decisions, key=lambda d: d.decision_id):
        out[(d.proposal_id, d.table_id)] = d
    return out


def check_eligible(rubric: Rubric, table_id: str, proposal_id: str, now: Mapping[tuple[str, str], Decision]) -> None:
    gate = prerequisite(rubric, table_id)
    if gate is None:
        return
    table, codes = gate
    d = now.get((proposal_id, table.id))
    if d is None or d.code not in codes:
        raise SecretariatError("secretariat.decision.not_eligible", proposal=proposal_id, table=table_id,
                               gate=table.title, needed=" ".join(codes), actual=d.code if d else "—")


def balance(table_id: str, codes: Sequence[str], proposals: Mapping[str, tuple[str, str]],
            now: Mapping[tuple[str, str], Decision]) -> Balance:
    """Counts and shares per region and per 国立/公立/私立 among proposals whose current ``table_id`` code is in ``codes``.

    ``proposals`` maps proposal id → (region, institution type), for the whole round.
    """
    chosen = [pid for pid in proposals if (d := now.get((pid, table_id))) is not None and d.code in codes]

    def rows(index: int, order: Sequence[str]) -> tuple[BalanceRow, ...]:
        keys = list(order) + sorted({v[index] for v in proposals.values()} - set(order))
        out = []
        for k in keys:
            sel = sum(1 for pid in chosen if proposals[pid][index] == k)
            app = sum(1 for v in proposals.values() if v[index] == k)
            if not sel and not app:
                continue
            out.append(BalanceRow(k, sel, Decimal(sel) / len(chosen) if chosen else Decimal(0), app,
                                  Decimal(app) / len(proposals) if proposals else Decimal(0)))
        return tuple(out)

    regions_in_order = list(dict.fromkeys(v[0] for v in proposals.values()))
    return Balance(table_id, tuple(codes), len(chosen), len(proposals), rows(0, regions_in_order),
                   rows(1, INSTITUTION_TYPES))
