"""A registered example round with bundles issued: what most secretariat service tests start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer_app.core.keys import SecretariatKeys
from reviewer_app.services import bundles as bundle_service
from reviewer_app.services.secretariat import IssueReport, Secretariat
from tests.services.secretariat.round_fixtures import FAST_KDF, ROUND, PassphraseLog, copy_example


@dataclass
class IssuedRound:
    sec: Secretariat
    keys: SecretariatKeys
    folder: Path
    out: Path
    report: IssueReport
    passphrases: dict[str, str]

    def target(self, reviewer: str):
        item = next(i for i in self.report.items if i.reviewer_id == reviewer)
        return bundle_service.open_assignment(item.bundle_path, self.passphrases[reviewer])


@pytest.fixture(scope="session")
def keys() -> SecretariatKeys:
    return SecretariatKeys.generate()


@pytest.fixture
def issued_round(tmp_path, keys) -> IssuedRound:
    folder = copy_example(tmp_path / "setup")
    sec = Secretariat(actor="tester")
    sec.setup_round(folder)
    out = tmp_path / "bundles"
    out.mkdir()
    log = PassphraseLog()
    report = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, passphrases=log)
    yield IssuedRound(sec, keys, folder, out, report,
                      {i.reviewer_id: p for i, p in zip(report.written, log.issued, strict=True)})
    sec.close()
