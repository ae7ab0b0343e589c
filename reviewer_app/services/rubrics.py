"""Rubric use cases: which rubrics ship with the app, loading one, scoring entries with it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import EntryError, InputFileError
from ..core.rubric import Rubric, format_points, load_rubric
from ..core.scoring import Entry, Finding, ProposalResult, score_proposal, to_figure
from ..paths import resource_path

DEFAULT_RUBRIC_ID = "kokusaika-kyoten-2009"


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


def entries_from_json(rubric: Rubric, data: Any) -> list[Entry]:
    """Entries from the JSON shape used by the CLI and test fixtures.

    ``{"1-1": {"mark": "4", "figure": 412, "comment": "…"}, "2-3": {"unjudgeable": true,
    "reason": "…"}}``. Unknown keys are refused so typos do not silently drop data.
    """
    if not isinstance(data, Mapping):
        raise EntryError("entry.bad_json", detail="top level must be an object keyed by item id")
    out = []
    for item_id, raw in data.items():
        rubric.item(item_id)
        if not isinstance(raw, Mapping):
            raise EntryError("entry.bad_json", detail=f"{item_id}: must be an object")
        unknown = set(raw) - {"mark", "figure", "comment", "unjudgeable", "reason"}
        if unknown:
            raise EntryError("entry.bad_json", detail=f"{item_id}: unknown field {sorted(unknown)[0]}")
        mark = raw.get("mark")
        figure = raw.get("figure")
        out.append(
            Entry(
                item_id=item_id,
                mark=None if mark is None else str(mark),
                comment=str(raw.get("comment") or ""),
                unjudgeable=bool(raw.get("unjudgeable", False)),
                unjudgeable_reason=str(raw.get("reason") or ""),
                figure=None if figure is None else to_figure(figure),
            )
        )
    return out


def score_entries_file(rubric: Rubric, path: str | Path) -> tuple[list[Entry], ProposalResult]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError("file.unreadable", path=str(p)) from None
    except (OSError, UnicodeDecodeError):
        raise InputFileError("file.unreadable", path=str(p)) from None
    except json.JSONDecodeError as exc:
        raise EntryError("entry.bad_json", detail=f"{p.name}: line {exc.lineno}: {exc.msg}") from None
    entries = entries_from_json(rubric, data)
    return entries, score_proposal(rubric, entries)


def finding_params(rubric: Rubric, finding: Finding) -> dict[str, str]:
    """Parameters for the ``finding.<code>`` message, plus where the finding is."""
    item = rubric.item(finding.item_id)
    return {"item": rubric.display_label(item), "title": item.title, **finding.detail}


def points_text(value: Decimal | None) -> str:
    return "—" if value is None else format_points(value)
