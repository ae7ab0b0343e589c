"""The scoring and validation engine: pure functions from a rubric and entries to results.

Everything the form, the export check, the import check and the printed sheet need to
know about one proposal's entries is computed here, once, so that they cannot disagree.
In particular the criteria's rule for an unjudgeable entry (「評点を「d」とし」) is applied
here: an unjudgeable entry *is* graded with the scale's lowest mark, whatever else it holds,
for every consumer (totals, bands, sheets, import, aggregation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum

from .checks import CheckResult, CheckStatus, check_detail, check_item
from .errors import EntryError
from .figures import MAX_FIGURE, check_figure, to_figure
from .rubric import Item, Mark, Rubric, Scale

ZERO = Decimal(0)

__all__ = [
    "MAX_FIGURE", "SEVERITY", "ZERO", "Entry", "Finding", "FindingCode", "ItemResult", "ProposalResult", "Severity",
    "apply_unjudgeable", "blocking_codes", "check_entry", "effective_mark", "has_text", "mark_points", "ratio_of",
    "score_proposal", "suggest_mark", "to_figure",
]


class Severity(StrEnum):
    BLOCKING = "blocking"  # export is refused while it remains
    REMINDER = "reminder"  # shown, never blocks


class FindingCode(StrEnum):
    MISSING_GRADE = "missing_grade"
    COMMENT_REQUIRED = "comment_required"  # a or d (per the scale's rule) without a comment
    UNJUDGEABLE_REASON_REQUIRED = "unjudgeable_reason_required"
    UNJUDGEABLE_GRADE_MISMATCH = "unjudgeable_grade_mismatch"  # another grade stored beside the flag
    COMMENT_RECOMMENDED = "comment_recommended"  # other grades without a comment
    LEVEL_DIFFERS_FROM_FIGURE = "level_differs_from_figure"  # uncommented override of the suggestion
    FIGURE_BELOW_LEVEL = "figure_below_level"  # a 観点's figure misses its 水準
    FIGURE_BELOW_LEVEL_STRICT = "figure_below_level_strict"  # … and the criteria ask for 厳しい評価
    FIGURE_BELOW_TARGET = "figure_below_target"  # reaches the 水準, not the 目安


SEVERITY: Mapping[FindingCode, Severity] = {
    FindingCode.MISSING_GRADE: Severity.BLOCKING,
    FindingCode.COMMENT_REQUIRED: Severity.BLOCKING,
    FindingCode.UNJUDGEABLE_REASON_REQUIRED: Severity.BLOCKING,
    FindingCode.UNJUDGEABLE_GRADE_MISMATCH: Severity.BLOCKING,
    FindingCode.COMMENT_RECOMMENDED: Severity.REMINDER,
    FindingCode.LEVEL_DIFFERS_FROM_FIGURE: Severity.REMINDER,
    # A figure check never blocks and never grades: the reviewer decides.
    FindingCode.FIGURE_BELOW_LEVEL: Severity.REMINDER,
    FindingCode.FIGURE_BELOW_LEVEL_STRICT: Severity.REMINDER,
    FindingCode.FIGURE_BELOW_TARGET: Severity.REMINDER,
}


@dataclass(frozen=True)
class Entry:
    """What a reviewer entered for one 審査項目 of one proposal.

    ``mark`` is the code of a grade (``"a"``…``"d"``) or a level (``"5"``…``"1"``);
    ``figure`` is the number from the proposal a level item is judged on (e.g. the
    average count of degrees awarded), if the reviewer recorded it. ``named_figures``
    holds the figures the item's 観点 checks name (e.g. the planned 留学生比率), by the
    rubric's figure name.
    """

    item_id: str
    mark: str | None = None
    comment: str = ""
    unjudgeable: bool = False
    unjudgeable_reason: str = ""
    figure: Decimal | None = None
    named_figures: Mapping[str, Decimal] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Finding:
    item_id: str
    code: FindingCode
    severity: Severity
    #: What a message needs: ``mark`` (the grade given or the one expected), ``suggested``;
    #: for figure checks ``perspective``, ``figure_title``, ``value``, ``level``, ``target``,
    #: ``unit``, ``compare`` (see ``services.rubrics.finding_params``).
    detail: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    #: The effective mark: the scale's lowest when unjudgeable (forced), else the one entered.
    mark: str | None
    points: Decimal | None  # None until graded
    max_points: Decimal
    unjudgeable: bool
    suggested_mark: str | None  # level items with a figure
    ratio: Decimal | None  # figure ÷ 基準数
    #: The mark as entered (may differ from ``mark`` when the entry is unjudgeable).
    entered_mark: str | None = None
    #: The item's 観点 figure checks, with the figure compared and where it came from.
    checks: tuple[CheckResult, ...] = ()


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


def mark_points(item: Item, mark: Mark) -> Decimal:
    """The points an item scores with a mark: its points × the mark's fraction (what every total adds up)."""
    return item.points * mark.fraction


