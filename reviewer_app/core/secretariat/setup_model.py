"""What a round's setup folder describes, once validated: plain frozen values.

The folder (``round.toml``, ``proposals.csv``, ``proposals/*.pdf``, ``reviewers.csv``,
``assignments.csv``, ``conflicts.csv``; see ``docs/secretariat.md``) is read by
:mod:`.setup`; everything downstream (the store, issuing, aggregation) works on these values,
so a GUI can build the same values from a form without writing files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..bundle.model import ProposalMeta
from ..rubric import Rubric

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class SetupProblem:
    """One thing wrong (or worth a look) in a setup folder, located as precisely as the file allows.

    ``file`` is the name inside the folder (``proposals.csv``); ``line`` and ``column`` are
    1-based (``None`` when the problem is about the file as a whole). The message is
    ``tr("secretariat.setup.problem." + code, **params)``. Warnings never block the setup.
    """

    file: str
    line: int | None
    column: int | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def where(self) -> str:
        """``proposals.csv:12:3`` — what editors and compilers print, so a clerk can jump there."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class ProposalSetup:
    meta: ProposalMeta
    pdf: Path
    pdf_sha256: str
    pdf_size: int


@dataclass(frozen=True)
class ReviewerSetup:
    reviewer_id: str
    name: str
    affiliation: str = ""


@dataclass(frozen=True)
class ConflictSetup:
    reviewer_id: str
    proposal_id: str
    reason: str = ""


@dataclass(frozen=True)
class RoundSetup:
    """A validated round: what ``round setup`` stores and ``round issue`` builds bundles from.

    ``rubric`` is the rubric the reviewers will score with: the named one with the round's
    grade-point overrides applied (its bytes are embedded in every bundle verbatim).
    ``assignments`` are (reviewer id, proposal id) pairs in file order.
    """

    folder: Path
    round_id: str
    title: str
    deadline: str | None
    language: str
    rubric_name: str
    rubric: Rubric
    band_targets: Mapping[str, Decimal | None]
    grade_points: Mapping[str, Mapping[str, Decimal]]
    proposals: tuple[ProposalSetup, ...]
    reviewers: tuple[ReviewerSetup, ...]
    assignments: tuple[tuple[str, str], ...]
    conflicts: tuple[ConflictSetup, ...]
    warnings: tuple[SetupProblem, ...] = ()

    def proposals_of(self, reviewer_id: str) -> tuple[str, ...]:
        return tuple(p for r, p in self.assignments if r == reviewer_id)
