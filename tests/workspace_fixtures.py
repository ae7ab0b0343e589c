"""Real assignment bundles for the workspace tests, built with the bundle services.

PDFs are generated here with reportlab, uncompressed, each carrying ``MARKER`` in its
content stream, so a test can search the app's folders for leaked plaintext. The KDF
is set to the format's minimum so a test unlocks in milliseconds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reviewer_app.core.bundle.model import AssignmentSpec, KdfParams, ProposalMeta, ReviewerIdentity, RoundSettings
from reviewer_app.core.keys import SecretariatKeys
from reviewer_app.paths import resource_path
from reviewer_app.services.bundles import build_assignment_bundle

MARKER = "PLAINTEXT-MARKER-7f3a9c"
PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
RUBRIC_BYTES = resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_bytes()


def make_pdf(proposal_id: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    c.drawString(72, 720, f"{MARKER} {proposal_id}")
    c.showPage()
    c.save()
    data = buf.getvalue()
    assert MARKER.encode() in data  # the leak search depends on it
    return data


@dataclass(frozen=True)
class BuiltBundle:
    path: Path
    bundle_id: str
    proposal_ids: tuple[str, ...]
    keys: SecretariatKeys
    passphrase: str


def make_assignment(
    folder: Path,
    *,
    n: int = 3,
    round_id: str = "R2026",
    reviewer_id: str = "rev-01",
    deadline: str | None = "2099-12-31",
    band_targets: dict[str, Decimal | None] | None = None,
    keys: SecretariatKeys | None = None,
    passphrase: str = PASSPHRASE,
    name: str = "assignment.rvb",
) -> BuiltBundle:
    """Build one reviewer's bundle in ``folder`` (the secretariat's side, outside the app's folders)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = keys or SecretariatKeys.generate()
    ids = tuple(f"P{i:03d}" for i in range(1, n + 1))
    pdfs = {}
    for pid in ids:
        p = folder / f"{pid}.pdf"
        p.write_bytes(make_pdf(pid))
        pdfs[pid] = str(p)
    spec = AssignmentSpec(
        settings=RoundSettings(round_id, "令和8年度 書面審査", deadline, dict(band_targets or {})),
        reviewer=ReviewerIdentity(reviewer_id, "審査 太郎"),
        rubric_bytes=RUBRIC_BYTES,
        proposals=tuple(
            ProposalMeta(pid, f"国際化拠点構想 {pid}", f"大学 {pid}", "国立", "関東", {"1-1": Decimal(340)})
            for pid in ids
        ),
        pdfs=pdfs,
    )
    report = build_assignment_bundle(spec, keys, folder / name, passphrase, kdf=FAST_KDF)
    return BuiltBundle(report.path, report.bundle_id, ids, keys, passphrase)
