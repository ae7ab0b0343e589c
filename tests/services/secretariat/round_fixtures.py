"""A whole round for the secretariat tests: the example folder, issued bundles, reviewers working in their own homes.

Reviewers are simulated with the reviewer's own services (``Workspace``) in a data folder of
their own (``REVIEWER_APP_HOME`` switched per reviewer), so their results are exactly what the
reviewer application exports. Bundles use the format's cheapest Argon2id cost so the suite
stays fast; the reviewer workspaces skip fsync (durability is tested elsewhere).
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reviewer_app.core.bundle.model import KdfParams
from reviewer_app.core.keys import SecretariatKeys
from reviewer_app.core.secretariat.passphrase import new_passphrase
from reviewer_app.paths import HOME_ENV, resource_path

FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
EXAMPLE = resource_path("demo", "round-example")
ROUND = "2009-R1"


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest)
    return dest


@contextmanager
def home(path: Path) -> Iterator[Path]:
    """Run the enclosed code as another person on this machine (their own data folder)."""
    before = os.environ.get(HOME_ENV)
    path.mkdir(parents=True, exist_ok=True)
    os.environ[HOME_ENV] = str(path)
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = before


class PassphraseLog:
    """Fresh passphrases as production makes them, remembered here so the test can play the reviewers."""

    def __init__(self) -> None:
        self.issued: list[str] = []

    def __call__(self) -> str:
        p = new_passphrase()
        self.issued.append(p)
        return p


@dataclass
class ReviewerPlan:
    """What one simulated reviewer enters: marks per (proposal, item), unjudgeable items, conflicts."""

    reviewer_id: str
    marks: dict[tuple[str, str], str] = field(default_factory=dict)
    unjudgeable: dict[tuple[str, str], str] = field(default_factory=dict)
    conflicts: dict[str, str] = field(default_factory=dict)
    figures: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def comment(self, pid: str, item_id: str) -> str:
        return f"所見 {self.reviewer_id} {pid} {item_id}"


def make_plan(reviewer_id: str, proposal_ids: list[str], items: list[tuple[str, tuple[str, ...]]], seed: int) -> ReviewerPlan:
    rng = random.Random(seed)
    plan = ReviewerPlan(reviewer_id)
    for pid in proposal_ids:
        for item_id, codes in items:
            plan.marks[(pid, item_id)] = rng.choice(codes)
    return plan


def play_reviewer(work: Path, bundle: Path, passphrase: str, plan: ReviewerPlan, out: Path,
                  justification: str = "申請全体の水準が高かったため") -> str:
    """Add, unlock, grade as planned and export to ``out``; returns the bundle id. Runs in the reviewer's home."""
    from reviewer_app.services.workspace import Workspace

    with home(work), Workspace() as ws:
        ws.store.conn.execute("PRAGMA synchronous=OFF")  # speed only: the workspace's durability has its own tests
        bid = ws.add_bundle(bundle).bundle_id
        ws.unlock(bid, passphrase)
        export_plan(ws, bid, plan, justification)
        ws.export(bid, out, passphrase)
    return bid


def export_plan(ws: object, bid: str, plan: ReviewerPlan, justification: str) -> None:
    rubric = ws.round_info(bid).rubric  # type: ignore[attr-defined]
    for pid in ws.proposal_ids(bid):  # type: ignore[attr-defined]
        if pid in plan.conflicts:
            ws.declare_conflict(bid, pid, plan.conflicts[pid])  # type: ignore[attr-defined]
            continue
        for item in rubric.items:
            key = (pid, item.id)
            if key in plan.figures:
                ws.record_figure(bid, pid, item.id, plan.figures[key])  # type: ignore[attr-defined]
            if key in plan.unjudgeable:
                ws.set_unjudgeable(bid, pid, item.id, plan.unjudgeable[key])  # type: ignore[attr-defined]
            else:
                ws.record_grade(bid, pid, item.id, plan.marks[key])  # type: ignore[attr-defined]
            ws.record_comment(bid, pid, item.id, plan.comment(pid, item.id))  # type: ignore[attr-defined]
    ws.set_justification(bid, justification)  # type: ignore[attr-defined]


def new_keys() -> SecretariatKeys:
    return SecretariatKeys.generate()
