"""Rounds, proposals, reviewers, assignments and conflicts in the secretariat's database.

A round is stored from a validated :class:`RoundSetup`; storing it again (``round setup
--update``) replaces the setup tables of that round in one transaction and never touches
issued bundles, imported results or decisions.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..bundle.model import ProposalMeta
from ..rubric import Rubric, load_rubric_bytes
from .setup_model import ConflictSetup, ReviewerSetup, RoundSetup


@dataclass(frozen=True)
class RoundRecord:
    round_id: str
    title: str
    deadline: str | None
    language: str
    rubric_name: str
    rubric_digest: str
    band_targets: dict[str, Decimal | None]
    grade_points: dict[str, dict[str, Decimal]]
    setup_folder: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ProposalRecord:
    meta: ProposalMeta
    pdf_path: Path
    pdf_sha256: str
    pdf_size: int


def _targets_json(targets: dict[str, Decimal | None]) -> str:
    return json.dumps({k: None if v is None else str(v) for k, v in targets.items()}, sort_keys=True)


def targets_from_json(text: str) -> dict[str, Decimal | None]:
    return {k: None if v is None else Decimal(v) for k, v in json.loads(text).items()}


def save_round(conn: sqlite3.Connection, setup: RoundSetup, at: str, *, update: bool) -> None:
    """Insert (or, with ``update``, replace the setup of) one round; the caller holds the transaction."""
    rid = setup.round_id
    points = json.dumps({s: {c: str(v) for c, v in m.items()} for s, m in setup.grade_points.items()}, sort_keys=True)
    values = (setup.title, setup.deadline, setup.language, setup.rubric_name, setup.rubric.digest,
              setup.rubric.source_bytes, _targets_json(dict(setup.band_targets)), points, str(setup.folder.resolve()))
    if update:
        conn.execute("UPDATE rounds SET title=?, deadline=?, language=?, rubric_name=?, rubric_digest=?, rubric_bytes=?,"
                     " band_targets=?, grade_points=?, setup_folder=?, updated_at=? WHERE round_id=?", (*values, at, rid))
        for table in ("conflicts", "assignments", "reviewers", "proposals"):
            conn.execute(f"DELETE FROM {table} WHERE round_id = ?", (rid,))
    else:
        conn.execute("INSERT INTO rounds (title, deadline, language, rubric_name, rubric_digest, rubric_bytes, band_targets,"
                     " grade_points, setup_folder, created_at, updated_at, round_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (*values, at, at, rid))
    conn.executemany(
        "INSERT INTO proposals (round_id, proposal_id, position, title, institution, institution_type, region, figures,"
        " pdf_path, pdf_sha256, pdf_size) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(rid, p.meta.proposal_id, n, p.meta.title, p.meta.institution, p.meta.institution_type, p.meta.region,
          json.dumps({k: str(v) for k, v in p.meta.figures.items()}, sort_keys=True), str(p.pdf), p.pdf_sha256, p.pdf_size)
         for n, p in enumerate(setup.proposals)])
    conn.executemany("INSERT INTO reviewers (round_id, reviewer_id, position, name, affiliation) VALUES (?,?,?,?,?)",
                     [(rid, r.reviewer_id, n, r.name, r.affiliation) for n, r in enumerate(setup.reviewers)])
    conn.executemany("INSERT INTO assignments (round_id, reviewer_id, proposal_id, position) VALUES (?,?,?,?)",
                     [(rid, r, p, n) for n, (r, p) in enumerate(setup.assignments)])
    conn.executemany("INSERT INTO conflicts (round_id, reviewer_id, proposal_id, reason) VALUES (?,?,?,?)",
                     [(rid, c.reviewer_id, c.proposal_id, c.reason) for c in setup.conflicts])


_ROUND_COLS = ("round_id, title, deadline, language, rubric_name, rubric_digest, band_targets, grade_points, setup_folder,"
               " created_at, updated_at")


def _round(row: tuple[object, ...]) -> RoundRecord:
    gp = {s: {c: Decimal(v) for c, v in m.items()} for s, m in json.loads(str(row[7])).items()}
    return RoundRecord(str(row[0]), str(row[1]), None if row[2] is None else str(row[2]), str(row[3]), str(row[4]),
                       str(row[5]), targets_from_json(str(row[6])), gp, str(row[8]), str(row[9]), str(row[10]))


def load_round(conn: sqlite3.Connection, round_id: str) -> RoundRecord | None:
    row = conn.execute(f"SELECT {_ROUND_COLS} FROM rounds WHERE round_id = ?", (round_id,)).fetchone()
    return None if row is None else _round(row)


def list_rounds(conn: sqlite3.Connection) -> list[RoundRecord]:
    return [_round(r) for r in conn.execute(f"SELECT {_ROUND_COLS} FROM rounds ORDER BY created_at, round_id")]


def round_rubric(conn: sqlite3.Connection, round_id: str) -> Rubric:
    (data,) = conn.execute("SELECT rubric_bytes FROM rounds WHERE round_id = ?", (round_id,)).fetchone()
    return load_rubric_bytes(bytes(data), "round rubric")


def proposals(conn: sqlite3.Connection, round_id: str) -> list[ProposalRecord]:
    rows = conn.execute(
        "SELECT proposal_id, title, institution, institution_type, region, figures, pdf_path, pdf_sha256, pdf_size"
        " FROM proposals WHERE round_id = ? ORDER BY position", (round_id,)).fetchall()
    return [ProposalRecord(ProposalMeta(r[0], r[1], r[2], r[3], r[4], {k: Decimal(v) for k, v in json.loads(r[5]).items()}),
                           Path(r[6]), r[7], int(r[8])) for r in rows]


def reviewers(conn: sqlite3.Connection, round_id: str) -> list[ReviewerSetup]:
    return [ReviewerSetup(*r) for r in conn.execute(
        "SELECT reviewer_id, name, affiliation FROM reviewers WHERE round_id = ? ORDER BY position", (round_id,))]


def assignments(conn: sqlite3.Connection, round_id: str) -> list[tuple[str, str]]:
    """(reviewer, proposal) in the order of the setup's assignments file."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT reviewer_id, proposal_id FROM assignments WHERE round_id = ? ORDER BY position", (round_id,))]


def conflicts(conn: sqlite3.Connection, round_id: str) -> list[ConflictSetup]:
    return [ConflictSetup(*r) for r in conn.execute(
        "SELECT reviewer_id, proposal_id, reason FROM conflicts WHERE round_id = ? ORDER BY reviewer_id, proposal_id",
        (round_id,))]
