"""Reading and validating rubric files.

Loading validates everything and raises :class:`RubricError` naming the file, the place and
the problem, so a secretariat that edits a rubric learns exactly what to fix. Unknown fields
are errors, so a typo never silently drops a rule. Reading the bytes and typed access to
the TOML tables live in :mod:`.rubric_source`; every walk here is linear in the file's size
and none recurses, so a hostile file ends in a typed error at once.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import RubricError
from .figures import MAX_FIGURE
from .rubric import (
    Band,
    BandSet,
    Basis,
    DecisionOption,
    DecisionTable,
    FigureCheck,
    Group,
    Item,
    Mark,
    Perspective,
    Rubric,
    Scale,
    Viewpoint,
    format_points,
)
from .rubric_source import (
    MAX_RUBRIC_BYTES,
    TOP_LEVEL,
    Section,
    bad_character,
    parse_rubric_toml,
    read_rubric_file,
    require_unique_ids,
    require_unique_labels,
)

FORMAT_NAME = "reviewer-app-rubric"
FORMAT_VERSION = 1
SCALE_KINDS = ("grade", "level")
COMPARISONS = (">=", "<=")
#: Groups nest (a. → (a)); a chain deeper than this is a mistake, not a criteria document.
MAX_GROUP_DEPTH = 8
#: Figure names are keys in bundles, entries and the database: plain ASCII, no spaces.
_FIGURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "MAX_GROUP_DEPTH", "MAX_RUBRIC_BYTES", "load_rubric", "load_rubric_bytes"]


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric file (a regular file only; see :func:`read_rubric_file`)."""
    p = Path(path)
    return load_rubric_bytes(read_rubric_file(p), p.name)


def load_rubric_bytes(data: bytes, source_name: str = "<rubric>") -> Rubric:
    """Validate rubric bytes (e.g. embedded in a bundle); ``source_name`` names them in errors."""
    return _Builder(parse_rubric_toml(data, source_name), source_name, data).build()


