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
from reviewer_app.services.bundles import build_assignment_bundle, open_registry, verify_result_bundle

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
    registry_path: Path


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
    registry_path = folder / "registry.sqlite"
    registry = open_registry(registry_path)
    try:
        report = build_assignment_bundle(spec, keys, folder / name, passphrase, kdf=FAST_KDF, registry=registry)
    finally:
        registry.close()
    return BuiltBundle(report.path, report.bundle_id, ids, keys, passphrase, registry_path)


class MemoryKeyring:
    """An OS keyring stand-in that keeps secrets in this process's memory only."""

    @staticmethod
    def install() -> dict[tuple[str, str], str]:
        import keyring
        from keyring.backend import KeyringBackend

        store: dict[tuple[str, str], str] = {}

        class _Backend(KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def get_password(self, service: str, username: str) -> str | None:
                return store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                store.pop((service, username), None)

        keyring.set_keyring(_Backend())
        return store

    @staticmethod
    def remove() -> None:
        import keyring
        from keyring.backends.null import Keyring

        keyring.set_keyring(Keyring())


def grade_everything(ws, bundle_id: str, proposal_ids, mark_index: int = 1, comment: str = "所見") -> None:
    """Grade every item of each proposal with the scale's ``mark_index``-th mark and a comment."""
    rubric = ws.round_info(bundle_id).rubric
    for pid in proposal_ids:
        for item in rubric.items:
            codes = rubric.scale_of(item).codes
            ws.record_grade(bundle_id, pid, item.id, codes[min(mark_index, len(codes) - 1)])
            ws.record_comment(bundle_id, pid, item.id, comment)


def secretariat_reads(path: Path, built: BuiltBundle):
    """What the secretariat learns from a result file: the verification report with the payload."""
    registry = open_registry(built.registry_path)
    try:
        return verify_result_bundle(path, built.keys, registry)
    finally:
        registry.close()
