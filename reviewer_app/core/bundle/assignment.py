"""The assignment bundle (secretariat → reviewer): what its manifest holds and how it is opened."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from ..errors import BundleFormatError, BundleIntegrityError, BundleLimitError, WrongSecretError
from ..figures import check_figure
from ..keys import SecretariatKeys, SecretariatPublicKeys, b64d, b64e, ed25519_raw, x25519_raw
from ..rubric import Rubric, load_rubric_bytes
from . import container as c
from . import crypto, envelope, limits
from . import fields as f
from .envelope import Member, Random
from .files import file_size
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
from .pdf import open_pdf

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
        self.settings: RoundSettings = _settings(doc["round"], rubric)
        self.reviewer = ReviewerIdentity(doc["reviewer"]["id"], doc["reviewer"]["name"])
        self._binding_key = b64d(doc["binding_key"], crypto.KEY_LEN)
        self.proposals: tuple[ProposalMeta, ...] = tuple(
            _proposal(p, rubric, f"proposals[{i}]") for i, p in enumerate(doc["proposals"]))
        self._pdf_members: dict[str, str] = {p["id"]: p["member"] for p in doc["proposals"]}

    @property
    def signing_fingerprint(self) -> str:
        return self.secretariat.signing_fingerprint

    @property
    def encryption_fingerprint(self) -> str:
        return self.secretariat.encryption_fingerprint

    def read_pdf(self, proposal_id: str) -> bytearray:
        """The proposal's PDF, decrypted into memory only (never written to disk).

        One buffer the size of the PDF (a ``bytearray``: returning ``bytes`` would copy it).
        """
        name = self._pdf_members.get(proposal_id)
        if name is None:
            raise BundleFormatError("bundle.format.unknown_proposal", proposal=proposal_id)
        return self._read(name)

    def verify_all_members(self) -> None:
        """Authenticate every member now (e.g. when a bundle is added), instead of lazily.

        Streams each member (digest and GCM tag in chunks), so memory does not grow with the bundle.
        """
        for name in self._members:
            self._with_file(lambda fh, n=name: envelope.verify_member(fh, KIND, self.bundle_id, self._ck, self._members[n]))

    def result_target(self) -> ResultTarget:
        return ResultTarget(self.bundle_id, self.settings.round_id, self.reviewer.reviewer_id, self.rubric.digest,
                            tuple(p.proposal_id for p in self.proposals), self.secretariat.encryption, self._binding_key)

    def _read(self, name: str) -> bytearray:
        member = self._members[name]
        return self._with_file(lambda fh: envelope.read_member(fh, KIND, self.bundle_id, self._ck, member))

    def _with_file(self, work: Callable[[BinaryIO], Any]) -> Any:
        with self._lock, c.open_bundle_file(self.path, KIND.value) as fh:
            if file_size(fh) != self.header.file_size:
                raise BundleIntegrityError("bundle.integrity.changed")
            return work(fh)


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
    if len(spec.proposals) + 1 > limits.MAX_MEMBERS:
        raise BundleLimitError("bundle.limit.members", count=len(spec.proposals) + 1, limit=limits.MAX_MEMBERS)
    bundle_id = rng(16).hex()
    data_key = rng(crypto.KEY_LEN)
    if created_at is None:
        from datetime import UTC, datetime

        created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    members: list[tuple[str, Any]] = [(RUBRIC_MEMBER, lambda: spec.rubric_bytes)]
    pub = keys.public
    # Never sign what a reader would refuse: the reader's own checks, before a byte is written.
    try:
        listed = []
        for i, p in enumerate(spec.proposals, 1):
            name = f"p{i:04d}"
            members.append((name, _pdf_loader(spec.pdfs[p.proposal_id])))
            listed.append({**_proposal_json(p), "member": name})
        manifest = {
            "created_at": created_at,
            "round": _settings_json(spec.settings),
            "reviewer": {"id": spec.reviewer.reviewer_id, "name": spec.reviewer.name},
            "rubric": {"member": RUBRIC_MEMBER, "sha256": rubric.digest},
            "proposals": listed,
            "secretariat": {"ed25519": b64e(ed25519_raw(pub.signing)), "x25519": b64e(x25519_raw(pub.encryption))},
            "binding_key": b64e(crypto.binding_key(keys.binding_master, bundle_id)),
        }
        _check_manifest_shape(manifest, {name for name, _ in members}, signed=False)
        _settings(manifest["round"], rubric)
        for i, p in enumerate(listed):
            _proposal(p, rubric, f"proposals[{i}]")
    except f.FieldProblem as exc:
        raise BundleFormatError("bundle.format.invalid_value", field=exc.field) from None
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
    """Checks 0–9 of the spec, in order; the PDFs themselves are checked when read."""
    with c.open_bundle_file(path, KIND.value) as fh:
        layout = c.read_layout(fh, file_size(fh), expect_kind=KIND.value)
        key = envelope.unlock(layout, passphrase=passphrase, data_key=data_key, hpke_key=hpke_key)
        try:
            doc, manifest_bytes, signature, ck = envelope.open_manifest(fh, layout, key)
        except BundleIntegrityError:
            if data_key is None:
                raise
            # A remembered key that no longer fits is a secret problem: ask for the passphrase.
            raise WrongSecretError("bundle.wrong_secret") from None
        try:
            sec = f.exact_keys(doc.get("secretariat"), SECRETARIAT_KEYS, "secretariat")
            signing_raw = b64d(sec["ed25519"], 32)
            secretariat = SecretariatPublicKeys(
                Ed25519PublicKey.from_public_bytes(signing_raw), X25519PublicKey.from_public_bytes(b64d(sec["x25519"], 32))
            )
        except ValueError:
            raise BundleFormatError("bundle.format.malformed", part="secretariat") from None
        envelope.verify_signature(layout, signing_raw, manifest_bytes, signature, pinned_signing_fingerprint)
        # From here on the manifest is the secretariat's word; still, shape errors stay typed.
        members = envelope.parse_members(doc, layout)
        _malformed_on_field_error(lambda: _check_manifest_shape(doc, set(members)))
        rubric_bytes = envelope.read_member(fh, KIND, layout.header.bundle_id, ck, members[RUBRIC_MEMBER])
    if hashlib.sha256(rubric_bytes).hexdigest() != doc["rubric"]["sha256"]:
        raise BundleIntegrityError("bundle.integrity.rubric_digest")
    rubric = load_rubric_bytes(bytes(rubric_bytes), "rubric")
    return _malformed_on_field_error(
        lambda: OpenedAssignment(path, layout.header, doc, key, ck, members, rubric, secretariat))


def _malformed_on_field_error(work: Callable[[], Any]) -> Any:
    try:
        return work()
    except f.FieldProblem as exc:
        raise BundleFormatError("bundle.format.malformed", part=exc.field) from None


#: The keys of each manifest object (docs/bundle-format.md, "Assignment manifest"); nothing else is read.
MANIFEST_KEYS = frozenset({"format_version", "kind", "bundle_id", "members", "created_at", "round", "reviewer", "rubric",
                           "proposals", "secretariat", "binding_key"})
#: The keys ``envelope.write_bundle`` adds to every manifest.
ENVELOPE_KEYS = frozenset({"format_version", "kind", "bundle_id", "members"})
ROUND_KEYS = frozenset({"round_id", "title", "deadline", "language", "band_targets"})
REVIEWER_KEYS = frozenset({"id", "name"})
RUBRIC_KEYS = frozenset({"member", "sha256"})
SECRETARIAT_KEYS = frozenset({"ed25519", "x25519"})
PROPOSAL_KEYS = frozenset({"id", "title", "institution", "institution_type", "region", "figures", "member"})
#: Proposal keys a writer leaves out when empty; a key added to a proposal goes in one of these sets and the spec.
PROPOSAL_OPTIONAL_KEYS = frozenset({"named_figures"})


def _check_manifest_shape(doc: dict[str, Any], member_names: set[str], *, signed: bool = True) -> None:
    """Check 9a: every object has exactly its keys, the top-level values their types; members used once.

    Raises ``FieldProblem`` naming the first field that is wrong. The writer checks its manifest
    before signing (``signed=False``: without the keys ``envelope.write_bundle`` adds).
    """
    f.exact_keys(doc, MANIFEST_KEYS if signed else MANIFEST_KEYS - ENVELOPE_KEYS, "manifest")
    f.utc_timestamp(doc["created_at"], "created_at")
    f.exact_keys(doc["round"], ROUND_KEYS, "round")
    rv = f.exact_keys(doc["reviewer"], REVIEWER_KEYS, "reviewer")
    f.text(rv["id"], "reviewer.id", nonempty=True)
    f.text(rv["name"], "reviewer.name")
    rb = f.exact_keys(doc["rubric"], RUBRIC_KEYS, "rubric")
    if rb["member"] != RUBRIC_MEMBER:
        raise f.FieldProblem("rubric.member")
    f.hex_digest(rb["sha256"], "rubric.sha256")
    f.exact_keys(doc["secretariat"], SECRETARIAT_KEYS, "secretariat")
    try:
        b64d(doc["binding_key"], crypto.KEY_LEN)
    except ValueError:
        raise f.FieldProblem("binding_key") from None
    used = {RUBRIC_MEMBER}
    ids: set[str] = set()
    for i, p in enumerate(f.array(doc["proposals"], "proposals")):
        where = f"proposals[{i}]"
        f.exact_keys(p, PROPOSAL_KEYS, where, optional=PROPOSAL_OPTIONAL_KEYS)
        pid = f.text(p["id"], f"{where}.id", nonempty=True)
        member = p["member"]
        if not isinstance(member, str) or member not in member_names or member in used:
            raise f.FieldProblem(f"{where}.member")
        if pid in ids:
            raise f.FieldProblem(f"{where}.id")
        used.add(member)
        ids.add(pid)
    if used != member_names:
        raise f.FieldProblem("members")


def _pdf_loader(path: str) -> Callable[[], BinaryIO]:
    return lambda: open_pdf(path)  # opened (and checked) only when the writer reaches it


def _check_proposal(p: ProposalMeta, rubric: Rubric) -> None:
    if p.institution_type not in INSTITUTION_TYPES:
        raise BundleFormatError("bundle.format.institution_type", proposal=p.proposal_id, value=p.institution_type)
    for item_id in p.figures:
        rubric.item(item_id)
    for name, value in p.named_figures.items():
        rubric.figure_check(name)  # EntryError entry.unknown_figure: a name no 観点 check declares
        check_figure(value)


def _settings_json(s: RoundSettings) -> dict[str, Any]:
    return {"round_id": s.round_id, "title": s.title, "deadline": s.deadline, "language": s.language,
            "band_targets": {k: None if v is None else f.decimal_text(v, f"round.band_targets.{k}")
                             for k, v in s.band_targets.items()}}


def _settings(d: dict[str, Any], rubric: Rubric) -> RoundSettings:
    """Check 9c: the round's values (the keys were checked with the manifest's shape)."""
    band_ids = {b.id for b in rubric.bands.bands} if rubric.bands else set()
    raw_targets = d["band_targets"]
    if not isinstance(raw_targets, dict):
        raise f.FieldProblem("round.band_targets")
    targets: dict[str, Decimal | None] = {}
    for k, v in raw_targets.items():
        if k not in band_ids:
            raise f.FieldProblem(f"round.band_targets.{k}")
        targets[k] = None if v is None else f.share(v, f"round.band_targets.{k}")
    return RoundSettings(f.text(d["round_id"], "round.round_id", nonempty=True), f.text(d["title"], "round.title"),
                         f.deadline(d["deadline"], "round.deadline"), targets, f.language(d["language"], "round.language"))


def _proposal_json(p: ProposalMeta) -> dict[str, Any]:
    out = {"id": p.proposal_id, "title": p.title, "institution": p.institution, "institution_type": p.institution_type,
           "region": p.region,
           "figures": {k: f.decimal_text(v, f"{p.proposal_id}.figures.{k}") for k, v in p.figures.items()}}
    if p.named_figures:  # optional: absent rather than empty, so bundles without them stay as they were
        out["named_figures"] = {k: f.decimal_text(v, f"{p.proposal_id}.named_figures.{k}")
                                for k, v in p.named_figures.items()}
    return out


def _proposal(d: dict[str, Any], rubric: Rubric, where: str) -> ProposalMeta:
    """Check 9d: one proposal's values (its keys were checked with the manifest's shape)."""
    for k in ("title", "institution", "region"):
        f.text(d[k], f"{where}.{k}")
    if d["institution_type"] not in INSTITUTION_TYPES:
        raise f.FieldProblem(f"{where}.institution_type")
    raw_figures = d["figures"]
    if not isinstance(raw_figures, dict):
        raise f.FieldProblem(f"{where}.figures")
    figures = {}
    for k, v in raw_figures.items():
        if not rubric.has_item(k):
            raise f.FieldProblem(f"{where}.figures.{k}")
        figures[k] = f.parse_decimal(v, f"{where}.figures.{k}")
    named = {}
    if "named_figures" in d:
        raw_named = d["named_figures"]
        if not isinstance(raw_named, dict) or not raw_named:
            raise f.FieldProblem(f"{where}.named_figures")
        for k, v in raw_named.items():
            if not any(c.figure == k for c in rubric.figure_checks):  # a figure the rubric's 観点 checks name
                raise f.FieldProblem(f"{where}.named_figures")
            named[k] = f.parse_decimal(v, f"{where}.named_figures.{k}")
    return ProposalMeta(f.text(d["id"], f"{where}.id", nonempty=True), d["title"], d["institution"], d["institution_type"],
                        d["region"], figures, named)
