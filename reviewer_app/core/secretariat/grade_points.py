"""A round's grade-point overrides, applied to the rubric the reviewers receive.

Every bundle embeds the rubric's bytes verbatim and the reviewer's app scores with exactly
those bytes, so an override cannot live beside the rubric: it must be *in* it, or reviewer
and secretariat would disagree about every total. We therefore rewrite the ``fraction`` of
the named marks in the rubric text (keeping every 観点 and comment byte for byte), prepend a
comment saying what was changed, and then load the result and check that nothing but those
fractions differs. A rubric laid out so that the rewrite is not exact is refused with a
typed error rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from ..errors import RubricError
from ..rubric import Rubric, load_rubric_bytes

HUNDRED = Decimal(100)
_SECTION = re.compile(r"^\s*\[{1,2}\s*([^\]]+?)\s*\]{1,2}\s*(#.*)?$")


def _fraction_text(percent: Decimal) -> str:
    f = (percent / HUNDRED).normalize()
    text = format(f, "f")
    return text if "." in text else text + ".0"


def apply_grade_points(rubric: Rubric, overrides: Mapping[str, Mapping[str, Decimal]], round_id: str) -> Rubric:
    """The rubric with ``overrides`` (scale id → mark code → percent of the item's points) applied.

    Raises ``RubricError`` (``rubric.override.*``) when a scale or mark is unknown, a value is
    out of 0–100, or the file's layout does not allow an exact rewrite; the loader's own checks
    (e.g. a worse mark worth more than a better one) apply to the result.
    """
    if not overrides:
        return rubric
    for scale_id, marks in overrides.items():
        scale = rubric.scales.get(scale_id)
        if scale is None:
            raise RubricError("rubric.override.unknown_scale", file=rubric.source_name, where=scale_id,
                              known=", ".join(rubric.scales))
        for code, pct in marks.items():
            if scale.mark(code) is None:
                raise RubricError("rubric.override.unknown_mark", file=rubric.source_name, where=f"{scale_id}.{code}",
                                  known=", ".join(scale.codes))
            if not pct.is_finite() or not 0 <= pct <= HUNDRED:
                raise RubricError("rubric.override.out_of_range", file=rubric.source_name, where=f"{scale_id}.{code}",
                                  value=str(pct))
    text = rubric.source_bytes.decode("utf-8")
    lines = text.splitlines(keepends=True)
    section = None
    done: set[tuple[str, str]] = set()
    for n, line in enumerate(lines):
        m = _SECTION.match(line)
        if m:
            section = m.group(1).strip()
            continue
        if section is None or not section.startswith("scales."):
            continue
        scale_id = section[len("scales."):].strip().strip('"')
        marks = overrides.get(scale_id)
        if not marks:
            continue
        cm = re.search(r'\bcode\s*=\s*"([^"]*)"', line)
        if cm is None or cm.group(1) not in marks:
            continue
        code = cm.group(1)
        new_line, count = re.subn(r"\bfraction\s*=\s*[0-9.]+", f"fraction = {_fraction_text(marks[code])}", line)
        if count != 1 or (scale_id, code) in done:
            raise RubricError("rubric.override.layout", file=rubric.source_name, where=f"{scale_id}.{code}")
        lines[n] = new_line
        done.add((scale_id, code))
    wanted = {(s, c) for s, marks in overrides.items() for c in marks}
    if done != wanted:
        missing = sorted(wanted - done)[0]
        raise RubricError("rubric.override.layout", file=rubric.source_name, where=".".join(missing))
    summary = "; ".join(f"{s}: " + ", ".join(f"{c}={format(p.normalize(), 'f')}%" for c, p in marks.items())
                        for s, marks in overrides.items())
    header = (f"# reviewer-app: grade points set for round {round_id} ({summary});"
              f" the rest is {rubric.source_name} as shipped.\n")
    data = (header + "".join(lines)).encode("utf-8")
    patched = load_rubric_bytes(data, rubric.source_name)
    _check_only_fractions_changed(rubric, patched, overrides)
    return patched


def _check_only_fractions_changed(before: Rubric, after: Rubric, overrides: Mapping[str, Mapping[str, Decimal]]) -> None:
    expected_scales = {}
    for sid, scale in before.scales.items():
        marks = tuple(
            replace(m, fraction=overrides[sid][m.code] / HUNDRED) if m.code in overrides.get(sid, {}) else m
            for m in scale.marks
        )
        expected_scales[sid] = replace(scale, marks=marks)
    same = (
        dict(after.scales) == expected_scales
        and after.items == before.items and after.groups == before.groups and after.viewpoints == before.viewpoints
        and after.bands == before.bands and after.decision_tables == before.decision_tables
        and after.id == before.id and after.total_points == before.total_points
    )
    if not same:
        raise RubricError("rubric.override.layout", file=before.source_name, where="-")
