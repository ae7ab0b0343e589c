"""Sheet use cases shared by the GUI and the CLI: read an input description, pick the results,
render, and write the PDF atomically.

Later issues feed the same ``render_*`` functions from the reviewer workspace and from
imported result bundles; until then the CLI reads the small description file documented
in ``docs/sheets-input.md``. Whatever the source, it ends as the core input model.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.atomic import check_output_path
from ..core.errors import EntryError, SheetError, TextError
from ..core.output import write_output
from ..core.rubric import Rubric
from ..core.sheets import (
    FontChoice,
    ProposalInfo,
    ReviewerInfo,
    ReviewerResult,
    SheetContext,
    SheetPdf,
    VerifiedResult,
    choose_font,
    render_blank_sheet,
    render_panel,
    render_score_sheets,
    render_summary,
)
from ..core.text import check_label
from ..i18n import tr
from .rubrics import entries_from_json, load_rubric_arg, refuse_duplicate_keys

INPUT_FORMAT = "reviewer-app-sheets-input"
INPUT_VERSION = 1
#: Input files are small descriptions; refuse anything that is clearly not one.
MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SheetInput:
    ctx: SheetContext
    reviewers: Mapping[str, ReviewerInfo]
    proposals: Mapping[str, ProposalInfo]
    #: (reviewer id, result) in file order.
    results: tuple[tuple[str, ReviewerResult], ...]

    def reviewer(self, reviewer_id: str | None) -> ReviewerInfo:
        """The named reviewer, or the only one when the file holds just one."""
        known = ", ".join(self.reviewers) or "—"
        if reviewer_id is None:
            if len(self.reviewers) != 1:
                raise SheetError("sheets.choose_reviewer", known=known)
            return next(iter(self.reviewers.values()))
        if reviewer_id not in self.reviewers:
            raise SheetError("sheets.unknown_reviewer", reviewer=reviewer_id, known=known)
        return self.reviewers[reviewer_id]

    def results_of(self, reviewer_id: str, proposal_ids: Sequence[str] = ()) -> list[ReviewerResult]:
        for pid in proposal_ids:
            if pid not in self.proposals:
                raise SheetError("sheets.unknown_proposal", proposal=pid, known=", ".join(self.proposals) or "—")
        out = [r for rid, r in self.results
               if rid == reviewer_id and (not proposal_ids or r.proposal.proposal_id in proposal_ids)]
        if not out:
            raise SheetError("sheets.no_results")
        return out

    def verified(self) -> list[VerifiedResult]:
        return [VerifiedResult(self.reviewers[rid], r) for rid, r in self.results]


def _fail(file: str, problem: str, field: str = "-", **params: Any) -> SheetError:
    """``sheets.input.<problem>``: the message names the file, the field (``results[2].proposal``) and what is wrong."""
    return SheetError(f"sheets.input.{problem}", file=file, field=field, **params)


def _obj(value: Any, file: str, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(file, "not_table", where)
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(file, "unknown_field", where, name=unknown[0], known=sorted(allowed))
    return value


def _str(value: Mapping[str, Any], key: str, file: str, where: str, required: bool = False, label: bool = False) -> str:
    """A text field; ``label``: an id or title, refused if it holds a control character (core.text)."""
    field = f"{where}.{key}"
    v = value.get(key, "")
    if not isinstance(v, str):
        raise _fail(file, "not_text", field)
    if required and not v.strip():
        raise _fail(file, "empty", field)
    if label:
        try:
            check_label(v, field)
        except TextError as exc:
            raise _fail(file, "control_char", field, char=exc.params.get("char", "")) from None
    return v


def parse_sheet_input(data: Any, file: str = "<input>", rubric: Rubric | None = None) -> SheetInput:
    """Validate a description (already parsed JSON/TOML); unknown fields are refused, not ignored."""
    if not isinstance(data, Mapping) or data.get("format") != INPUT_FORMAT:
        raise _fail(file, "format", "format", expected=INPUT_FORMAT)
    top = _obj(data, file, "-", {"format", "version", "round", "proposals", "reviewers", "results"})
    if top.get("format") != INPUT_FORMAT:
        raise _fail(file, "format", "format", expected=INPUT_FORMAT)
    if type(top.get("version")) is not int or top.get("version") != INPUT_VERSION:
        raise _fail(file, "version", "version", version=str(top.get("version")), supported=INPUT_VERSION)
    rnd = _obj(top.get("round", {}), file, "round", {"id", "title", "rubric", "band_targets"})
    if rubric is None:
        rubric = load_rubric_arg(_str(rnd, "rubric", file, "round") or None)
    raw_targets = rnd.get("band_targets", {})
    targets_raw = _obj(raw_targets, file, "round.band_targets", set(raw_targets) if isinstance(raw_targets, Mapping) else set())
    targets: dict[str, Decimal | None] = {}
    for band, share in targets_raw.items():
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float, Decimal))):
            raise _fail(file, "share", f"round.band_targets.{band}")
        targets[band] = None if share is None else Decimal(str(share))
    ctx = SheetContext(_str(rnd, "title", file, "round", label=True), _str(rnd, "id", file, "round", label=True),
                       rubric, targets)
    if targets:
        from ..core.distribution import effective_targets

        effective_targets(rubric, targets)  # unknown band or share out of range → EntryError

    proposals: dict[str, ProposalInfo] = {}
    for n, raw in enumerate(_list(top, "proposals", file)):
        where = f"proposals[{n}]"
        p = _obj(raw, file, where, {"id", "title", "institution", "institution_type", "region"})
        pid = _str(p, "id", file, where, required=True, label=True)
        if pid in proposals:
            raise _fail(file, "duplicate_id", f"{where}.id", id=pid)
        proposals[pid] = ProposalInfo(pid, *(_str(p, k, file, where, label=True)
                                             for k in ("title", "institution", "institution_type", "region")))
    reviewers: dict[str, ReviewerInfo] = {}
    for n, raw in enumerate(_list(top, "reviewers", file)):
        where = f"reviewers[{n}]"
        r = _obj(raw, file, where, {"id", "name", "key_fingerprint"})
        rid = _str(r, "id", file, where, required=True, label=True)
        if rid in reviewers:
            raise _fail(file, "duplicate_id", f"{where}.id", id=rid)
        reviewers[rid] = ReviewerInfo(rid, _str(r, "name", file, where, label=True),
                                      _str(r, "key_fingerprint", file, where, label=True))
    results: list[tuple[str, ReviewerResult]] = []
    seen: set[tuple[str, str]] = set()
    for n, raw in enumerate(_list(top, "results", file)):
        where = f"results[{n}]"
        r = _obj(raw, file, where, {"reviewer", "proposal", "digest", "conflict_of_interest", "coi_reason", "entries"})
        rid, pid = _str(r, "reviewer", file, where, required=True), _str(r, "proposal", file, where, required=True)
        if rid not in reviewers:
            raise _fail(file, "unknown_reviewer", f"{where}.reviewer", id=rid, known=list(reviewers) or ["—"])
        if pid not in proposals:
            raise _fail(file, "unknown_proposal", f"{where}.proposal", id=pid, known=list(proposals) or ["—"])
        if (rid, pid) in seen:
            raise SheetError("sheets.duplicate_result", reviewer=rid, proposal=pid)
        seen.add((rid, pid))
        coi = r.get("conflict_of_interest", False)
        if not isinstance(coi, bool):
            raise _fail(file, "not_bool", f"{where}.conflict_of_interest")
        try:
            entries = entries_from_json(rubric, r.get("entries", {}))
        except EntryError as exc:
            if exc.code == "entry.bad_json":
                raise _fail(file, "entries", f"{where}.entries", detail=exc.params.get("detail", "")) from None
            raise
        results.append((rid, ReviewerResult(proposals[pid], tuple(entries), coi, _str(r, "coi_reason", file, where),
                                            _str(r, "digest", file, where, label=True))))
    return SheetInput(ctx, reviewers, proposals, tuple(results))


def _list(top: Mapping[str, Any], key: str, file: str) -> list[Any]:
    v = top.get(key, [])
    if not isinstance(v, list):
        raise _fail(file, "not_list", key)
    return v


def load_sheet_input(path: str | Path, rubric: Rubric | None = None) -> SheetInput:
    """Read a JSON (``.json``) or TOML (any other suffix) description file.

    The file must be a regular file within ``MAX_INPUT_BYTES`` (checked before reading, so a
    FIFO or a device never blocks); every problem names the file and the field.
    """
    from ..core.bundle.files import read_regular

    p = Path(path)

    def too_large(_p: str, size: int, limit: int) -> SheetError:
        return _fail(p.name, "too_large", size=size, limit=limit)

    raw = read_regular(p, MAX_INPUT_BYTES, too_large)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(p.name, "not_utf8", position=exc.start + 1) from None
    try:
        # Decimals exactly as written (a figure of 509.99999999999999999 must not become 510).
        # A name given twice (an item's entry, a field) is refused, not silently the last one.
        data = (json.loads(text, parse_float=Decimal, object_pairs_hook=refuse_duplicate_keys(p.name))
                if p.suffix.lower() == ".json" else tomllib.loads(text, parse_float=Decimal))
    except json.JSONDecodeError as exc:
        raise _fail(p.name, "syntax", line=exc.lineno, column=exc.colno) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (where.group(1), where.group(2)) if where else ("?", "?")
        raise _fail(p.name, "syntax", line=line, column=column) from None
    except RecursionError:
        raise _fail(p.name, "too_deep") from None
    except ValueError:  # e.g. an integer beyond CPython's 4,300-digit conversion limit
        raise _fail(p.name, "too_many_digits") from None
    return parse_sheet_input(data, p.name, rubric)


def write_pdf(pdf: SheetPdf, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write atomically (core.atomic): a half-written sheet must never replace a good one.

    The path follows the rule of every output (``check_output_path``): never a folder,
    device or link; an existing file only with ``overwrite``; no folder is created.
    Failures are ``OutputPathError`` with a message that says what to do.
    """
    target = check_output_path(path, overwrite=overwrite)
    write_output(target, pdf.data)
    return target


