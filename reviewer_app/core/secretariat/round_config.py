"""``round.toml``: the round's title, deadline, rubric, band targets, grade points and language.

Problems are collected, never raised, each with the line of the key concerned (tomllib
does not keep positions, so the line is found in the text: good enough to jump to).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import ReviewerAppError
from ..rubric import Rubric
from .csvfile import Problems, decode, has_control, read_file_bytes
from .grade_points import apply_grade_points

ROUND_FILE = "round.toml"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANGUAGES = ("ja", "en")
MAX_ROUND_BYTES = 1024 * 1024
_TOP_KEYS = {"id", "title", "deadline", "language", "rubric", "band_targets", "grade_points"}
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class RoundConfig:
    round_id: str
    title: str
    deadline: str | None
    language: str
    rubric_name: str
    rubric: Rubric
    band_targets: Mapping[str, Decimal | None] = field(default_factory=dict)
    grade_points: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """The line where ``key`` is set (inside ``[section]`` when given); None when not found."""
    lines = text.splitlines()
    start = 0
    if section is not None:
        pat = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        for n, line in enumerate(lines):
            if pat.match(line):
                start = n + 1
                break
        else:
            return None
    key_pat = re.compile(r'^\s*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*=")
    for n in range(start, len(lines)):
        if section is not None and lines[n].lstrip().startswith("["):
            break
        if key_pat.match(lines[n]):
            return n + 1
    return None


def parse_deadline(value: Any) -> str | None:
    """An ISO date or date-time (TOML's own or a string); raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError("deadline")
    text = value.strip()
    if len(text) == 10:
        return dt.date.fromisoformat(text).isoformat()
    return dt.datetime.fromisoformat(text).isoformat()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("number")
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("number") from None
    if not d.is_finite():
        raise ValueError("number")
    return d


def read_round_config(
    folder: Path, sink: list[Any], load_rubric: Callable[[str, Path], tuple[str, Rubric]]
) -> tuple[RoundConfig | None, Rubric | None]:
    """Parse ``folder/round.toml``; ``load_rubric(name, folder)`` resolves a shipped id or a path.

    Returns (config, rubric): config is None when the file cannot be used (every problem found
    is in ``sink``); the rubric is returned whenever it could be loaded, so the other files can
    still be checked against it.
    """
    problems = Problems(sink, ROUND_FILE)
    data = read_file_bytes(folder / ROUND_FILE, problems, MAX_ROUND_BYTES)
    if data is None:
        return None, None
    decoded = decode(data, problems)
    if decoded is None:
        return None, None
    text = decoded[0]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        problems.add("toml_syntax", line, col, detail=_TOML_POS.sub("", str(exc)).strip())
        return None, None
    except RecursionError:
        problems.add("toml_syntax", detail="nesting")
        return None, None
    before = len(sink)
    for key in sorted(set(doc) - _TOP_KEYS):
        problems.add("unknown_key", _line_of(text, key), 1, key=key)

    def text_field(key: str, required: bool = True) -> str:
        v = doc.get(key)
        if v is None:
            if required:
                problems.add("missing_key", None, None, key=key)
            return ""
        if not isinstance(v, str):
            problems.add("wrong_type", _line_of(text, key), 1, key=key, expected="text")
            return ""
        v = v.strip()
        if required and not v:
            problems.add("empty_value", _line_of(text, key), 1, key=key)
        elif has_control(v):
            problems.add("control_char", _line_of(text, key), 1)
        return v

    round_id = text_field("id")
    if round_id and not ID_RE.match(round_id):
        problems.add("bad_round_id", _line_of(text, "id"), 1, value=round_id)
    title = text_field("title")
    deadline = None
    if "deadline" in doc:
        try:
            deadline = parse_deadline(doc["deadline"])
        except ValueError:
            problems.add("bad_date", _line_of(text, "deadline"), 1, value=str(doc["deadline"]))
    language = text_field("language", required=False) or "ja"
    if language not in LANGUAGES:
        problems.add("bad_language", _line_of(text, "language"), 1, value=language, allowed=", ".join(LANGUAGES))
    rubric_name = text_field("rubric", required=False) or ""
    try:
        rubric_name, rubric = load_rubric(rubric_name, folder)
    except ReviewerAppError as exc:
        problems.add("bad_rubric", _line_of(text, "rubric"), 1, cause=exc)
        return None, None

    band_targets: dict[str, Decimal | None] = {}
    raw_targets = doc.get("band_targets", {})
    band_ids = [b.id for b in rubric.bands.bands] if rubric.bands else []
    if not isinstance(raw_targets, dict):
        problems.add("wrong_type", _line_of(text, "band_targets"), 1, key="band_targets", expected="table")
        raw_targets = {}
    for band, share in raw_targets.items():
        line = _line_of(text, band, "band_targets")
        if band not in band_ids:
            problems.add("unknown_band", line, 1, band=band, known=", ".join(band_ids) or "—")
            continue
        try:
            d = _decimal(share)
        except ValueError:
            problems.add("bad_share", line, 1, band=band, value=str(share))
            continue
        if not 0 <= d <= 1:
            problems.add("bad_share", line, 1, band=band, value=str(share))
            continue
        band_targets[band] = d

    grade_points: dict[str, dict[str, Decimal]] = {}
    raw_points = doc.get("grade_points", {})
    if not isinstance(raw_points, dict):
        problems.add("wrong_type", _line_of(text, "grade_points"), 1, key="grade_points", expected="table")
        raw_points = {}
    for scale_id, marks in raw_points.items():
        scale = rubric.scales.get(scale_id)
        if scale is None or not isinstance(marks, dict):
            problems.add("unknown_scale", _line_of(text, scale_id, "grade_points") or _line_of(text, "grade_points"), 1,
                         scale=scale_id, known=", ".join(rubric.scales))
            continue
        for code, pct in marks.items():
            line = _line_of(text, code, f"grade_points.{scale_id}")
            if scale.mark(code) is None:
                problems.add("unknown_mark", line, 1, scale=scale_id, mark=code, known=", ".join(scale.codes))
                continue
            try:
                d = _decimal(pct)
            except ValueError:
                problems.add("bad_grade_points", line, 1, scale=scale_id, mark=code, value=str(pct))
                continue
            if not 0 <= d <= 100:
                problems.add("bad_grade_points", line, 1, scale=scale_id, mark=code, value=str(pct))
                continue
            grade_points.setdefault(scale_id, {})[code] = d
    if len(sink) > before:
        return None, rubric
    if grade_points:
        try:
            patched = apply_grade_points(rubric, grade_points, round_id)
        except ReviewerAppError as exc:
            problems.add("bad_grade_points_rubric", _line_of(text, "grade_points"), 1, cause=exc)
            return None, rubric
        rubric = patched
    return RoundConfig(round_id, title, deadline, language, rubric_name, rubric, band_targets, grade_points), rubric