class _Builder:
    def __init__(self, doc: dict[str, Any], file: str, raw: bytes) -> None:
        self.file = file
        self.raw = raw
        self.root = Section(doc, file, TOP_LEVEL)

    def sec(self, data: Any, where: str) -> Section:
        return Section(data, self.file, where)

    def build(self) -> Rubric:
        r = self.root
        r.only(
            "format", "format_version", "id", "title", "issuer", "issued", "total_points",
            "guidance", "assumptions", "scales", "viewpoints", "groups", "items", "bands",
            "decision_tables",
        )
        if r.data.get("format") != FORMAT_NAME:
            raise r.fail("not_a_rubric", expected=FORMAT_NAME)
        version = r.data.get("format_version")
        if version is None:
            raise r.fail("missing_field", field="format_version")
        # An integer, exactly: 1.0 or true is not a version this reader was written for.
        if type(version) is not int or version != FORMAT_VERSION:
            shown = str(version).lower() if isinstance(version, bool) else str(version)
            raise r.fail("unsupported_version", version=shown[:40], supported=FORMAT_VERSION)

        scales = self.scales(r.table("scales"))
        viewpoints = self.viewpoints(r.tables("viewpoints"))
        groups = self.groups(r.tables("groups", required=False), {v.id for v in viewpoints})
        items = self.items(r.tables("items"), scales, groups, viewpoints)
        total = r.positive("total_points")
        self.check_sums(total, viewpoints, groups, items)
        bands_data = r.table("bands", required=False)
        bands = self.bands(bands_data, {v.id: v for v in viewpoints}) if bands_data is not None else None
        tables = self.decision_tables(r.tables("decision_tables", required=False))

        return Rubric(
            id=r.text("id"),
            title=r.text("title"),
            issuer=r.text("issuer", required=False),
            issued=r.text("issued", required=False),
            total_points=total,
            guidance=r.texts("guidance", multiline=True),
            assumptions=r.texts("assumptions", multiline=True),
            scales=scales,
            viewpoints=tuple(viewpoints),
            groups=tuple(groups),
            items=tuple(items),
            bands=bands,
            decision_tables=tuple(tables),
            source_name=self.file,
            digest=hashlib.sha256(self.raw).hexdigest(),
            source_bytes=self.raw,
            _items_by_id={i.id: i for i in items},
        )

    # scales ---------------------------------------------------------------------------

    def scales(self, data: dict[str, Any]) -> dict[str, Scale]:
        if not data:
            raise self.root.fail("empty_field", field="scales")
        out: dict[str, Scale] = {}
        for sid, sdata in data.items():
            bad = bad_character(sid, multiline=False)
            if bad is not None:
                raise self.root.fail("control_character", field="scales", character=bad)
            s = self.sec(sdata, f"scales.{sid}")
            s.only("kind", "title", "marks", "comment_required", "unjudgeable_mark")
            kind = s.text("kind")
            if kind not in SCALE_KINDS:
                raise s.fail("unknown_scale_kind", kind=kind, known=", ".join(SCALE_KINDS))
            marks = []
            for n, mdata in enumerate(s.tables("marks")):
                m = self.sec(mdata, f"scales.{sid}.marks[{n}]")
                m.only("code", "label", "fraction", "min_ratio")
                code = m.text("code")
                fraction = m.number("fraction")
                assert fraction is not None
                if not (0 <= fraction <= 1):
                    raise m.fail("fraction_out_of_range", value=str(fraction))
                min_ratio = m.number("min_ratio", required=(kind == "level"))
                if kind == "grade" and min_ratio is not None:
                    raise m.fail("unknown_field", field="min_ratio")
                if min_ratio is not None and min_ratio < 0:
                    raise m.fail("non_monotonic_thresholds", value=str(min_ratio))
                marks.append(Mark(code, m.text("label"), fraction, min_ratio))
            if len(marks) < 2:
                raise s.fail("too_few_marks", count=len(marks))
            require_unique_ids(self.file, [m.code for m in marks], "mark")
            for better, worse in itertools.pairwise(marks):
                if worse.fraction > better.fraction:
                    raise s.fail("non_monotonic_fractions", mark=worse.code)
                if kind == "level":
                    assert better.min_ratio is not None and worse.min_ratio is not None
                    if worse.min_ratio >= better.min_ratio:
                        raise s.fail("non_monotonic_thresholds", mark=worse.code)
            if kind == "level" and marks[-1].min_ratio != 0:
                raise s.fail("lowest_threshold_not_zero", mark=marks[-1].code)
            codes = {m.code for m in marks}
            required = s.texts("comment_required")
            for c in required:
                if c not in codes:
                    raise s.fail("unknown_mark", mark=c, field="comment_required")
            unj = s.text("unjudgeable_mark")
            if unj not in codes:
                raise s.fail("unknown_mark", mark=unj, field="unjudgeable_mark")
            # The criteria grade an unjudgeable entry d (「評点を「d」とし」): the scale's lowest.
            if unj != marks[-1].code:
                raise s.fail("unjudgeable_not_lowest", mark=unj, lowest=marks[-1].code)
            out[sid] = Scale(sid, kind, s.text("title"), tuple(marks), frozenset(required), unj)
        return out

    # structure ------------------------------------------------------------------------

    def viewpoints(self, data: list[Any]) -> list[Viewpoint]:
        out = []
        for n, vdata in enumerate(data):
            v = self.sec(vdata, f"viewpoints[{n}]")
            vid = v.text("id")
            v.where = f"viewpoint {vid}"
            v.only("id", "label", "title", "points")
            out.append(Viewpoint(vid, v.text("label"), v.text("title"), v.positive("points")))
        require_unique_ids(self.file, [v.id for v in out], "viewpoint")
        require_unique_labels(self.file, "viewpoints", [v.label for v in out], "viewpoint")
        return out

    def groups(self, data: list[Any], viewpoint_ids: set[str]) -> list[Group]:
        raw: list[tuple[Section, str, str | None, str | None]] = []
        for n, gdata in enumerate(data):
            g = self.sec(gdata, f"groups[{n}]")
            gid = g.text("id")
            g.where = f"group {gid}"
            g.only("id", "viewpoint", "parent", "label", "title", "points")
            vp = g.text("viewpoint", required=False) or None
            parent = g.text("parent", required=False) or None
            if (vp is None) == (parent is None):
                raise g.fail("group_parent", field="viewpoint/parent")
            if vp is not None and vp not in viewpoint_ids:
                raise g.fail("unknown_reference", field="viewpoint", value=vp)
            raw.append((g, gid, vp, parent))
        require_unique_ids(self.file, [gid for _, gid, _, _ in raw], "group")
        by_id = {gid: (vp, parent) for _, gid, vp, parent in raw}
        resolved: dict[str, tuple[str, int]] = {}  # group id -> (viewpoint, depth)

        def resolve(gid: str) -> tuple[str, int]:
            # Follow parents up to a resolved group or a viewpoint, then fill in the chain:
            # every group is visited once, so the whole walk is linear (no recursion).
            chain: list[str] = []
            on_chain: set[str] = set()
            cur = gid
            while cur not in resolved:
                vp, parent = by_id[cur]
                if vp is not None:
                    resolved[cur] = (vp, 1)
                    break
                assert parent is not None
                if parent not in by_id:
                    raise RubricError("rubric.unknown_reference", file=self.file, where=f"group {cur}",
                                      field="parent", value=parent)
                if parent in on_chain or parent == cur:
                    raise RubricError("rubric.group_cycle", file=self.file, where=f"group {cur}")
                chain.append(cur)
                on_chain.add(cur)
                cur = parent
            vp_id, depth = resolved[cur]
            for child in reversed(chain):
                depth += 1
                if depth > MAX_GROUP_DEPTH:
                    raise RubricError("rubric.too_deep", file=self.file, where=f"group {child}")
                resolved[child] = (vp_id, depth)
            return resolved[gid]

        out = []
        for g, gid, _vp, parent in raw:
            points = g.positive("points")
            out.append(Group(gid, resolve(gid)[0], parent, g.text("label"), g.text("title"), points))
        return out

    def items(self, data: list[Any], scales: Mapping[str, Scale], groups: list[Group],
              viewpoints: list[Viewpoint]) -> list[Item]:
        group_by_id = {g.id: g for g in groups}
        viewpoint_ids = {v.id for v in viewpoints}
        out = []
        figures: list[str] = []
        for n, idata in enumerate(data):
            s = self.sec(idata, f"items[{n}]")
            iid = s.text("id")
            s.where = f"item {iid}"
            s.only(
                "id", "group", "viewpoint", "label", "title", "points", "scale", "description",
                "perspectives", "notes", "document_refs", "basis", "checks",
            )
            gid = s.text("group", required=False) or None
            vid = s.text("viewpoint", required=False) or None
            if gid is not None:
                if gid not in group_by_id:
                    raise s.fail("unknown_reference", field="group", value=gid)
                gvp = group_by_id[gid].viewpoint_id
                if vid is not None and vid != gvp:
                    raise s.fail("viewpoint_group_conflict", viewpoint=vid, group=gid, group_viewpoint=gvp)
                vid = gvp
            elif vid is None:
                raise s.fail("missing_field", field="group")
            elif vid not in viewpoint_ids:
                raise s.fail("unknown_reference", field="viewpoint", value=vid)
            scale_id = s.text("scale")
            if scale_id not in scales:
                raise s.fail("unknown_scale", scale=scale_id, known=", ".join(sorted(scales)))
            scale = scales[scale_id]
            raw_perspectives = []
            for k, pdata in enumerate(s.tables("perspectives", required=False)):
                p = self.sec(pdata, f"item {iid} perspectives[{k}]")
                p.only("label", "text")
                raw_perspectives.append((p.text("label"), p.text("text", multiline=True)))
            require_unique_labels(self.file, f"item {iid}", [label for label, _ in raw_perspectives], "perspective")
            checks = self.checks(s, iid, {label for label, _ in raw_perspectives})
            figures += [c.figure for c in checks]
            by_perspective: dict[str, list[FigureCheck]] = {}
            for c in checks:
                by_perspective.setdefault(c.perspective, []).append(c)
            perspectives = tuple(
                Perspective(label, text, tuple(by_perspective.get(label, ()))) for label, text in raw_perspectives
            )
            basis = None
            bdata = s.table("basis", required=False)
            if bdata is not None:
                if scale.kind != "level":
                    raise s.fail("basis_not_allowed", scale=scale_id)
                b = self.sec(bdata, f"item {iid} basis")
                b.only("count", "counts", "unit", "document_ref")
                basis = Basis(
                    b.positive("count"), b.text("counts", multiline=True),
                    b.text("unit", required=False), b.text("document_ref", required=False),
                )
            elif scale.kind == "level":
                raise s.fail("basis_required", scale=scale_id)
            out.append(
                Item(
                    id=iid,
                    viewpoint_id=vid,
                    group_id=gid or "",
                    label=s.text("label"),
                    title=s.text("title"),
                    points=s.positive("points"),
                    scale_id=scale_id,
                    description=s.text("description", required=False, multiline=True),
                    perspectives=perspectives,
                    notes=s.texts("notes", multiline=True),
                    document_refs=s.texts("document_refs"),
                    basis=basis,
                )
            )
        require_unique_ids(self.file, [i.id for i in out], "item")
        require_unique_ids(self.file, figures, "figure")
        labels_by_viewpoint: dict[str, list[str]] = {}
        for i in out:
            labels_by_viewpoint.setdefault(i.viewpoint_id, []).append(i.label)
        for v in viewpoints:
            # Items are named by viewpoint and label (視点2 ②): two alike could not be told apart.
            require_unique_labels(self.file, f"viewpoint {v.id}", labels_by_viewpoint.get(v.id, []), "item")
        return out

    def checks(self, s: Section, iid: str, labels: set[str]) -> tuple[FigureCheck, ...]:
        out = []
        for k, cdata in enumerate(s.tables("checks", required=False)):
            c = self.sec(cdata, f"item {iid} checks[{k}]")
            c.only("perspective", "figure", "title", "compare", "level", "target", "unit", "strict")
            perspective = c.text("perspective")
            if perspective not in labels:
                raise c.fail("unknown_reference", field="perspective", value=perspective)
            name = c.text("figure")
            if not _FIGURE_NAME.fullmatch(name):
                raise c.fail("bad_figure_name", value=name[:80])
            compare = c.text("compare")
            if compare not in COMPARISONS:
                raise c.fail("unknown_comparison", value=compare, known=", ".join(COMPARISONS))
            level = c.number("level")
            assert level is not None
            target = c.number("target", required=False)
            for key, value in (("level", level), ("target", target)):
                if value is not None and not (0 <= value <= MAX_FIGURE):
                    raise c.fail("figure_out_of_range", field=key, value=str(value), limit=str(MAX_FIGURE))
            if target is not None and not (target > level if compare == ">=" else target < level):
                raise c.fail("target_not_beyond_level", target=str(target), level=str(level), compare=compare)
            out.append(FigureCheck(name, iid, perspective, c.text("title"), compare, level, target,
                                   c.text("unit", required=False), c.flag("strict")))
        return tuple(out)

    def check_sums(self, total: Decimal, viewpoints: list[Viewpoint], groups: list[Group], items: list[Item]) -> None:
        def mismatch(where: str, declared: Decimal, actual: Decimal) -> RubricError:
            return RubricError(
                "rubric.points_mismatch", file=self.file, where=where,
                declared=format_points(declared), actual=format_points(actual),
            )

        # One pass each over items and groups (no per-group scans: linear in the file's size).
        in_group: dict[str, Decimal] = {}
        loose: dict[str, Decimal] = {}
        has_items: set[str] = set()
        for i in items:
            has_items.add(i.viewpoint_id)
            if i.group_id:
                in_group[i.group_id] = in_group.get(i.group_id, Decimal(0)) + i.points
            else:
                loose[i.viewpoint_id] = loose.get(i.viewpoint_id, Decimal(0)) + i.points
        for g in groups:
            if g.parent_id is not None:
                in_group[g.parent_id] = in_group.get(g.parent_id, Decimal(0)) + g.points
            else:
                loose[g.viewpoint_id] = loose.get(g.viewpoint_id, Decimal(0)) + g.points
        for g in groups:
            inner = in_group.get(g.id, Decimal(0))
            if inner != g.points:
                raise mismatch(f"group {g.id}", g.points, inner)
        for v in viewpoints:
            if v.id not in has_items:
                raise RubricError("rubric.empty_viewpoint", file=self.file, where=f"viewpoint {v.id}")
            inner = loose.get(v.id, Decimal(0))
            if inner != v.points:
                raise mismatch(f"viewpoint {v.id}", v.points, inner)
        all_points = sum((v.points for v in viewpoints), Decimal(0))
        if all_points != total:
            raise mismatch("total_points", total, all_points)

    # bands and decision tables -------------------------------------------------------

    def bands(self, data: dict[str, Any], viewpoints: Mapping[str, Viewpoint]) -> BandSet:
        s = self.sec(data, "bands")
        s.only("viewpoint", "ranges")
        vid = s.text("viewpoint")
        if vid not in viewpoints:
            raise s.fail("unknown_reference", field="viewpoint", value=vid)
        bands = []
        for n, bdata in enumerate(s.tables("ranges")):
            b = self.sec(bdata, f"bands.ranges[{n}]")
            bid = b.text("id")
            b.where = f"band {bid}"
            b.only("id", "label", "min", "target_share")
            low = b.number("min")
            assert low is not None
            share = b.number("target_share", required=False)
            if share is not None and not (0 <= share <= 1):
                raise b.fail("fraction_out_of_range", value=str(share))
            bands.append(Band(bid, b.text("label"), low, share))
        require_unique_ids(self.file, [b.id for b in bands], "band")
        for higher, lower in itertools.pairwise(bands):
            if lower.min_points >= higher.min_points:
                raise RubricError("rubric.non_monotonic_thresholds", file=self.file, where=f"band {lower.id}", mark=lower.id)
        if bands[-1].min_points > 0:
            raise RubricError("rubric.lowest_threshold_not_zero", file=self.file, where=f"band {bands[-1].id}", mark=bands[-1].id)
        return BandSet(vid, tuple(bands))

    def decision_tables(self, data: list[Any]) -> list[DecisionTable]:
        out = []
        for n, tdata in enumerate(data):
            t = self.sec(tdata, f"decision_tables[{n}]")
            tid = t.text("id")
            t.where = f"decision table {tid}"
            t.only("id", "stage", "title", "options")
            options = []
            for k, odata in enumerate(t.tables("options")):
                o = self.sec(odata, f"decision table {tid} options[{k}]")
                o.only("code", "label")
                options.append(DecisionOption(o.text("code"), o.text("label")))
            require_unique_ids(self.file, [o.code for o in options], "option")
            out.append(DecisionTable(tid, t.text("stage"), t.text("title"), tuple(options)))
        require_unique_ids(self.file, [t.id for t in out], "decision table")
        return out
