"""The scoring and validation engine: pure functions from a rubric and entries to results.

Everything the form, the export check, the import check and the printed sheet need to
know about one proposal's entries is computed here, once, so that they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .errors import EntryError
from .rubric import Item, Rubric, Scale

ZERO = Decimal(0)
#: No count in a proposal comes near this; larger input is a typo, not a figure.
MAX_FIGURE = Decimal(10) ** 9


class Severity(StrEnum):
    BLOCKING = "blocking"  # export is refused while it remains
    REMINDER = "reminder"  # shown, never blocks


class FindingCode(StrEnum):
    MISSING_GRADE = "missing_grade"
    COMMENT_REQUIRED = "comment_required"  # a or d (per the scale's rule) without a comment
    UNJUDGEABLE_REASON_REQUIRED = "unjudgeable_reason_required"
    UNJUDGEABLE_GRADE_MISMATCH = "unjudgeable_grade_mismatch"
    COMMENT_RECOMMENDED = "comment_recommended"  # other grades without a comment
    LEVEL_DIFFERS_FROM_FIGURE = "level_differs_from_figure"  # uncommented override of the suggestion


SEVERITY: Mapping[FindingCode, Severity] = {
    FindingCode.MISSING_GRADE: Severity.BLOCKING,
    FindingCode.COMMENT_REQUIRED: Severity.BLOCKING,
    FindingCode.UNJUDGEABLE_REASON_REQUIRED: Severity.BLOCKING,
    FindingCode.UNJUDGEABLE_GRADE_MISMATCH: Severity.BLOCKING,
    FindingCode.COMMENT_RECOMMENDED: Severity.REMINDER,
    FindingCode.LEVEL_DIFFERS_FROM_FIGURE: Severity.REMINDER,
}


@dataclass(frozen=True)
class Entry:
    """What a reviewer entered for one 審査項目 of one proposal.

    ``mark`` is the code of a grade (``"a"``…``"d"``) or a level (``"5"``…``"1"``);
    ``figure`` is the number from the proposal a level item is judged on (e.g. the
    average count of degrees awarded), if the reviewer recorded it.
    """

    item_id: str
    mark: str | None = None
    comment: str = ""
    unjudgeable: bool = False
    unjudgeable_reason: str = ""
    figure: Decimal | None = None


@dataclass(frozen=True)
class Finding:
    item_id: str
    code: FindingCode
    severity: Severity
    #: What a message needs: ``mark`` (the grade given or the one expected), ``suggested``.
    detail: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    mark: str | None
    points: Decimal | None  # None until graded
    max_points: Decimal
    unjudgeable: bool
    suggested_mark: str | None  # level items with a figure
    ratio: Decimal | None  # figure ÷ 基準数


@dataclass(frozen=True)
class ProposalResult:
    items: tuple[ItemResult, ...]
    viewpoint_totals: Mapping[str, Decimal]  # points of graded items so far
    total: Decimal
    complete: bool  # every item graded
    findings: tuple[Finding, ...]
    #: Band of the banded viewpoint's total, once every item of that viewpoint is graded.
    band_id: str | None

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def reminders(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.REMINDER)

    def item(self, item_id: str) -> ItemResult:
        for r in self.items:
            if r.item_id == item_id:
                return r
        raise KeyError(item_id)


def has_text(s: str | None) -> bool:
    """A comment counts only if it has something besides (full-width) white space."""
    return bool(s and s.strip())


def ratio_of(item: Item, figure: Decimal | None) -> Decimal | None:
    if figure is None or item.basis is None:
        return None
    return figure / item.basis.count


def suggest_mark(rubric: Rubric, item_id: str, figure: Decimal | int | float | str | None) -> str | None:
    """The level a figure suggests for a 5-level item (None for a–d items or no figure)."""
    item = rubric.item(item_id)
    scale = rubric.scale_of(item)
    if scale.kind != "level" or figure is None:
        return None
    ratio = ratio_of(item, to_figure(figure))
    assert ratio is not None
    return scale.suggest(ratio).code


def to_figure(value: Decimal | int | float | str) -> Decimal:
    """Normalise a figure typed by a person (``"1,234"``, ``"340.5"``) or stored as a number."""
    if isinstance(value, Decimal):
        d = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            d = Decimal(text)
        except ArithmeticError:
            raise EntryError("entry.bad_figure", value=str(value)) from None
    if not d.is_finite() or d < 0 or d > MAX_FIGURE:
        raise EntryError("entry.bad_figure", value=str(value))
    return d


def check_entry(rubric: Rubric, entry: Entry) -> None:
    """Refuse an entry that cannot be stored at all (unknown item or mark off the scale).

    Everything else — a missing comment, a missing reason — is a finding, not an error,
    because a reviewer must be able to save work in progress.
    """
    item = rubric.item(entry.item_id)
    scale = rubric.scale_of(item)
    if entry.mark is not None and scale.mark(entry.mark) is None:
        raise EntryError("entry.unknown_mark", item=entry.item_id, mark=entry.mark, allowed=", ".join(scale.codes))
    if entry.figure is not None and scale.kind != "level":
        raise EntryError("entry.figure_not_applicable", item=entry.item_id)


def apply_unjudgeable(rubric: Rubric, entry: Entry, unjudgeable: bool, reason: str = "") -> Entry:
    """Mark an entry (un)judgeable: marking forces the scale's unjudgeable grade."""
    scale = rubric.scale_of(rubric.item(entry.item_id))
    if unjudgeable:
        return Entry(entry.item_id, scale.unjudgeable_mark, entry.comment, True, reason, entry.figure)
    return Entry(entry.item_id, entry.mark, entry.comment, False, "", entry.figure)


