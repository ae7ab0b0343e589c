"""Reading and validating rubric files.

Loading validates everything and raises :class:`RubricError` naming the file, the place and
the problem, so a secretariat that edits a rubric learns exactly what to fix. Unknown fields
are errors, so a typo never silently drops a rule.
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import RubricError
from .rubric import (
    Band,
    BandSet,
    Basis,
    DecisionOption,
    DecisionTable,
    Group,
    Item,
    Mark,
    Perspective,
    Rubric,
    Scale,
    Viewpoint,
    format_points,
)

FORMAT_NAME = "reviewer-app-rubric"
FORMAT_VERSION = 1
SCALE_KINDS = ("grade", "level")
#: Rubric files are small; anything larger is not a rubric and is refused before parsing.
MAX_RUBRIC_BYTES = 2 * 1024 * 1024


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_RUBRIC_BYTES:
            raise RubricError("rubric.too_large", file=p.name, where="-", limit=MAX_RUBRIC_BYTES)
        data = p.read_bytes()
    except FileNotFoundError:
        raise RubricError("rubric.not_found", file=str(p), where="-") from None
    except OSError as exc:
        raise RubricError("rubric.unreadable", file=str(p), where="-", reason=exc.strerror or str(exc)) from None
    return load_rubric_bytes(data, p.name)


def load_rubric_bytes(data: bytes, source_name: str = "<rubric>") -> Rubric:
    """Validate rubric bytes (e.g. embedded in a bundle); ``source_name`` names them in errors."""
    if len(data) > MAX_RUBRIC_BYTES:
        raise RubricError("rubric.too_large", file=source_name, where="-", limit=MAX_RUBRIC_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RubricError("rubric.encoding", file=source_name, where="-", position=exc.start) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError("rubric.syntax", file=source_name, where="-", detail=str(exc)) from None
    return _Builder(doc, source_name, data).build()


class _Section:
    """Typed access to one TOML table, raising RubricError instead of KeyError/TypeError."""

    def __init__(self, data: Any, file: str, where: str) -> None:
        if not isinstance(data, dict):
            raise RubricError("rubric.wrong_type", file=file, where=where, field="-", expected="table")
        self.data: dict[str, Any] = data
        self.file = file
        self.where = where

    def fail(self, problem: str, **params: Any) -> RubricError:
        return RubricError(f"rubric.{problem}", file=self.file, where=self.where, **params)

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail("unknown_field", field=unknown[0])

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.fail("missing_field", field=key)
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        v = self._get(key, required)
        if v is None:
            return default
        if not isinstance(v, str):
            raise self.fail("wrong_type", field=key, expected="string")
        if required and not v.strip():
            raise self.fail("empty_field", field=key)
        return v

    def number(self, key: str, required: bool = True) -> Decimal | None:
        v = self._get(key, required)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail("wrong_type", field=key, expected="number")
        try:
            d = Decimal(str(v))
        except InvalidOperation:  # pragma: no cover - tomllib yields finite numbers or inf/nan
            raise self.fail("wrong_type", field=key, expected="number") from None
        if not d.is_finite():
            raise self.fail("wrong_type", field=key, expected="number")
        return d

    def texts(self, key: str) -> tuple[str, ...]:
        v = self._get(key, False)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise self.fail("wrong_type", field=key, expected="list of strings")
        return tuple(v)

    def tables(self, key: str, required: bool = True) -> list[Any]:
        v = self._get(key, required)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.fail("wrong_type", field=key, expected="array of tables")
        if required and not v:
            raise self.fail("empty_field", field=key)
        return v

    def table(self, key: str, required: bool = True) -> Any:
        v = self._get(key, required)
        if v is None:
            return None
        if not isinstance(v, dict):
            raise self.fail("wrong_type", field=key, expected="table")
        return v


def _positive(sec: _Section, key: str) -> Decimal:
    v = sec.number(key)
    assert v is not None
    if v <= 0:
        raise sec.fail("not_positive", field=key, value=str(v))
    return v


def _unique(sec: _Section, ids: Sequence[str], kind: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise RubricError("rubric.duplicate_id", file=sec.file, where=i, kind=kind)
        seen.add(i)


class _Builder:
    def __init__(self, doc: dict[str, Any], file: str, raw: bytes) -> None:
        self.file = file
        self.raw = raw
        self.root = _Section(doc, file, "-")

    def sec(self, data: Any, where: str) -> _Section:
        return _Section(data, self.file, where)

    def build(self) -> Rubric:
        r = self.root
        r.only(
            "format", "format_version", "id", "title", "issuer", "issued", "total_points",
            "guidance", "assumptions", "scales", "viewpoints", "groups", "items", "bands",
            "decision_tables",
        )
        if r.data.get("format") != FORMAT_NAME:
            raise r.fail("not_a_rubric", expected=FORMAT_NAME)
        version = r.number("format_version")
        if version != FORMAT_VERSION:
            raise r.fail("unsupported_version", version=str(version), supported=FORMAT_VERSION)

        scales = self.scales(r.table("scales"))
        viewpoints = self.viewpoints(r.tables("viewpoints"))
        groups = self.groups(r.tables("groups", required=False), {v.id for v in viewpoints})
        items = self.items(r.tables("items"), scales, groups)
        total = _positive(r, "total_points")
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
            guidance=r.texts("guidance"),
            assumptions=r.texts("assumptions"),
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
            _unique(s, [m.code for m in marks], "mark")
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
            out.append(Viewpoint(vid, v.text("label"), v.text("title"), _positive(v, "points")))
        _unique(self.root, [v.id for v in out], "viewpoint")
        return out

    def groups(self, data: list[Any], viewpoint_ids: set[str]) -> list[Group]:
        raw: list[tuple[_Section, str, str | None, str | None]] = []
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
        _unique(self.root, [gid for _, gid, _, _ in raw], "group")
        by_id = {gid: (vp, parent) for _, gid, vp, parent in raw}

        def viewpoint_of(gid: str, seen: tuple[str, ...] = ()) -> str:
            vp, parent = by_id[gid]
            if vp is not None:
                return vp
            assert parent is not None
            if parent not in by_id:
                raise RubricError("rubric.unknown_reference", file=self.file, where=f"group {gid}", field="parent", value=parent)
            if parent in seen:
                raise RubricError("rubric.group_cycle", file=self.file, where=f"group {gid}")
            return viewpoint_of(parent, (*seen, gid))

        out = []
        for g, gid, _vp, parent in raw:
            points = _positive(g, "points")
            out.append(Group(gid, viewpoint_of(gid), parent, g.text("label"), g.text("title"), points))
        return out

    def items(self, data: list[Any], scales: Mapping[str, Scale], groups: list[Group]) -> list[Item]:
        group_by_id = {g.id: g for g in groups}
        out = []
        for n, idata in enumerate(data):
            s = self.sec(idata, f"items[{n}]")
            iid = s.text("id")
            s.where = f"item {iid}"
            s.only(
                "id", "group", "viewpoint", "label", "title", "points", "scale", "description",
                "perspectives", "notes", "document_refs", "basis",
            )
            gid = s.text("group", required=False) or None
            vid = s.text("viewpoint", required=False) or None
            if gid is not None:
                if gid not in group_by_id:
                    raise s.fail("unknown_reference", field="group", value=gid)
                gvp = group_by_id[gid].viewpoint_id
                if vid is not None and vid != gvp:
                    raise s.fail("unknown_reference", field="viewpoint", value=vid)
                vid = gvp
            elif vid is None:
                raise s.fail("missing_field", field="group")
            scale_id = s.text("scale")
            if scale_id not in scales:
                raise s.fail("unknown_scale", scale=scale_id, known=", ".join(sorted(scales)))
            scale = scales[scale_id]
            perspectives = []
            for k, pdata in enumerate(s.tables("perspectives", required=False)):
                p = self.sec(pdata, f"item {iid} perspectives[{k}]")
                p.only("label", "text")
                perspectives.append(Perspective(p.text("label"), p.text("text")))
            basis = None
            bdata = s.table("basis", required=False)
            if bdata is not None:
                if scale.kind != "level":
                    raise s.fail("basis_not_allowed", scale=scale_id)
                b = self.sec(bdata, f"item {iid} basis")
                b.only("count", "counts", "unit", "document_ref")
                basis = Basis(
                    _positive(b, "count"), b.text("counts"),
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
                    points=_positive(s, "points"),
                    scale_id=scale_id,
                    description=s.text("description", required=False),
                    perspectives=tuple(perspectives),
                    notes=s.texts("notes"),
                    document_refs=s.texts("document_refs"),
                    basis=basis,
                )
            )
        _unique(self.root, [i.id for i in out], "item")
        return out

    def check_sums(self, total: Decimal, viewpoints: list[Viewpoint], groups: list[Group], items: list[Item]) -> None:
        def mismatch(where: str, declared: Decimal, actual: Decimal) -> RubricError:
            return RubricError(
                "rubric.points_mismatch", file=self.file, where=where,
                declared=format_points(declared), actual=format_points(actual),
            )

        for g in groups:
            inner = sum((i.points for i in items if i.group_id == g.id), Decimal(0))
            inner += sum((c.points for c in groups if c.parent_id == g.id), Decimal(0))
            if inner != g.points:
                raise mismatch(f"group {g.id}", g.points, inner)
        for v in viewpoints:
            inner = sum((i.points for i in items if i.viewpoint_id == v.id and not i.group_id), Decimal(0))
            inner += sum((g.points for g in groups if g.viewpoint_id == v.id and g.parent_id is None), Decimal(0))
            if not any(i.viewpoint_id == v.id for i in items):
                raise RubricError("rubric.empty_viewpoint", file=self.file, where=f"viewpoint {v.id}")
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
        _unique(s, [b.id for b in bands], "band")
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
            _unique(t, [o.code for o in options], "option")
            out.append(DecisionTable(tid, t.text("stage"), t.text("title"), tuple(options)))
        _unique(self.root, [t.id for t in out], "decision table")
        return out
