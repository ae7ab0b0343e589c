"""An issued round and reviewers' result files for the window tests (C's forge helpers, cheap KDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer_app.core.bundle.model import ResultPayload
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.services import bundles as bundle_service
from reviewer_app.services.secretariat import Secretariat
from tests.services.secretariat.forge import complete_payload
from tests.services.secretariat.round_fixtures import FAST_KDF, ROUND, PassphraseLog


class Issued:
    def __init__(self, sec: Secretariat, keys: object, setup_folder: Path, out: Path) -> None:
        sec.setup_round(setup_folder)
        out.mkdir(parents=True, exist_ok=True)
        log = PassphraseLog()
        self.report = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, passphrases=log)  # type: ignore[arg-type]
        self.passphrases = {i.reviewer_id: p for i, p in zip(self.report.written, log.issued, strict=True)}
        self.keys: dict[str, ReviewerKey] = {}

    def result(self, reviewer: str, out: Path, revision: int = 1, mark_index: int = 1,
               edit: Callable[[ResultPayload, Any], ResultPayload] | None = None) -> Path:
        """A genuine result file; ``edit(payload, rubric)`` changes what the reviewer exports."""
        item = next(i for i in self.report.items if i.reviewer_id == reviewer)
        opened = bundle_service.open_assignment(item.bundle_path, self.passphrases[reviewer])
        payload = complete_payload(opened.result_target(), opened.rubric, revision, mark_index=mark_index)
        if edit is not None:
            payload = edit(payload, opened.rubric)
        key = self.keys.setdefault(reviewer, ReviewerKey.generate())
        bundle_service.build_result_bundle(opened, payload, key, out)
        return out


def tamper(src: Path, dest: Path) -> Path:
    data = bytearray(src.read_bytes())
    data[len(data) // 2] ^= 0x01
    dest.write_bytes(bytes(data))
    return dest
