"""Rubric use cases: which rubrics ship with the app, loading one, scoring entries with it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import EntryError, InputFileError
from ..core.figures import JsonNumber, to_figure
from ..core.rubric import Rubric, format_points, load_rubric
from ..core.scoring import Entry, Finding, ProposalResult, score_proposal
from ..i18n import tr
from ..paths import resource_path

DEFAULT_RUBRIC_ID = "kokusaika-kyoten-2009"
#: An entries file is a few kilobytes per proposal; larger is not an entries file.
MAX_ENTRIES_BYTES = 4 * 1024 * 1024
ENTRY_FIELDS = ("mark", "figure", "comment", "unjudgeable", "reason", "named_figures")


def shipped_rubric_paths() -> dict[str, Path]:
    """Rubric files shipped in ``resources/rubrics``, by file stem."""
    return {p.stem: p for p in sorted(resource_path("rubrics").glob("*.toml"))}


def load_shipped_rubric(rubric_id: str = DEFAULT_RUBRIC_ID) -> Rubric:
    paths = shipped_rubric_paths()
    if rubric_id not in paths:
        raise InputFileError("file.unknown_rubric", name=rubric_id, known=", ".join(paths))
    return load_rubric(paths[rubric_id])


def load_rubric_arg(value: str | None) -> Rubric:
    """A rubric named on a command line: a shipped id, a file path, or the default."""
    if value is None:
        return load_shipped_rubric()
    if value in shipped_rubric_paths():
        return load_shipped_rubric(value)
    return load_rubric(value)


# --- entries -------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise EntryError("entry.figure_not_finite", value=name)


def refuse_duplicate_keys(where: str) -> Any:
    """A ``json.loads`` ``object_pairs_hook`` refusing a name given twice in one object (``entry.duplicate_key``)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                raise EntryError("entry.duplicate_key", key=k, where=where)
            out[k] = v
        return out

    return hook


