"""The secretariat's description file for ``bundle build``: one reviewer's assignment in TOML.

A later issue builds full round setup on top; this keeps the input simple and strict:
unknown keys are refused (so a typo never silently drops a proposal attribute), every value
is checked against the bundle format's grammar before anything is built, and every refusal
names the file, the field and what it takes (docs/bundle-format.md, "The description file").
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.bundle import fields
from ..core.bundle.files import read_regular
from ..core.bundle.model import INSTITUTION_TYPES, AssignmentSpec, ProposalMeta, ReviewerIdentity, RoundSettings
from ..core.errors import BundleFormatError, TextError
from ..core.rubric import Rubric
from ..core.text import check_label
from .rubrics import load_rubric_arg, shipped_rubric_paths

MAX_DESCRIPTION_BYTES = 4 * 1024 * 1024

TOP_KEYS = frozenset({"round", "reviewer", "proposals"})
ROUND_KEYS = frozenset({"id", "title", "deadline", "language", "rubric", "band_targets"})
REVIEWER_KEYS = frozenset({"id", "name"})
PROPOSAL_KEYS = frozenset({"id", "title", "institution", "institution_type", "region", "pdf", "figures",
                           "named_figures"})
_REQUIRED = {
    "round": ("id", "title"),
    "reviewer": ("id", "name"),
    "proposal": ("id", "title", "institution", "institution_type", "region", "pdf"),
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class _Problem(Exception):
    """One refusal: ``code`` under ``bundle.description.`` and its params (the file is added later)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def load_assignment_description(path: str | Path) -> AssignmentSpec:
    """Parse the description; PDF paths are relative to the description's folder."""
    p = Path(path)
    raw = read_regular(p, MAX_DESCRIPTION_BYTES, _too_large)
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleFormatError("bundle.description.not_utf8", file=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        line, column = (where.group(1), where.group(2)) if where else ("?", "?")
        raise BundleFormatError("bundle.description.syntax", file=str(p), line=line, column=column) from None
    try:
        return _spec(doc, p)
    except _Problem as problem:
        raise BundleFormatError(f"bundle.description.{problem.code}", file=str(p), **problem.params) from None


def _too_large(path: str, size: int, limit: int) -> BundleFormatError:
    return BundleFormatError("bundle.description.too_large", file=path, size=size, limit=limit)


def _table(d: Any, allowed: frozenset[str], where: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise _Problem("not_table", field=where)
    extra = sorted(set(d) - allowed)
    if extra:
        code = "unknown_section" if where == "-" else "unknown_key"
        raise _Problem(code, field=where, key=extra[0], allowed=", ".join(sorted(allowed)))
    for key in required:
        if key not in d:
            raise _Problem("missing", field=f"{where}.{key}" if where != "-" else key)
    return d


def _text(v: Any, field: str, *, label: bool = True, nonempty: bool = False) -> str:
    if not isinstance(v, str):
        raise _Problem("not_text", field=field)
    if nonempty and not v.strip():
        raise _Problem("empty", field=field)
    if label:
        try:
            check_label(v, field)
        except TextError as exc:
            raise _Problem("control_char", field=field, char=exc.params.get("char", "?")) from None
    return v


def _decimal(v: Any, field: str) -> Decimal:
    """A figure or share as the description gives it: a TOML number or a decimal string, ≥ 0."""
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise _Problem("bad_number", field=field, value=str(v))
    try:
        d = Decimal(str(v).strip().replace(",", ""))
        fields.decimal_text(d, field)
    except (InvalidOperation, fields.FieldProblem):
        raise _Problem("bad_number", field=field, value=str(v)) from None
    return d


def _deadline(v: Any) -> str | None:
    """A TOML date or offset date-time, or the same as a string; a time needs its time zone."""
    if v is None:
        return None
    if isinstance(v, datetime):
        if v.tzinfo is None:
            raise _Problem("deadline_no_zone", field="round.deadline", value=v.isoformat())
        text = v.isoformat()
    elif isinstance(v, date):
        text = v.isoformat()
    elif isinstance(v, str):
        text = v.strip()
    else:
        raise _Problem("bad_deadline", field="round.deadline", value=str(v))
    try:
        return fields.deadline(text, "round.deadline")
    except fields.FieldProblem:
        raise _Problem("bad_deadline", field="round.deadline", value=str(v)) from None


def _spec(doc: dict[str, Any], p: Path) -> AssignmentSpec:
    _table(doc, TOP_KEYS, "-", ("round", "reviewer", "proposals"))
    rnd = _table(doc["round"], ROUND_KEYS, "round", _REQUIRED["round"])
    rubric_arg = rnd.get("rubric")
    if rubric_arg is not None:
        rubric_arg = _text(rubric_arg, "round.rubric", label=False)
        if rubric_arg not in shipped_rubric_paths():
            rubric_arg = str((p.parent / rubric_arg).resolve())
    rubric = load_rubric_arg(rubric_arg)
    language = rnd.get("language", "ja")
    if language not in fields.LANGUAGES:
        raise _Problem("bad_language", field="round.language", value=str(language), allowed=", ".join(fields.LANGUAGES))
    settings = RoundSettings(
        _text(rnd["id"], "round.id", nonempty=True), _text(rnd["title"], "round.title"), _deadline(rnd.get("deadline")),
        _band_targets(rnd.get("band_targets", {}), rubric), language,
    )
    rv = _table(doc["reviewer"], REVIEWER_KEYS, "reviewer", _REQUIRED["reviewer"])
    reviewer = ReviewerIdentity(_text(rv["id"], "reviewer.id", nonempty=True), _text(rv["name"], "reviewer.name"))
    raw_proposals = doc["proposals"]
    if not isinstance(raw_proposals, list):
        raise _Problem("not_list", field="proposals")
    if not raw_proposals:
        raise _Problem("no_proposals", field="proposals")
    proposals = []
    pdfs: dict[str, str] = {}
    for i, raw in enumerate(raw_proposals, 1):
        meta, pdf = _proposal(raw, f"proposals[{i}]", rubric)
        if meta.proposal_id in pdfs:
            raise _Problem("duplicate_proposal", field=f"proposals[{i}].id", proposal=meta.proposal_id)
        proposals.append(meta)
        pdfs[meta.proposal_id] = str(p.parent / pdf)
    return AssignmentSpec(settings, reviewer, rubric.source_bytes, tuple(proposals), pdfs)


def _band_targets(raw: Any, rubric: Rubric) -> dict[str, Decimal | None]:
    if not isinstance(raw, dict):
        raise _Problem("not_table", field="round.band_targets")
    band_ids = [b.id for b in rubric.bands.bands] if rubric.bands else []
    targets: dict[str, Decimal | None] = {}
    for k, v in raw.items():
        field = f"round.band_targets.{k}"
        if k not in band_ids:
            raise _Problem("unknown_band", field=field, band=k, allowed=", ".join(band_ids) or "-")
        share = _decimal(v, field)
        if share > 1:
            raise _Problem("bad_share", field=field, value=str(v))
        targets[k] = share
    return targets


def _named_figures(raw: Any, where: str, rubric: Rubric) -> dict[str, Decimal]:
    """The figures the rubric's 観点 checks name, as the secretariat read them from the proposal."""
    if not isinstance(raw, dict):
        raise _Problem("not_table", field=f"{where}.named_figures")
    known = [c.figure for c in rubric.figure_checks]
    out = {}
    for name, value in raw.items():
        if name not in known:
            raise _Problem("unknown_key", field=f"{where}.named_figures", key=name, allowed=", ".join(known) or "-")
        out[name] = _decimal(value, f"{where}.named_figures.{name}")
    return out


def _proposal(raw: Any, where: str, rubric: Rubric) -> tuple[ProposalMeta, str]:
    pr = _table(raw, PROPOSAL_KEYS, where, _REQUIRED["proposal"])
    kind = _text(pr["institution_type"], f"{where}.institution_type")
    if kind not in INSTITUTION_TYPES:
        raise _Problem("bad_institution_type", field=f"{where}.institution_type", value=kind,
                       allowed="・".join(INSTITUTION_TYPES))
    raw_figures = pr.get("figures", {})
    if not isinstance(raw_figures, dict):
        raise _Problem("not_table", field=f"{where}.figures")
    figures = {}
    for item_id, value in raw_figures.items():
        field = f"{where}.figures.{item_id}"
        if not rubric.has_item(item_id):
            raise _Problem("unknown_item", field=field, item=item_id)
        figures[item_id] = _decimal(value, field)
    meta = ProposalMeta(
        _text(pr["id"], f"{where}.id", nonempty=True), _text(pr["title"], f"{where}.title"),
        _text(pr["institution"], f"{where}.institution"), kind, _text(pr["region"], f"{where}.region"), figures,
        _named_figures(pr.get("named_figures", {}), where, rubric),
    )
    return meta, _text(pr["pdf"], f"{where}.pdf", label=False, nonempty=True)
