"""The rubric: one definition that drives the forms, validation, import checks and sheets.

A rubric is a TOML file (format described in ``docs/rubric-format.md``), read and validated
by :mod:`.rubric_load`. Nothing in the code names a particular 審査項目: the 2009 criteria
are only data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import EntryError


@dataclass(frozen=True)
class Mark:
    """One step of a scale: a grade (a–d) or a level (5…1)."""

    code: str
    label: str
    fraction: Decimal
    #: For level scales: the lowest figure ÷ 基準数 ratio that suggests this level.
    min_ratio: Decimal | None = None


@dataclass(frozen=True)
class Scale:
    id: str
    kind: str  # "grade" or "level"
    title: str
    marks: tuple[Mark, ...]  # best first
    comment_required: frozenset[str]
    unjudgeable_mark: str

    def mark(self, code: str) -> Mark | None:
        for m in self.marks:
            if m.code == code:
                return m
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.marks)

    def suggest(self, ratio: Decimal) -> Mark:
        """The level a figure ÷ 基準数 ratio suggests (level scales only)."""
        for m in self.marks:
            if m.min_ratio is not None and ratio >= m.min_ratio:
                return m
        return self.marks[-1]


@dataclass(frozen=True)
class Basis:
    """The 基準数 a 5-level item is judged against."""

    count: Decimal
    counts: str  # what is counted, in the rubric's language
    unit: str
    document_ref: str


@dataclass(frozen=True)
class FigureCheck:
    """A figure a 観点 names and the level it asks a proposal to reach, as data.

    E.g. 2-⑤ 観点② 「留学生比率を20%を目安に少なくとも10%」: ``figure`` names the number
    (the key under which the proposal's metadata and the reviewer's entry carry it),
    ``compare`` is ``">="`` (at least) or ``"<="`` (at most), ``level`` the 水準 the criteria
    require, ``target`` the optional 目安 beyond it. ``strict`` says the criteria call for a
    厳しい評価 of a plan that misses the level. A check only reminds: it never sets a grade.
    """

    figure: str
    item_id: str
    perspective: str  # the label of the 観点 it belongs to, e.g. 観点②
    title: str  # what the figure is, in the rubric's language
    compare: str
    level: Decimal
    target: Decimal | None
    unit: str
    strict: bool

    def reaches(self, value: Decimal, bound: Decimal) -> bool:
        """Whether ``value`` satisfies the comparison against ``bound`` (level or target)."""
        return value >= bound if self.compare == ">=" else value <= bound


@dataclass(frozen=True)
class Perspective:
    """One 観点, verbatim, with the figure checks it declares."""

    label: str
    text: str
    checks: tuple[FigureCheck, ...] = ()


@dataclass(frozen=True)
class Item:
    id: str
    viewpoint_id: str
    group_id: str
    label: str
    title: str
    points: Decimal
    scale_id: str
    description: str
    perspectives: tuple[Perspective, ...]
    notes: tuple[str, ...]
    document_refs: tuple[str, ...]
    basis: Basis | None

    @property
    def checks(self) -> tuple[FigureCheck, ...]:
        """Every figure check of the item's 観点, in document order."""
        return tuple(c for p in self.perspectives for c in p.checks)


@dataclass(frozen=True)
class Group:
    id: str
    viewpoint_id: str
    parent_id: str | None
    label: str
    title: str
    points: Decimal


@dataclass(frozen=True)
class Viewpoint:
    id: str
    label: str
    title: str
    points: Decimal


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    min_points: Decimal
    #: Default target share (0–1) of proposals allowed in this band, if any.
    target_share: Decimal | None


@dataclass(frozen=True)
class BandSet:
    viewpoint_id: str
    bands: tuple[Band, ...]  # highest first

    def place(self, total: Decimal) -> Band:
        for b in self.bands:
            if total >= b.min_points:
                return b
        return self.bands[-1]


@dataclass(frozen=True)
class DecisionOption:
    code: str
    label: str


