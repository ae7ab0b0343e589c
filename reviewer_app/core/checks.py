"""The numeric 観点 checks: does a proposal's figure reach the level a 観点 names?

Several 観点 state figures a plan must reach (2-⑤ 観点② 留学生比率 目安20%・少なくとも10%,
1-④ 観点① 5カ国以上, …). The rubric declares them as :class:`FigureCheck` data; this module
compares a figure with them. The result is only ever a reminder to the reviewer — the
criteria leave the grade to the reviewer, and for 2-⑤ ask for 厳しい評価 of a plan below
the level, which the reminder says — never a grade by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .rubric import FigureCheck, format_points


class CheckStatus(StrEnum):
    UNKNOWN = "unknown"  # no figure recorded yet: nothing to compare
    BELOW_LEVEL = "below_level"  # misses the 水準 (最低 …)
    BELOW_TARGET = "below_target"  # reaches the level, not the 目安
    MET = "met"


class FigureSource(StrEnum):
    ENTRY = "entry"  # the reviewer recorded it
    PROPOSAL = "proposal"  # the secretariat's proposal metadata carries it


@dataclass(frozen=True)
class CheckResult:
    check: FigureCheck
    value: Decimal | None
    source: FigureSource | None
    status: CheckStatus


def evaluate(check: FigureCheck, value: Decimal | None) -> CheckStatus:
    """Where ``value`` stands against the check's level and 目安 (exact Decimal comparisons)."""
    if value is None:
        return CheckStatus.UNKNOWN
    if not check.reaches(value, check.level):
        return CheckStatus.BELOW_LEVEL
    if check.target is not None and not check.reaches(value, check.target):
        return CheckStatus.BELOW_TARGET
    return CheckStatus.MET


def check_item(
    checks: tuple[FigureCheck, ...],
    entry_figures: Mapping[str, Decimal],
    proposal_figures: Mapping[str, Decimal],
) -> tuple[CheckResult, ...]:
    """Every check of one item; the reviewer's figure wins over the proposal metadata's."""
    out = []
    for c in checks:
        if c.figure in entry_figures:
            value, source = entry_figures[c.figure], FigureSource.ENTRY
        elif c.figure in proposal_figures:
            value, source = proposal_figures[c.figure], FigureSource.PROPOSAL
        else:
            value, source = None, None
        out.append(CheckResult(c, value, source, evaluate(c, value)))
    return tuple(out)


def check_detail(result: CheckResult) -> dict[str, str]:
    """What a reminder message needs to show the figures (all strings, no prose)."""
    c = result.check
    return {
        "perspective": c.perspective,
        "figure": c.figure,
        "figure_title": c.title,
        "value": "" if result.value is None else format_points(result.value),
        "level": format_points(c.level),
        "target": "" if c.target is None else format_points(c.target),
        "unit": c.unit,
        "compare": c.compare,
        "source": "" if result.source is None else result.source.value,
    }