def _item_findings(
    item: Item, scale: Scale, entry: Entry | None, suggested: str | None
) -> list[tuple[FindingCode, dict[str, str]]]:
    if entry is None or (entry.mark is None and not entry.unjudgeable):
        return [(FindingCode.MISSING_GRADE, {})]
    out: list[tuple[FindingCode, dict[str, str]]] = []
    commented = has_text(entry.comment)
    if entry.unjudgeable:
        # The reason is the comment the criteria ask for (「その具体的な理由を必ず記入」).
        if not has_text(entry.unjudgeable_reason):
            out.append((FindingCode.UNJUDGEABLE_REASON_REQUIRED, {}))
        if entry.mark != scale.unjudgeable_mark:
            out.append((FindingCode.UNJUDGEABLE_GRADE_MISMATCH, {"mark": scale.unjudgeable_mark}))
        return out
    assert entry.mark is not None
    if entry.mark in scale.comment_required:
        if not commented:
            out.append((FindingCode.COMMENT_REQUIRED, {"mark": entry.mark}))
    elif not commented:
        if suggested is not None and entry.mark != suggested:
            out.append((FindingCode.LEVEL_DIFFERS_FROM_FIGURE, {"mark": entry.mark, "suggested": suggested}))
        else:
            out.append((FindingCode.COMMENT_RECOMMENDED, {"mark": entry.mark}))
    return out


def score_proposal(rubric: Rubric, entries: Iterable[Entry]) -> ProposalResult:
    """Points, totals, completeness, band and findings for one proposal's entries."""
    by_item: dict[str, Entry] = {}
    for e in entries:
        check_entry(rubric, e)
        by_item[e.item_id] = e

    results: list[ItemResult] = []
    findings: list[Finding] = []
    totals: dict[str, Decimal] = {v.id: ZERO for v in rubric.viewpoints}
    graded_all: dict[str, bool] = {v.id: True for v in rubric.viewpoints}
    for item in rubric.items:
        scale = rubric.scale_of(item)
        entry = by_item.get(item.id)
        ratio = ratio_of(item, entry.figure) if entry else None
        suggested = scale.suggest(ratio).code if ratio is not None and scale.kind == "level" else None
        points = None
        if entry is not None and entry.mark is not None:
            mark = scale.mark(entry.mark)
            assert mark is not None
            points = item.points * mark.fraction
            totals[item.viewpoint_id] += points
        else:
            graded_all[item.viewpoint_id] = False
        results.append(
            ItemResult(
                item.id, entry.mark if entry else None, points, item.points,
                bool(entry and entry.unjudgeable), suggested, ratio,
            )
        )
        for code, detail in _item_findings(item, scale, entry, suggested):
            findings.append(Finding(item.id, code, SEVERITY[code], detail))

    band_id = None
    if rubric.bands is not None and graded_all[rubric.bands.viewpoint_id]:
        band_id = rubric.bands.place(totals[rubric.bands.viewpoint_id]).id
    return ProposalResult(
        items=tuple(results),
        viewpoint_totals=totals,
        total=sum(totals.values(), ZERO),
        complete=all(graded_all.values()),
        findings=tuple(findings),
        band_id=band_id,
    )
