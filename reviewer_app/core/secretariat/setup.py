"""Reading a round's setup folder: every file checked, every problem reported at once.

Layout (documented with an example in ``docs/secretariat.md`` and ``resources/demo/round-example``)::

    round.toml        title, deadline, rubric, band targets, grade points, language
    proposals.csv     id, title, institution, type (国立/公立/私立), region, [pdf], one column per 5-level item
    proposals/*.pdf   one PDF per proposal (``proposals/<id>.pdf`` unless the pdf column names another)
    reviewers.csv     id, name, [affiliation]
    assignments.csv   reviewer, proposal
    conflicts.csv     reviewer, proposal, [reason]

Japanese column names are accepted beside the English ones (申請番号, 構想名, 大学名, 設置形態,
地域, 審査委員番号, 氏名, 所属, 理由). Nothing here raises for bad content.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..bundle import limits
from ..bundle.model import INSTITUTION_TYPES, ProposalMeta
from ..rubric import Rubric
from ..scoring import MAX_FIGURE
from .csvfile import Column, CsvRow, CsvTable, Problems, read_table
from .round_config import ID_RE, read_round_config
from .setup_model import (
    ConflictSetup,
    ProposalSetup,
    ReviewerSetup,
    RoundSetup,
    SetupProblem,
)

PROPOSALS_FILE = "proposals.csv"
REVIEWERS_FILE = "reviewers.csv"
ASSIGNMENTS_FILE = "assignments.csv"
CONFLICTS_FILE = "conflicts.csv"
PDF_FOLDER = "proposals"
#: A PDF viewer accepts the header anywhere in the first 1,024 bytes; so do we.
PDF_HEADER_WINDOW = 1024

_ID = Column("id", ("id", "申請番号", "proposal_id"))
PROPOSAL_COLUMNS = (
    _ID,
    Column("title", ("title", "構想名", "名称")),
    Column("institution", ("institution", "大学名", "機関名")),
    Column("type", ("type", "institution_type", "設置形態", "国公私")),
    Column("region", ("region", "地域")),
    Column("pdf", ("pdf", "ファイル"), required=False, nonempty=False),
)
REVIEWER_COLUMNS = (
    Column("id", ("id", "審査委員番号", "reviewer_id")),
    Column("name", ("name", "氏名")),
    Column("affiliation", ("affiliation", "所属"), required=False, nonempty=False),
)
PAIR_COLUMNS = (
    Column("reviewer", ("reviewer", "審査委員番号", "reviewer_id")),
    Column("proposal", ("proposal", "申請番号", "proposal_id")),
)
CONFLICT_COLUMNS = (*PAIR_COLUMNS, Column("reason", ("reason", "理由"), required=False, nonempty=False))
_DECIMAL = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")

RubricLoader = Callable[[str, Path], tuple[str, Rubric]]


def parse_figure(text: str) -> Decimal:
    """A non-negative decimal as people type it (``1,234``, ``340.5``, full-width digits); ValueError otherwise."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not _DECIMAL.match(t):
        raise ValueError(text)
    try:
        d = Decimal(t.replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if d > MAX_FIGURE:
        raise ValueError(text)
    return d


def read_setup(folder: str | Path, load_rubric: RubricLoader) -> tuple[RoundSetup | None, list[SetupProblem]]:
    """Validate the folder; (setup, problems). ``setup`` is None when any problem is an error."""
    root = Path(folder)
    problems: list[SetupProblem] = []
    if not root.is_dir():
        problems.append(SetupProblem(str(root), None, None, "not_a_folder"))
        return None, problems
    config, rubric = read_round_config(root, problems, load_rubric)
    seen_proposals: set[str] = set()
    seen_reviewers: set[str] = set()
    proposals = _proposals(root, rubric, problems, seen_proposals)
    reviewers = _reviewers(root, problems, seen_reviewers)
    known_p = seen_proposals if proposals is not None else None
    known_r = seen_reviewers if reviewers is not None else None
    conflicts = _pairs(root, CONFLICTS_FILE, CONFLICT_COLUMNS, known_p, known_r, problems, optional=True)
    assignments = _pairs(root, ASSIGNMENTS_FILE, PAIR_COLUMNS, known_p, known_r, problems)
    conflict_lines = {(r.values["reviewer"], r.values["proposal"]): r.line for r in conflicts}
    assigned: list[tuple[str, str]] = []
    for row in assignments:
        pair = (row.values["reviewer"], row.values["proposal"])
        if pair in conflict_lines:
            Problems(problems, ASSIGNMENTS_FILE).add(
                "assigned_with_conflict", row.line, row.col("reviewer"), reviewer=pair[0], proposal=pair[1],
                conflict_line=conflict_lines[pair])
            continue
        assigned.append(pair)
    if proposals is not None and reviewers is not None:
        _coverage(proposals, reviewers, assigned, problems)
    if config is None or proposals is None or reviewers is None or any(p.is_error for p in problems):
        return None, problems
    setup = RoundSetup(
        folder=root, round_id=config.round_id, title=config.title, deadline=config.deadline, language=config.language,
        rubric_name=config.rubric_name, rubric=config.rubric, band_targets=dict(config.band_targets),
        grade_points={k: dict(v) for k, v in config.grade_points.items()},
        proposals=tuple(proposals.values()), reviewers=tuple(reviewers.values()), assignments=tuple(assigned),
        conflicts=tuple(ConflictSetup(r.values["reviewer"], r.values["proposal"], r.values.get("reason", ""))
                        for r in conflicts),
        warnings=tuple(problems),
    )
    return setup, problems


def _figure_columns(rubric: Rubric | None) -> Callable[[str], str | None]:
    """Figure columns are named by the rubric's 5-level item ids; without a rubric (round.toml broken) none is judged."""
    level_items = {i.id for i in rubric.items if rubric.scale_of(i).kind == "level"} if rubric else set()

    def key(header: str) -> str | None:
        return f"figure:{header}" if header in level_items or (rubric is None and header) else None

    return key


def _proposals(root: Path, rubric: Rubric | None, sink: list[SetupProblem], seen: set[str]) -> dict[str, ProposalSetup] | None:
    """Valid proposals by id; ``seen`` receives every id a row names, valid or not (no cascade of "unknown id")."""
    table = read_table(root / PROPOSALS_FILE, PROPOSALS_FILE, PROPOSAL_COLUMNS, sink, extra_column=_figure_columns(rubric))
    if table is None:
        return None
    problems = Problems(sink, PROPOSALS_FILE)
    if rubric is not None:
        for item in rubric.items:
            if rubric.scale_of(item).kind == "level" and f"figure:{item.id}" not in table.extra_columns:
                problems.add("missing_column", None, None, column_name=item.id)
    out: dict[str, ProposalSetup] = {}
    first_line: dict[str, int] = {}
    used_pdfs: set[Path] = set()
    for row in table.rows:
        v = row.values
        pid = v["id"]
        seen.add(pid)
        if not ID_RE.match(pid):
            problems.add("bad_id", row.line, row.col("id"), value=pid)
            continue
        if pid in first_line:
            problems.add("duplicate_id", row.line, row.col("id"), value=pid, first_line=first_line[pid])
            continue
        first_line[pid] = row.line
        ok = True
        if v["type"] not in INSTITUTION_TYPES:
            problems.add("bad_institution_type", row.line, row.col("type"), value=v["type"],
                         allowed="・".join(INSTITUTION_TYPES))
            ok = False
        figures: dict[str, Decimal] = {}
        for key, col in table.extra_columns.items():
            item_id = key.split(":", 1)[1]
            cell = v.get(key, "")
            if rubric is None:
                continue  # the rubric is unknown until round.toml is fixed: figures are checked then
            if not cell:
                problems.add("missing_figure", row.line, col, item=item_id, warning=True)
                continue
            try:
                figures[item_id] = parse_figure(cell)
            except ValueError:
                problems.add("bad_figure", row.line, col, item=item_id, value=cell)
                ok = False
        pdf_cell = v.get("pdf", "")
        pdf = _pdf(root, pdf_cell or f"{PDF_FOLDER}/{pid}.pdf", problems, row.line, row.col("pdf") or row.col("id"))
        if pdf is None or not ok:
            continue
        path, digest, size = pdf
        used_pdfs.add(path)
        meta = ProposalMeta(pid, v["title"], v["institution"], v["type"], v["region"], figures)
        out[pid] = ProposalSetup(meta, path, digest, size)
    folder = root / PDF_FOLDER
    if folder.is_dir():
        for extra in sorted(p for p in folder.glob("*.pdf") if p.resolve() not in used_pdfs):
            Problems(sink, f"{PDF_FOLDER}/{extra.name}").add("unused_pdf", warning=True)
    return out


def _pdf(root: Path, name: str, problems: Problems, line: int, column: int | None) -> tuple[Path, str, int] | None:
    """(resolved path, SHA-256, size) of a proposal PDF inside the folder; a problem otherwise."""
    base = root.resolve()
    path = (root / name).resolve()
    if base != path and base not in path.parents:
        problems.add("pdf_outside", line, column, path=name)
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        problems.add("pdf_missing", line, column, path=name)
        return None
    except OSError as exc:
        problems.add("pdf_unreadable", line, column, path=name, reason=exc.strerror or "")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.add("pdf_not_a_file", line, column, path=name)
            return None
        if st.st_size > limits.MAX_MEMBER_BYTES:
            problems.add("pdf_too_large", line, column, path=name, size=st.st_size, limit=limits.MAX_MEMBER_BYTES)
            return None
        h = hashlib.sha256()
        with os.fdopen(os.dup(fd), "rb") as fh:
            head = fh.read(PDF_HEADER_WINDOW)
            h.update(head)
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if b"%PDF-" not in head:
            problems.add("not_a_pdf", line, column, path=name)
            return None
        return path, h.hexdigest(), st.st_size
    except OSError as exc:
        problems.add("pdf_unreadable", line, column, path=name, reason=exc.strerror or "")
        return None
    finally:
        os.close(fd)


def _reviewers(root: Path, sink: list[SetupProblem], seen: set[str]) -> dict[str, ReviewerSetup] | None:
    table = read_table(root / REVIEWERS_FILE, REVIEWERS_FILE, REVIEWER_COLUMNS, sink)
    if table is None:
        return None
    problems = Problems(sink, REVIEWERS_FILE)
    out: dict[str, ReviewerSetup] = {}
    first_line: dict[str, int] = {}
    for row in table.rows:
        rid = row.values["id"]
        seen.add(rid)
        if not ID_RE.match(rid):
            problems.add("bad_id", row.line, row.col("id"), value=rid)
        elif rid in first_line:
            problems.add("duplicate_id", row.line, row.col("id"), value=rid, first_line=first_line[rid])
        else:
            first_line[rid] = row.line
            out[rid] = ReviewerSetup(rid, row.values["name"], row.values.get("affiliation", ""))
    return out


def _pairs(root: Path, name: str, columns: tuple[Column, ...], proposals: set[str] | None,
           reviewers: set[str] | None, sink: list[SetupProblem], optional: bool = False) -> list[CsvRow]:
    """Rows of a reviewer × proposal file whose ids exist and which are not repeated."""
    path = root / name
    problems = Problems(sink, name)
    if optional and not path.exists() and not path.is_symlink():
        problems.add("no_conflicts_file", warning=True)
        return []
    table: CsvTable | None = read_table(path, name, columns, sink)
    if table is None:
        return []
    out = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        r, p = row.values["reviewer"], row.values["proposal"]
        ok = True
        if reviewers is not None and r not in reviewers:
            problems.add("unknown_reviewer", row.line, row.col("reviewer"), value=r)
            ok = False
        if proposals is not None and p not in proposals:
            problems.add("unknown_proposal", row.line, row.col("proposal"), value=p)
            ok = False
        if (r, p) in seen:
            problems.add("duplicate_row", row.line, None, reviewer=r, proposal=p, first_line=seen[(r, p)])
            ok = False
        else:
            seen[(r, p)] = row.line
        if ok:
            out.append(row)
    return out


def _coverage(proposals: dict[str, ProposalSetup], reviewers: dict[str, ReviewerSetup],
              assigned: list[tuple[str, str]], sink: list[SetupProblem]) -> None:
    """Warnings, not errors: a reviewer with nothing to review, a proposal nobody reviews."""
    busy = {r for r, _ in assigned}
    covered = {p for _, p in assigned}
    for rid in reviewers:
        if rid not in busy:
            Problems(sink, REVIEWERS_FILE).add("reviewer_unassigned", warning=True, reviewer=rid)
    for pid in proposals:
        if pid not in covered:
            Problems(sink, PROPOSALS_FILE).add("proposal_unassigned", warning=True, proposal=pid)