def score_sheets(inp: SheetInput, reviewer_id: str | None = None, proposal_ids: Sequence[str] = ()) -> SheetPdf:
    reviewer = inp.reviewer(reviewer_id)
    return render_score_sheets(inp.ctx, reviewer, inp.results_of(reviewer.reviewer_id, proposal_ids))


def reviewer_summary(inp: SheetInput, reviewer_id: str | None = None) -> SheetPdf:
    reviewer = inp.reviewer(reviewer_id)
    return render_summary(inp.ctx, reviewer, inp.results_of(reviewer.reviewer_id))


def panel_material(inp: SheetInput) -> SheetPdf:
    return render_panel(inp.ctx, inp.verified())


def blank_sheet(rubric: Rubric, inp: SheetInput | None = None, reviewer_id: str | None = None,
                proposal_id: str | None = None) -> SheetPdf:
    """A blank sheet; with an input file, the round (and a chosen reviewer/proposal) is printed in."""
    if inp is None:
        return render_blank_sheet(rubric)
    reviewer = inp.reviewer(reviewer_id) if reviewer_id or len(inp.reviewers) == 1 else None
    proposal = None
    if proposal_id is not None:
        if proposal_id not in inp.proposals:
            raise SheetError("sheets.unknown_proposal", proposal=proposal_id, known=", ".join(inp.proposals) or "—")
        proposal = inp.proposals[proposal_id]
    return render_blank_sheet(rubric, inp.ctx, reviewer, proposal)


def font_status() -> FontChoice:
    return choose_font()


def warning_messages(pdf: SheetPdf | FontChoice) -> list[str]:
    """The warnings as sentences in the current language, for a dialog or stderr."""
    return [tr(f"sheets.warning.{w.code}", **w.params) for w in pdf.warnings]