@dataclass(frozen=True)
class DecisionTable:
    id: str
    stage: str
    title: str
    options: tuple[DecisionOption, ...]


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    issuer: str
    issued: str
    total_points: Decimal
    guidance: tuple[str, ...]
    assumptions: tuple[str, ...]
    scales: Mapping[str, Scale]
    viewpoints: tuple[Viewpoint, ...]
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    bands: BandSet | None
    decision_tables: tuple[DecisionTable, ...]
    source_name: str
    #: SHA-256 of the exact bytes the rubric was loaded from (bundles embed those bytes).
    digest: str
    source_bytes: bytes = field(repr=False, compare=False)
    _items_by_id: Mapping[str, Item] = field(repr=False, compare=False, default_factory=dict)
    # Indexes built once so walks over the tree stay linear in the rubric's size.
    _items_by_group: Mapping[str, tuple[Item, ...]] = field(repr=False, compare=False, default_factory=dict)
    _groups_by_parent: Mapping[tuple[str, str | None], tuple[Group, ...]] = field(
        repr=False, compare=False, default_factory=dict
    )
    _checks_by_figure: Mapping[str, FigureCheck] = field(repr=False, compare=False, default_factory=dict)
    _items_by_viewpoint: Mapping[str, tuple[Item, ...]] = field(repr=False, compare=False, default_factory=dict)
    _viewpoints_by_id: Mapping[str, Viewpoint] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        by_group: dict[str, list[Item]] = {}
        by_viewpoint: dict[str, list[Item]] = {}
        for i in self.items:
            by_group.setdefault(i.group_id, []).append(i)
            by_viewpoint.setdefault(i.viewpoint_id, []).append(i)
        object.__setattr__(self, "_items_by_viewpoint", {k: tuple(v) for k, v in by_viewpoint.items()})
        object.__setattr__(self, "_viewpoints_by_id", {v.id: v for v in self.viewpoints})
        by_parent: dict[tuple[str, str | None], list[Group]] = {}
        for g in self.groups:
            by_parent.setdefault((g.viewpoint_id, g.parent_id), []).append(g)
        object.__setattr__(self, "_items_by_group", {k: tuple(v) for k, v in by_group.items()})
        object.__setattr__(self, "_groups_by_parent", {k: tuple(v) for k, v in by_parent.items()})
        object.__setattr__(self, "_checks_by_figure", {c.figure: c for i in self.items for c in i.checks})
        if not self._items_by_id:
            object.__setattr__(self, "_items_by_id", {i.id: i for i in self.items})

    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise EntryError("entry.unknown_item", item=item_id) from None

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def scale_of(self, item: Item) -> Scale:
        return self.scales[item.scale_id]

    def viewpoint(self, viewpoint_id: str) -> Viewpoint:
        return self._viewpoints_by_id[viewpoint_id]

    def items_of(self, viewpoint_id: str) -> tuple[Item, ...]:
        return self._items_by_viewpoint.get(viewpoint_id, ())

    def groups_of(self, viewpoint_id: str, parent_id: str | None = None) -> tuple[Group, ...]:
        return self._groups_by_parent.get((viewpoint_id, parent_id), ())

    def items_in_group(self, group_id: str) -> tuple[Item, ...]:
        return self._items_by_group.get(group_id, ()) if group_id else ()

    @property
    def figure_checks(self) -> tuple[FigureCheck, ...]:
        """Every figure check of every item, in document order."""
        return tuple(self._checks_by_figure.values())

    def figure_check(self, name: str) -> FigureCheck:
        try:
            return self._checks_by_figure[name]
        except KeyError:
            raise EntryError("entry.unknown_figure", figure=name, known=", ".join(self._checks_by_figure) or "—") from None

    def display_label(self, item: Item) -> str:
        """E.g. ``視点1 ①``: how the criteria and the sheets name an item."""
        return f"{self.viewpoint(item.viewpoint_id).label} {item.label}"

    def decision_table(self, table_id: str) -> DecisionTable:
        for t in self.decision_tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


def _fmt(d: Decimal) -> str:
    """Points as people write them: 50, 12.5."""
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def format_points(d: Decimal) -> str:
    return _fmt(d)


def iter_item_tree(rubric: Rubric) -> Iterator[tuple[int, Viewpoint | Group | Item]]:
    """Walk viewpoints, groups and items in document order with their depth (for views and sheets)."""

    # An explicit stack, not recursion: the loader bounds the depth, but a walk must never
    # be the thing that fails on a deep tree.
    for v in rubric.viewpoints:
        yield 0, v
        for i in rubric.items_of(v.id):
            if not i.group_id:
                yield 1, i
        stack: list[tuple[int, Group]] = [(1, g) for g in reversed(rubric.groups_of(v.id))]
        while stack:
            depth, g = stack.pop()
            yield depth, g
            for i in rubric.items_in_group(g.id):
                yield depth + 1, i
            stack.extend((depth + 1, c) for c in reversed(rubric.groups_of(g.viewpoint_id, g.id)))


# The loader lives in its own module; importing it here keeps ``core.rubric.load_rubric``
# the one public entry point.
from .rubric_load import (  # noqa: E402
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_RUBRIC_BYTES,
    load_rubric,
    load_rubric_bytes,
)

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "MAX_RUBRIC_BYTES", "Band", "BandSet", "Basis", "DecisionOption",
    "DecisionTable", "FigureCheck", "Group", "Item", "Mark", "Perspective", "Rubric", "Scale", "Viewpoint",
    "format_points", "iter_item_tree", "load_rubric", "load_rubric_bytes",
]