def parse_entries_json(text: str, source_name: str = "entries") -> Any:
    """JSON as the entries need it: numbers kept as their literal text, duplicate names refused.

    ``parse_float`` / ``parse_int`` hand each number over as :class:`JsonNumber`, so
    ``509.99999999999999999`` never becomes the float 510.0 and ``1e5`` or ``-0`` can be
    refused for what they are; ``NaN`` / ``Infinity`` (which ``json`` accepts by default)
    are refused; a name given twice in one object (an item, a field) is refused rather
    than letting the last one silently win.
    """
    try:
        return json.loads(text, object_pairs_hook=refuse_duplicate_keys(source_name), parse_float=JsonNumber,
                          parse_int=JsonNumber, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise EntryError("entry.bad_json", detail=f"{source_name}: line {exc.lineno}: {exc.msg}") from None
    except ValueError:  # what json lets escape besides JSONDecodeError (e.g. CPython's int-digit limit)
        raise EntryError("entry.bad_json", detail=f"{source_name}: a value cannot be read") from None
    except RecursionError:
        raise EntryError("entry.bad_json", detail=f"{source_name}: nested too deeply") from None


def _text(item_id: str, raw: Mapping[str, Any], key: str) -> str:
    v = raw.get(key)
    if v is None:
        return ""
    if not isinstance(v, str):  # `true` must not become the comment "True"
        raise EntryError("entry.not_text", item=item_id, field=key)
    return v


def _named_figures(rubric: Rubric, item_id: str, raw: Any) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise EntryError("entry.bad_json", detail=f"{item_id}: named_figures must be an object")
    out = {}
    for name, value in raw.items():
        rubric.figure_check(name)
        if value is not None:
            out[name] = _figure_value(value)
    return out


def _figure_value(value: Any) -> Decimal:
    if isinstance(value, (JsonNumber, str, Decimal, int)) and not isinstance(value, bool):
        return to_figure(value)
    if isinstance(value, float):
        # A float has already lost the digits written (parse with parse_entries_json).
        return to_figure(value)
    raise EntryError("entry.bad_figure", value=json.dumps(value, ensure_ascii=False, default=str)[:64])


def entries_from_json(rubric: Rubric, data: Any) -> list[Entry]:
    """Entries from the JSON shape used by the CLI and test fixtures.

    ``{"1-1": {"mark": "4", "figure": 412, "comment": "…"}, "2-3": {"unjudgeable": true,
    "reason": "…"}, "2-5": {"mark": "b", "named_figures": {"intl_student_ratio_2020": 8}}}``.
    Strict, so a typo or a wrong type never silently changes a grade: unknown keys are
    refused, ``mark``, ``comment`` and ``reason`` must be strings (or null), ``unjudgeable``
    a boolean; figures are read exactly (:func:`reviewer_app.core.figures.to_figure`).
    """
    if not isinstance(data, Mapping):
        raise EntryError("entry.bad_json", detail="top level must be an object keyed by item id")
    out = []
    for item_id, raw in data.items():
        rubric.item(item_id)
        if not isinstance(raw, Mapping):
            raise EntryError("entry.bad_json", detail=f"{item_id}: must be an object")
        unknown = set(raw) - set(ENTRY_FIELDS)
        if unknown:
            raise EntryError("entry.bad_json", detail=f"{item_id}: unknown field {sorted(unknown)[0]}")
        mark = raw.get("mark")
        if mark is not None and not isinstance(mark, str):
            raise EntryError("entry.not_text", item=item_id, field="mark")
        unjudgeable = raw.get("unjudgeable", False)
        if not isinstance(unjudgeable, bool):  # "false" is a non-empty string, i.e. true
            raise EntryError("entry.not_boolean", item=item_id, field="unjudgeable")
        figure = raw.get("figure")
        out.append(
            Entry(
                item_id=item_id,
                mark=mark,
                comment=_text(item_id, raw, "comment"),
                unjudgeable=unjudgeable,
                unjudgeable_reason=_text(item_id, raw, "reason"),
                figure=None if figure is None else _figure_value(figure),
                named_figures=_named_figures(rubric, item_id, raw.get("named_figures")),
            )
        )
    return out


def read_entries_file(rubric: Rubric, path: str | Path) -> list[Entry]:
    """Entries from a JSON file (regular files only, size-limited, exact numbers)."""
    import os
    import stat

    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise InputFileError("file.unreadable", path=str(p)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRIES_BYTES:
            raise InputFileError("file.unreadable", path=str(p))
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_ENTRIES_BYTES + 1)
    except OSError:
        raise InputFileError("file.unreadable", path=str(p)) from None
    finally:
        os.close(fd)
    if len(data) > MAX_ENTRIES_BYTES:
        raise InputFileError("file.unreadable", path=str(p))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("file.unreadable", path=str(p)) from None
    return entries_from_json(rubric, parse_entries_json(text, p.name))


def score_entries_file(rubric: Rubric, path: str | Path) -> tuple[list[Entry], ProposalResult]:
    entries = read_entries_file(rubric, path)
    return entries, score_proposal(rubric, entries)


# --- findings as sentences -------------------------------------------------------------


def finding_params(rubric: Rubric, finding: Finding) -> dict[str, str]:
    """Parameters for the ``finding.<code>`` message, plus where the finding is.

    Figure-check findings also get ``bound`` (e.g. 「最低10%」), worded per comparison.
    """
    item = rubric.item(finding.item_id)
    params = {"item": rubric.display_label(item), "title": item.title, **finding.detail}
    compare = finding.detail.get("compare")
    if compare is not None:
        key = "finding.bound.at_most" if compare == "<=" else "finding.bound.at_least"
        params["bound"] = tr(key, level=finding.detail.get("level", ""), unit=finding.detail.get("unit", ""))
    return params


def finding_message(rubric: Rubric, finding: Finding) -> str:
    """The sentence for a finding, the same wherever it is shown (CLI, GUI, sheets)."""
    return tr("finding." + finding.code.value, **finding_params(rubric, finding))


def points_text(value: Decimal | None) -> str:
    return "—" if value is None else format_points(value)