def ratio_of(item: Item, figure: Decimal | None) -> Decimal | None:
    """figure ÷ 基準数, for display; suggestions compare exactly (see :func:`_suggest`)."""
    if figure is None or item.basis is None:
        return None
    return figure / item.basis.count


def _suggest(item: Item, scale: Scale, figure: Decimal) -> str:
    """The best level whose threshold the figure reaches: figure ≥ min_ratio × 基準数, exactly.

    Comparing with the product instead of dividing keeps ``509.99999999999999999`` below
    1.5 × 340 = 510, where a rounded quotient would reach 1.5.
    """
    assert item.basis is not None
    count = item.basis.count
    with localcontext() as ctx:
        ctx.prec = 200  # products of a rubric's short decimals are exact at this precision
        for m in scale.marks:
            if m.min_ratio is not None and figure >= m.min_ratio * count:
                return m.code
    return scale.marks[-1].code


def suggest_mark(rubric: Rubric, item_id: str, figure: Decimal | int | float | str | None) -> str | None:
    """The level a figure suggests for a 5-level item (None for a–d items or no figure)."""
    item = rubric.item(item_id)
    scale = rubric.scale_of(item)
    if scale.kind != "level" or item.basis is None or figure is None:
        return None
    return _suggest(item, scale, to_figure(figure))


def effective_mark(scale: Scale, entry: Entry | None) -> str | None:
    """The mark that counts: an unjudgeable entry is graded with the scale's unjudgeable mark."""
    if entry is None:
        return None
    return scale.unjudgeable_mark if entry.unjudgeable else entry.mark


def check_entry(rubric: Rubric, entry: Entry) -> None:
    """Refuse an entry that cannot be stored at all (unknown item, mark off the scale, bad figure).

    Everything else — a missing comment, a missing reason — is a finding, not an error,
    because a reviewer must be able to save work in progress.
    """
    item = rubric.item(entry.item_id)
    scale = rubric.scale_of(item)
    if entry.mark is not None and scale.mark(entry.mark) is None:
        raise EntryError("entry.unknown_mark", item=entry.item_id, mark=entry.mark, allowed=", ".join(scale.codes))
    if entry.figure is not None:
        if scale.kind != "level":
            raise EntryError("entry.figure_not_applicable", item=entry.item_id)
        check_figure(entry.figure)
    if entry.named_figures:
        own = {c.figure for c in item.checks}
        for name, value in entry.named_figures.items():
            if name not in own:
                rubric.figure_check(name)  # unknown anywhere: entry.unknown_figure
                raise EntryError("entry.figure_of_other_item", item=entry.item_id, figure=name,
                                 owner=rubric.figure_check(name).item_id)
            check_figure(value)


def apply_unjudgeable(rubric: Rubric, entry: Entry, unjudgeable: bool, reason: str = "") -> Entry:
    """Mark an entry (un)judgeable: marking forces the scale's unjudgeable grade."""
    scale = rubric.scale_of(rubric.item(entry.item_id))
    if unjudgeable:
        return Entry(entry.item_id, scale.unjudgeable_mark, entry.comment, True, reason, entry.figure,
                     entry.named_figures)
    return Entry(entry.item_id, entry.mark, entry.comment, False, "", entry.figure, entry.named_figures)


