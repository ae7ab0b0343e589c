"""Decision tables as the rubric lists them: names, options, the stage rule, the balance counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewer_app.core.errors import SecretariatError
from reviewer_app.core.secretariat.decisions import (
    Decision,
    balance,
    check_eligible,
    current,
    prerequisite,
    resolve_option,
    resolve_table,
)


def d(n: int, pid: str, table: str, code: str) -> Decision:
    return Decision(n, pid, table, code, "", "委員長", f"2009-07-0{n}T10:00:00+00:00")


def test_tables_by_id_title_or_number(rubric):
    assert resolve_table(rubric, "table1").id == "table1"
    assert resolve_table(rubric, "表3").id == "table3"
    assert resolve_table(rubric, "４").id == "table4"  # full-width digit as typed on a Japanese keyboard
    with pytest.raises(SecretariatError) as exc:
        resolve_table(rubric, "表9")
    assert exc.value.code == "secretariat.decision.unknown_table"


def test_options_by_symbol_or_ascii_stand_in(rubric):
    assert resolve_option(resolve_table(rubric, "表1"), "o") == "○"
    assert resolve_option(resolve_table(rubric, "表1"), "x") == "×"
    assert resolve_option(resolve_table(rubric, "表3"), "t") == "△"
    assert resolve_option(resolve_table(rubric, "表2"), "b") == "b"
    with pytest.raises(SecretariatError):
        resolve_option(resolve_table(rubric, "表1"), "t")  # △ is not an option of 表1


def test_the_stage_rule_reads_the_rubric(rubric):
    assert prerequisite(rubric, "table1") is None
    gate, codes = prerequisite(rubric, "table2")
    assert gate.id == "table1" and codes == ("○",)
    gate, codes = prerequisite(rubric, "table4")
    assert gate.id == "table3" and codes == ("○", "△")


def test_eligibility_follows_the_current_decision(rubric):
    history = [d(1, "P1", "table1", "○"), d(2, "P2", "table1", "○"), d(3, "P2", "table1", "×")]
    now = current(history)
    check_eligible(rubric, "table2", "P1", now)
    with pytest.raises(SecretariatError) as exc:
        check_eligible(rubric, "table3", "P2", now)  # changed to × later
    assert exc.value.params["actual"] == "×"
    with pytest.raises(SecretariatError):
        check_eligible(rubric, "table4", "P1", now)


def test_balance_counts_regions_and_types_of_the_selected():
    proposals = {"P1": ("関東", "国立"), "P2": ("関東", "私立"), "P3": ("近畿", "公立"), "P4": ("九州", "国立")}
    now = current([d(1, "P1", "table1", "○"), d(2, "P3", "table1", "○"), d(3, "P4", "table1", "×")])
    b = balance("table1", ("○",), proposals, now)
    assert (b.selected, b.applicants) == (2, 4)
    regions = {r.key: (r.selected, r.share, r.applicants) for r in b.by_region}
    assert regions == {"関東": (1, Decimal("0.5"), 2), "近畿": (1, Decimal("0.5"), 1), "九州": (0, 0, 1)}
    types = {r.key: (r.selected, r.applicants) for r in b.by_type}
    assert types == {"国立": (1, 2), "公立": (1, 1), "私立": (0, 1)}
