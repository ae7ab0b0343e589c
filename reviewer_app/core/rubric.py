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
class Perspective:
    """One 観点, verbatim."""

    label: str
    text: str


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
        for v in self.viewpoints:
            if v.id == viewpoint_id:
                return v
        raise KeyError(viewpoint_id)

    def items_of(self, viewpoint_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.viewpoint_id == viewpoint_id)

    def groups_of(self, viewpoint_id: str, parent_id: str | None = None) -> tuple[Group, ...]:
        return tuple(
            g for g in self.groups if g.viewpoint_id == viewpoint_id and g.parent_id == parent_id
        )

    def items_in_group(self, group_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.group_id == group_id)

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

    def walk_group(g: Group, depth: int) -> Iterator[tuple[int, Viewpoint | Group | Item]]:
        yield depth, g
        for i in rubric.items_in_group(g.id):
            yield depth + 1, i
        for c in rubric.groups_of(g.viewpoint_id, g.id):
            yield from walk_group(c, depth + 1)

    for v in rubric.viewpoints:
        yield 0, v
        for i in rubric.items:
            if i.viewpoint_id == v.id and not i.group_id:
                yield 1, i
        for g in rubric.groups_of(v.id):
            yield from walk_group(g, 1)


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
    "DecisionTable", "Group", "Item", "Mark", "Perspective", "Rubric", "Scale", "Viewpoint",
    "format_points", "iter_item_tree", "load_rubric", "load_rubric_bytes",
]
