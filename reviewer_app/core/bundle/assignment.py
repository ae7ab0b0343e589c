"""The assignment bundle (secretariat → reviewer): what its manifest holds and how it is opened."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from ..errors import BundleFormatError, BundleIntegrityError, BundleLimitError, WrongSecretError
from ..keys import SecretariatKeys, SecretariatPublicKeys, b64d, b64e, ed25519_raw, x25519_raw
from ..rubric import Rubric, load_rubric_bytes
from . import container as c
from . import crypto, envelope, limits
from .envelope import Member, Random
from .model import (
    DEFAULT_KDF,
    INSTITUTION_TYPES,
    AssignmentSpec,
    BundleHeader,
    BundleKind,
    KdfParams,
    ProposalMeta,
    ReviewerIdentity,
    RoundSettings,
)

RUBRIC_MEMBER = "rubric"
KIND = BundleKind.ASSIGNMENT


@dataclass(frozen=True)
class ResultTarget:
    """What a result bundle must answer, taken from an opened assignment.

    ``binding_key`` is secret (it proves the reviewer's signing key to the secretariat);
    keep it only in memory.
    """

    bundle_id: str
    round_id: str
    reviewer_id: str
    rubric_digest: str
    proposal_ids: tuple[str, ...]
    secretariat_encryption: X25519PublicKey
    binding_key: bytes


class OpenedAssignment:
    """An unlocked, signature-checked assignment; proposals are decrypted one at a time, on demand."""

    def __init__(self, path: Path, header: BundleHeader, doc: dict[str, Any], data_key: bytes, ck: bytes,
                 members: dict[str, Member], rubric: Rubric, secretariat: SecretariatPublicKeys) -> None:
        self.path = path
        self.header = header
        self.bundle_id = header.bundle_id
        self.data_key = data_key
        self._ck = ck
        self._members = members
        self._lock = threading.Lock()
        self.rubric = rubric
        self.secretariat = secretariat
        self.created_at: str = doc["created_at"]
        self.settings: RoundSettings = _settings(doc["round"])
        self.reviewer = ReviewerIdentity(doc["reviewer"]["id"], doc["reviewer"]["name"])
        self._binding_key = b64d(doc["binding_key"], crypto.KEY_LEN)
        self.proposals: tuple[ProposalMeta, ...] = tuple(_proposal(p, rubric) for p in doc["proposals"])
        self._pdf_members: dict[str, str] = {p["id"]: p["member"] for p in doc["proposals"]}

    @property
    def signing_fingerprint(self) -> str:
        return self.secretariat.signing_fingerprint

    @property
    def encryption_fingerprint(self) -> str:
        return self.secretariat.encryption_fingerprint

    def read_pdf(self, proposal_id: str) -> bytes:
        """The proposal's PDF, decrypted into memory only (never written to disk)."""
        name = self._pdf_members.get(proposal_id)
        if name is None:
            raise BundleFormatError("bundle.format.unknown_proposal", proposal=proposal_id)
        return self._read(name)

    def verify_all_members(self) -> None:
        """Authenticate every member now (e.g. when a bundle is added), instead of lazily."""
        for name in self._members:
            self._read(name)

    def result_target(self) -> ResultTarget:
        return ResultTarget(self.bundle_id, self.settings.round_id, self.reviewer.reviewer_id, self.rubric.digest,
                            tuple(p.proposal_id for p in self.proposals), self.secretariat.encryption, self._binding_key)

    def _read(self, name: str) -> bytes:
        with self._lock, c.open_bundle_file(self.path) as fh:
            if os.fstat(fh.fileno()).st_size != self.header.file_size:
                raise BundleIntegrityError("bundle.integrity.changed")
            return envelope.read_member(fh, KIND, self.bundle_id, self._ck, self._members[name])


def write_assignment(
    fh: BinaryIO,
    spec: AssignmentSpec,
    keys: SecretariatKeys,
    *,
    passphrase: str | None,
    hpke_recipient: X25519PublicKey | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    rng: Random = os.urandom,
    created_at: str | None = None,
) -> str:
    """Write one assignment bundle to ``fh``; returns its new bundle id. ``rng`` is fixed only by test vectors."""
    rubric = load_rubric_bytes(spec.rubric_bytes, "rubric")
    ids = [p.proposal_id for p in spec.proposals]
    if len(set(ids)) != len(ids):
        raise BundleFormatError("bundle.format.duplicate_proposal")
    for p in spec.proposals:
        _check_proposal(p, rubric)
        if p.proposal_id not in spec.pdfs:
            raise BundleFormatError("bundle.format.missing_pdf", proposal=p.proposal_id)
    bundle_id = rng(16).hex()
    data_key = rng(crypto.KEY_LEN)
    if created_at is None:
        from datetime import UTC, datetime

        created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    members: list[tuple[str, Any]] = [(RUBRIC_MEMBER, lambda: spec.rubric_bytes)]
    listed = []
    for i, p in enumerate(spec.proposals, 1):
        name = f"p{i:04d}"
        members.append((name, _pdf_loader(spec.pdfs[p.proposal_id])))
        listed.append({**_proposal_json(p), "member": name})
    pub = keys.public
    manifest = {
        "created_at": created_at,
        "round": _settings_json(spec.settings),
        "reviewer": {"id": spec.reviewer.reviewer_id, "name": spec.reviewer.name},
        "rubric": {"member": RUBRIC_MEMBER, "sha256": rubric.digest},
        "proposals": listed,
        "secretariat": {"ed25519": b64e(ed25519_raw(pub.signing)), "x25519": b64e(x25519_raw(pub.encryption))},
        "binding_key": b64e(crypto.binding_key(keys.binding_master, bundle_id)),
    }
    envelope.write_bundle(fh, KIND, bundle_id, data_key, keys.signing, manifest, members,
                          passphrase=passphrase, kdf=kdf, hpke_recipient=hpke_recipient, rng=rng)
    return bundle_id


def read_assignment(
    path: Path,
    *,
    passphrase: str | None = None,
    data_key: bytes | None = None,
    hpke_key: X25519PrivateKey | None = None,
    pinned_signing_fingerprint: str | None = None,
) -> OpenedAssignment:
    """Checks 1–9 of the spec, in order; the PDFs themselves are checked when read."""
    with c.open_bundle_file(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        layout = c.read_layout(fh, size, expect_kind=KIND.value)
        key = envelope.unlock(layout, passphrase=passphrase, data_key=data_key, hpke_key=hpke_key)
        try:
            doc, manifest_bytes, signature, ck = envelope.open_manifest(fh, layout, key)
        except BundleIntegrityError:
            if data_key is None:
                raise
            # A remembered key that no longer fits is a secret problem: ask for the passphrase.
            raise WrongSecretError("bundle.wrong_secret") from None
        try:
            sec = doc["secretariat"]
            signing_raw = b64d(sec["ed25519"], 32)
            secretariat = SecretariatPublicKeys(
                Ed25519PublicKey.from_public_bytes(signing_raw), X25519PublicKey.from_public_bytes(b64d(sec["x25519"], 32))
            )
        except (KeyError, TypeError, ValueError):
            raise BundleFormatError("bundle.format.malformed", part="manifest") from None
        envelope.verify_signature(layout, signing_raw, manifest_bytes, signature, pinned_signing_fingerprint)
        # From here on the manifest is the secretariat's word; still, shape errors stay typed.
        members = envelope.parse_members(doc, layout)
        _check_manifest_shape(doc, members)
        rubric_bytes = envelope.read_member(fh, KIND, layout.header.bundle_id, ck, members[RUBRIC_MEMBER])
    from hashlib import sha256

    if sha256(rubric_bytes).hexdigest() != doc["rubric"]["sha256"]:
        raise BundleIntegrityError("bundle.integrity.rubric_digest")
    rubric = load_rubric_bytes(rubric_bytes, "rubric")
    try:
        return OpenedAssignment(path, layout.header, doc, key, ck, members, rubric, secretariat)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise BundleFormatError("bundle.format.malformed", part="manifest") from None


def _check_manifest_shape(doc: dict[str, Any], members: dict[str, Member]) -> None:
    try:
        ok = (
            set(doc) == {"format_version", "kind", "bundle_id", "members", "created_at", "round", "reviewer", "rubric",
                         "proposals", "secretariat", "binding_key"}
            and isinstance(doc["created_at"], str)
            and isinstance(doc["reviewer"]["id"], str) and isinstance(doc["reviewer"]["name"], str)
            and doc["rubric"]["member"] == RUBRIC_MEMBER and isinstance(doc["rubric"]["sha256"], str)
            and isinstance(doc["proposals"], list)
        )
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise BundleFormatError("bundle.format.malformed", part="manifest")
    used = {RUBRIC_MEMBER}
    ids = set()
    for p in doc["proposals"]:
        if not isinstance(p, dict) or p.get("member") not in members or p["member"] in used or p.get("id") in ids:
            raise BundleFormatError("bundle.format.malformed", part="proposals")
        used.add(p["member"])
        ids.add(p["id"])
    if used != set(members):
        raise BundleFormatError("bundle.format.malformed", part="members")


def _pdf_loader(path: str) -> Any:
    def load() -> bytes:
        from ..errors import InputFileError

        p = Path(path)
        try:
            size = p.stat().st_size
            if size > limits.MAX_MEMBER_BYTES:
                raise BundleLimitError("bundle.limit.member", size=size, limit=limits.MAX_MEMBER_BYTES)
            data = p.read_bytes()
        except OSError:
            raise InputFileError("file.unreadable", path=str(p)) from None
        if not data.startswith(b"%PDF-"):
            raise BundleFormatError("bundle.format.not_a_pdf", path=str(p))
        return data

    return load


def _check_proposal(p: ProposalMeta, rubric: Rubric) -> None:
    if p.institution_type not in INSTITUTION_TYPES:
        raise BundleFormatError("bundle.format.institution_type", proposal=p.proposal_id, value=p.institution_type)
    for item_id in p.figures:
        rubric.item(item_id)


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def _settings_json(s: RoundSettings) -> dict[str, Any]:
    return {"round_id": s.round_id, "title": s.title, "deadline": s.deadline, "language": s.language,
            "band_targets": {k: _dec(v) for k, v in s.band_targets.items()}}


def _settings(d: dict[str, Any]) -> RoundSettings:
    if not isinstance(d["round_id"], str) or not isinstance(d["title"], str):
        raise TypeError("round")
    deadline = d["deadline"]
    if deadline is not None and not isinstance(deadline, str):
        raise TypeError("deadline")
    targets = {str(k): None if v is None else Decimal(str(v)) for k, v in dict(d["band_targets"]).items()}
    return RoundSettings(d["round_id"], d["title"], deadline, targets, str(d["language"]))


def _proposal_json(p: ProposalMeta) -> dict[str, Any]:
    return {"id": p.proposal_id, "title": p.title, "institution": p.institution, "institution_type": p.institution_type,
            "region": p.region, "figures": {k: str(v) for k, v in p.figures.items()}}


def _proposal(d: dict[str, Any], rubric: Rubric) -> ProposalMeta:
    for k in ("id", "title", "institution", "institution_type", "region"):
        if not isinstance(d[k], str):
            raise TypeError(k)
    figures = {str(k): Decimal(str(v)) for k, v in dict(d["figures"]).items()}
    meta = ProposalMeta(d["id"], d["title"], d["institution"], d["institution_type"], d["region"], figures)
    if meta.institution_type not in INSTITUTION_TYPES or not all(rubric.has_item(i) for i in figures):
        raise ValueError("proposal")
    return meta
