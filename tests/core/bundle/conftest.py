"""Shared builders: cheap Argon2id, tiny PDFs, one secretariat, one issued assignment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from reviewer_app.core.bundle.model import (
    AssignmentSpec,
    KdfParams,
    ProposalMeta,
    ResultEntry,
    ResultPayload,
    ResultProposal,
    ReviewerIdentity,
    RoundSettings,
)
from reviewer_app.core.keys import ReviewerKey, SecretariatKeys
from reviewer_app.services import bundles as svc

#: Far below production cost so hundreds of opens stay fast; the reader takes it from the header.
FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
PASS = "correct horse battery staple"


def make_spec(folder: Path, rubric_bytes: bytes, *, round_id: str = "R2009", reviewer: str = "rv01",
              sizes: tuple[int, ...] = (300, 500)) -> AssignmentSpec:
    proposals = []
    pdfs = {}
    for i, size in enumerate(sizes, 1):
        pid = f"P{i:03d}"
        path = folder / f"{pid}-secret-name.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes([65 + i]) * size)
        pdfs[pid] = str(path)
        proposals.append(ProposalMeta(pid, f"極秘構想{i}", f"秘密大学{i}", "国立" if i % 2 else "私立", "関東",
                                      {"1-1": Decimal(340 + i)}))
    settings = RoundSettings(round_id, "書面審査", "2009-06-30", {}, "ja")
    return AssignmentSpec(settings, ReviewerIdentity(reviewer, "山田 太郎"), rubric_bytes, tuple(proposals), pdfs)


def payload_for(opened: svc.OpenedAssignment, revision: int = 1, comment: str = "所見") -> ResultPayload:
    props = tuple(
        ResultProposal(p.proposal_id, (ResultEntry("1-1", "4", Decimal("412"), comment), ResultEntry("2-1", "a", None, "優れている")))
        for p in opened.proposals
    )
    return ResultPayload(opened.bundle_id, opened.settings.round_id, opened.reviewer.reviewer_id, opened.rubric.digest,
                         revision, props, "", "ab" * 32, "2009-06-20T01:00:00+00:00", "2009-06-01T00:00:00+00:00")


@pytest.fixture(scope="session")
def sec_keys() -> SecretariatKeys:
    return SecretariatKeys.generate()


@pytest.fixture(scope="session")
def reviewer_key() -> ReviewerKey:
    return ReviewerKey.generate()


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[svc.IssuedRegistry]:
    reg = svc.open_registry(tmp_path / "registry.sqlite")
    yield reg
    reg.close()


@pytest.fixture
def issued(tmp_path: Path, rubric, sec_keys: SecretariatKeys, registry: svc.IssuedRegistry) -> tuple[Path, AssignmentSpec]:
    spec = make_spec(tmp_path, rubric.source_bytes)
    out = tmp_path / "assignment.rvb"
    svc.build_assignment_bundle(spec, sec_keys, out, PASS, kdf=FAST_KDF, registry=registry)
    return out, spec


@pytest.fixture
def opened(issued: tuple[Path, AssignmentSpec]) -> svc.OpenedAssignment:
    return svc.open_assignment(issued[0], PASS)


def with_revision(p: ResultPayload, revision: int) -> ResultPayload:
    return replace(p, revision=revision)