def _item_findings(
    scale: Scale, entry: Entry | None, suggested: str | None
) -> list[tuple[FindingCode, dict[str, str]]]:
    if entry is None or (entry.mark is None and not entry.unjudgeable):
        return [(FindingCode.MISSING_GRADE, {})]
    out: list[tuple[FindingCode, dict[str, str]]] = []
    commented = has_text(entry.comment)
    if entry.unjudgeable:
        # The reason is the comment the criteria ask for (「その具体的な理由を必ず記入」).
        if not has_text(entry.unjudgeable_reason):
            out.append((FindingCode.UNJUDGEABLE_REASON_REQUIRED, {}))
        # The grade is forced either way; a different grade stored beside the flag is a
        # contradiction in the data the reviewer must resolve before it is submitted.
        if entry.mark is not None and entry.mark != scale.unjudgeable_mark:
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


def blocking_codes(scale: Scale, mark: str | None, commented: bool, unjudgeable: bool,
                   reason_given: bool) -> tuple[FindingCode, ...]:
    """The blocking findings ``score_proposal`` reports for one entry, in its order.

    They depend on nothing else: the scale, the mark, whether the comment and the
    unjudgeable reason have text (``has_text``) and the flag. A figure only chooses between
    two reminders. The import asks this once per distinct combination instead of scoring
    every entry (``core/secretariat/payload_check.py``).
    """
    entry = Entry("", mark, "x" if commented else "", unjudgeable, "x" if reason_given else "")
    return tuple(code for code, _ in _item_findings(scale, entry, None) if SEVERITY[code] is Severity.BLOCKING)


def _check_findings(results: tuple[CheckResult, ...]) -> list[tuple[FindingCode, dict[str, str]]]:
    out: list[tuple[FindingCode, dict[str, str]]] = []
    for r in results:
        if r.status is CheckStatus.BELOW_LEVEL:
            code = FindingCode.FIGURE_BELOW_LEVEL_STRICT if r.check.strict else FindingCode.FIGURE_BELOW_LEVEL
            out.append((code, check_detail(r)))
        elif r.status is CheckStatus.BELOW_TARGET:
            out.append((FindingCode.FIGURE_BELOW_TARGET, check_detail(r)))
    return out


def score_proposal(
    rubric: Rubric,
    entries: Iterable[Entry],
    proposal_figures: Mapping[str, Decimal] | None = None,
) -> ProposalResult:
    """Points, totals, completeness, band and findings for one proposal's entries.

    ``proposal_figures`` are the named figures the proposal's metadata carries (the
    secretariat's reading of the 構想調書); a figure the reviewer recorded in an entry wins.
    Two entries for the same item are refused: which one counts would be a guess.
    """
    by_item: dict[str, Entry] = {}
    for e in entries:
        check_entry(rubric, e)
        if e.item_id in by_item:
            raise EntryError("entry.duplicate_item", item=e.item_id)
        by_item[e.item_id] = e
    from_proposal: dict[str, Decimal] = {}
    for name, value in (proposal_figures or {}).items():
        rubric.figure_check(name)
        from_proposal[name] = check_figure(value)

    results: list[ItemResult] = []
    findings: list[Finding] = []
    totals: dict[str, Decimal] = {v.id: ZERO for v in rubric.viewpoints}
    graded_all: dict[str, bool] = {v.id: True for v in rubric.viewpoints}
    for item in rubric.items:
        scale = rubric.scale_of(item)
        entry = by_item.get(item.id)
        figure = entry.figure if entry else None
        ratio = ratio_of(item, figure)
        suggested = _suggest(item, scale, figure) if figure is not None and item.basis is not None else None
        mark_code = effective_mark(scale, entry)
        points = None
        if mark_code is not None:
            mark = scale.mark(mark_code)
            assert mark is not None
            points = mark_points(item, mark)
            totals[item.viewpoint_id] += points
        else:
            graded_all[item.viewpoint_id] = False
        checks = check_item(item.checks, entry.named_figures if entry else {}, from_proposal)
        results.append(
            ItemResult(
                item.id, mark_code, points, item.points, bool(entry and entry.unjudgeable), suggested, ratio,
                entry.mark if entry else None, checks,
            )
        )
        for code, detail in _item_findings(scale, entry, suggested) + _check_findings(checks):
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
