"""The secretariat's description file for ``bundle build``: one reviewer's assignment in TOML.

A later issue builds full round setup on top; this keeps the input simple and strict
(unknown keys refused so a typo never silently drops a proposal attribute).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.bundle.model import AssignmentSpec, ProposalMeta, ReviewerIdentity, RoundSettings
from ..core.errors import BundleFormatError, InputFileError
from .rubrics import load_rubric_arg, shipped_rubric_paths

MAX_DESCRIPTION_BYTES = 4 * 1024 * 1024


def load_assignment_description(path: str | Path) -> AssignmentSpec:
    """Parse the description; PDF paths are relative to the description's folder."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_DESCRIPTION_BYTES:
            raise _bad(p, "file too large")
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise InputFileError("file.unreadable", path=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(p, str(exc)) from None
    try:
        return _spec(doc, p)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise _bad(p, f"{type(exc).__name__}: {exc}") from None


def _bad(p: Path, detail: str) -> BundleFormatError:
    return BundleFormatError("bundle.description.invalid", file=p.name, detail=detail)


def _only(d: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise TypeError(f"{where} must be a table")
    extra = set(d) - allowed
    if extra:
        raise ValueError(f"{where}: unknown key {sorted(extra)[0]}")
    return d


def _spec(doc: dict[str, Any], p: Path) -> AssignmentSpec:
    _only(doc, {"round", "reviewer", "proposals"}, "top level")
    rnd = _only(doc["round"], {"id", "title", "deadline", "language", "rubric", "band_targets"}, "round")
    rubric_arg = rnd.get("rubric")
    if rubric_arg is not None and rubric_arg not in shipped_rubric_paths():
        rubric_arg = str((p.parent / rubric_arg).resolve())
    rubric = load_rubric_arg(rubric_arg)
    band_ids = {b.id for b in rubric.bands.bands} if rubric.bands else set()
    targets: dict[str, Decimal | None] = {}
    for k, v in dict(rnd.get("band_targets", {})).items():
        if k not in band_ids:
            raise ValueError(f"round.band_targets: unknown band {k}")
        share = Decimal(str(v))
        if not 0 <= share <= 1:
            raise ValueError(f"round.band_targets.{k}: share must be between 0 and 1")
        targets[k] = share
    deadline = rnd.get("deadline")
    settings = RoundSettings(str(rnd["id"]), str(rnd["title"]), None if deadline is None else str(deadline), targets,
                             str(rnd.get("language", "ja")))
    rv = _only(doc["reviewer"], {"id", "name"}, "reviewer")
    proposals = []
    pdfs: dict[str, str] = {}
    for i, raw in enumerate(doc["proposals"], 1):
        pr = _only(raw, {"id", "title", "institution", "institution_type", "region", "pdf", "figures"}, f"proposals[{i}]")
        figures = {str(k): Decimal(str(v)) for k, v in dict(pr.get("figures", {})).items()}
        meta = ProposalMeta(str(pr["id"]), str(pr["title"]), str(pr["institution"]), str(pr["institution_type"]),
                            str(pr["region"]), figures)
        proposals.append(meta)
        pdfs[meta.proposal_id] = str(p.parent / str(pr["pdf"]))
    return AssignmentSpec(settings, ReviewerIdentity(str(rv["id"]), str(rv["name"])), rubric.source_bytes,
                          tuple(proposals), pdfs)
