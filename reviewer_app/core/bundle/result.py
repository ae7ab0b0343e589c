"""The result bundle (reviewer → secretariat): payload codec, writer, and the secretariat's verifier."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import (
    BundleError,
    BundleFormatError,
    BundleIntegrityError,
    BundleLimitError,
    BundleSignatureError,
    InputFileError,
    ResultRejectedError,
    WrongSecretError,
)
from ..keys import ReviewerKey, SecretariatKeys, b64d, b64e
from . import container as c
from . import crypto, envelope, limits
from . import fields as f
from .assignment import ResultTarget
from .envelope import Random
from .files import file_size
from .model import (
    BundleKind,
    PayloadRecord,
    ResultPayload,
    VerifyOutcome,
    VerifyReport,
)
from .registry import IssuedRegistry
from .result_payload import (  # noqa: F401 - the payload codec is part of this module's interface
    ENTRY_KEYS,
    MAX_REVISION,
    PAYLOAD_KEYS,
    PROPOSAL_KEYS,
    _decode_payload,
    payload_digest,
    payload_from_json,
    payload_json,
    record_from_json,
)

KIND = BundleKind.RESULT
MANIFEST_KEYS = frozenset({"format_version", "kind", "bundle_id", "members", "payload", "reviewer_key"})
REVIEWER_KEY_KEYS = frozenset({"ed25519", "binding_mac"})



def write_result(target: ResultTarget, payload: ResultPayload, key: ReviewerKey, *, rng: Random = os.urandom) -> bytes:
    """The bytes of a result bundle answering ``target``; refuses a payload that answers something else."""
    for field, want in (("bundle_id", target.bundle_id), ("round_id", target.round_id),
                        ("reviewer_id", target.reviewer_id), ("rubric_digest", target.rubric_digest)):
        if getattr(payload, field) != want:
            raise ResultRejectedError("bundle.result.payload_mismatch", field=field)
    if not 1 <= payload.revision <= MAX_REVISION:
        raise ResultRejectedError("bundle.result.bad_revision", revision=payload.revision)
    unknown = [r.proposal_id for r in payload.proposals if r.proposal_id not in target.proposal_ids]
    if unknown:
        raise ResultRejectedError("bundle.result.unknown_proposal", proposal=unknown[0])
    # Never sign what the secretariat's reader would refuse: its own decoder, on the same JSON.
    try:
        doc = payload_json(payload)
        _decode_payload(doc)
    except f.FieldProblem as exc:
        raise ResultRejectedError("bundle.result.invalid_payload", field=exc.field) from None
    pub = key.signing_public_raw
    manifest = {
        "payload": doc,
        "reviewer_key": {
            "ed25519": b64e(pub),
            "binding_mac": b64e(crypto.key_binding_mac(target.binding_key, target.bundle_id, target.reviewer_id, pub)),
        },
    }
    buf = io.BytesIO()
    envelope.write_bundle(buf, KIND, rng(16).hex(), rng(crypto.KEY_LEN), key.signing, manifest, [],
                          hpke_recipient=target.secretariat_encryption, rng=rng)
    return buf.getvalue()


@dataclass(frozen=True, slots=True)
class OpenedResult:
    """A result bundle that passed checks 0–9: its payload, the reviewer's key and the payload digest."""

    record: PayloadRecord
    reviewer_public: bytes
    fingerprint: str
    #: SHA-256 (hex) of the payload's canonical JSON: ``payload_digest(record.to_payload())``.
    payload_digest: str
    #: That canonical JSON itself: the payload exactly as signed (the secretariat stores it).
    payload_json: bytes


@dataclass(frozen=True, slots=True)
class VerifiedResult:
    """``verify_result``'s answer with the payload as the decoder's tuples (what the secretariat's import reads)."""

    outcome: VerifyOutcome
    code: str
    params: dict[str, object]
    record: PayloadRecord | None
    fingerprint: str
    file_digest: str
    payload_digest: str
    #: The payload's canonical JSON as signed (``OpenedResult.payload_json``); empty when not verified.
    payload_json: bytes = b""

    def report(self) -> VerifyReport:
        payload = None if self.record is None else self.record.to_payload()
        return VerifyReport(self.outcome, self.code, self.params, payload, self.fingerprint, self.file_digest,
                            self.payload_digest)


def open_result(path: Path, keys: SecretariatKeys) -> tuple[ResultPayload, bytes, str]:
    """Checks 0–9 for a result bundle: (payload, reviewer public key, reviewer fingerprint); raises typed errors."""
    with c.open_bundle_file(path, KIND.value) as fh:
        opened = _open_result(fh, file_size(fh), keys)
    return opened.record.to_payload(), opened.reviewer_public, opened.fingerprint


def _open_result(fh: BinaryIO, size: int, keys: SecretariatKeys) -> OpenedResult:
    layout = c.read_layout(fh, size, expect_kind=KIND.value)
    key = envelope.unlock(layout, hpke_key=keys.encryption)
    # Check 6 without its scan for fractions: every value of a result's manifest has its type
    # checked below (format_version, kind and bundle_id by open_manifest, the reviewer key,
    # members and the payload's every field by their readers), and none may be a float, so a
    # fraction anywhere fails one of those checks. Whatever fails, the manifest is read again
    # with every rule of check 6 first, so a fraction is refused as check 6, as the spec
    # orders it (tests/core/bundle/test_result_fractions.py puts one in every value).
    doc, manifest_bytes, signature, _ck = envelope.open_manifest(fh, layout, key, fractions_typed_later=True)
    try:
        return _checked_manifest(layout, keys, doc, manifest_bytes, signature)
    except Exception:
        c.parse_canonical(manifest_bytes, "manifest")
        raise


def _checked_manifest(layout: c.Layout, keys: SecretariatKeys, doc: dict[str, Any], manifest_bytes: bytes,
                      signature: bytes) -> OpenedResult:
    """Checks 7–9 of a result's parsed manifest: the reviewer key, the signature, members, payload, key binding."""
    part = "manifest"
    try:
        f.exact_keys(doc, MANIFEST_KEYS, part)
        part = "reviewer_key"
        rk = f.exact_keys(doc["reviewer_key"], REVIEWER_KEY_KEYS, part)
        pub = b64d(rk["ed25519"], 32)
        Ed25519PublicKey.from_public_bytes(pub)
        mac = b64d(rk["binding_mac"], 32)
    except ValueError:
        raise BundleFormatError("bundle.format.malformed", part=part) from None
    fp = envelope.verify_signature(layout, pub, manifest_bytes, signature, None)
    if envelope.parse_members(doc, layout):
        raise BundleFormatError("bundle.format.malformed", part="members")
    record = record_from_json(doc["payload"])
    expected = crypto.key_binding_mac(crypto.binding_key(keys.binding_master, record.bundle_id), record.bundle_id,
                                      record.reviewer_id, pub)
    if not hmac.compare_digest(mac, expected):
        raise BundleSignatureError("bundle.signature.unbound_key", fingerprint=fp)
    payload_json = _payload_json_bytes(manifest_bytes, doc)
    return OpenedResult(record, pub, fp, hashlib.sha256(payload_json).hexdigest(), payload_json)


def _payload_json_bytes(manifest_bytes: bytes, doc: dict[str, Any]) -> bytes:
    """The payload's canonical JSON, cut out of the manifest's bytes instead of encoding it again.

    The manifest passed check 6 (its bytes are the canonical encoding of ``doc``) and has
    exactly ``MANIFEST_KEYS``, so its bytes are the sorted keys in order, and the payload's
    value lies between the encoding of the keys before it and that of ``reviewer_key`` after
    it. A decoded payload re-encodes to the same value (every field keeps its JSON type and a
    decimal string of the grammar is written back unchanged), so this is the canonical JSON
    ``payload_digest`` hashes.
    """
    head = _quick_canonical({k: doc[k] for k in ("bundle_id", "format_version", "kind", "members")})[:-1] + b',"payload":'
    tail = b',"reviewer_key":' + _quick_canonical(doc["reviewer_key"]) + b"}"
    if len(manifest_bytes) >= len(head) + len(tail) and manifest_bytes.startswith(head) and manifest_bytes.endswith(tail):
        return manifest_bytes[len(head):len(manifest_bytes) - len(tail)]
    return c.canonical_json(doc["payload"])  # pragma: no cover - a canonical manifest always has this shape


def _quick_canonical(part: dict[str, Any]) -> bytes:
    """``canonical_json`` of a small part of the manifest, by orjson (the same bytes for these ASCII fields).

    Only used to find the payload inside the manifest: were the bytes ever different, the
    payload would not be found between them and would be encoded again by ``canonical_json``.
    """
    try:
        return orjson.dumps(part, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return c.canonical_json(part)


def verify_result(path: Path, keys: SecretariatKeys, registry: IssuedRegistry) -> VerifyReport:
    """Every check of the spec for a result, as a typed outcome; never raises for a bad file.

    The file is opened once: its type and size are checked before anything is read (a FIFO,
    a device or a file above the result limit is refused at once), then the whole file (at
    most ``limits.MAX_RESULT_BYTES``) is read from the same descriptor, hashed and checked.
    """
    try:
        with c.open_bundle_file(path, KIND.value) as fh:
            data = _read_all(fh)
    except (BundleError, InputFileError) as exc:
        return VerifyReport(VerifyOutcome.CORRUPT, exc.code, exc.params)
    return verify_result_bytes(data, keys, registry, name=str(path)).report()


def verify_result_bytes(data: bytes, keys: SecretariatKeys, registry: IssuedRegistry, *, name: str = "",
                        file_digest: str | None = None) -> VerifiedResult:
    """``verify_result`` on a file's bytes already read (``name`` is the path for messages).

    ``file_digest`` is the SHA-256 (hex) of ``data`` when the caller has it already.
    """
    if file_digest is None:
        file_digest = hashlib.sha256(data).hexdigest()

    def fail(outcome: VerifyOutcome, exc: BundleError | InputFileError) -> VerifiedResult:
        return VerifiedResult(outcome, exc.code, exc.params, None, "", file_digest, "")

    try:
        if len(data) > limits.MAX_RESULT_BYTES:
            raise BundleLimitError("bundle.limit.file_size", path=name, size=len(data), limit=limits.MAX_RESULT_BYTES)
        opened = _open_result(_NamedBytes(data, name), len(data), keys)
    except WrongSecretError as exc:
        return fail(VerifyOutcome.WRONG_KEY, exc)
    except BundleSignatureError as exc:
        return fail(VerifyOutcome.UNBOUND_KEY if exc.code == "bundle.signature.unbound_key" else VerifyOutcome.BAD_SIGNATURE,
                    exc)
    except (BundleError, InputFileError) as exc:
        return fail(VerifyOutcome.CORRUPT, exc)
    outcome, code, params = _registry_check(opened, registry)
    return VerifiedResult(outcome, code, params, opened.record, opened.fingerprint, file_digest, opened.payload_digest,
                          opened.payload_json)


def _registry_check(opened: OpenedResult, registry: IssuedRegistry) -> tuple[VerifyOutcome, str, dict[str, object]]:
    """The secretariat's checks after 0–9 (docs/bundle-format.md, "Secretariat import"), in order."""
    p = opened.record
    issued = registry.issued(p.bundle_id)
    if issued is None:
        return VerifyOutcome.NOT_ISSUED, "bundle.result.not_issued", {"bundle_id": p.bundle_id}
    if p.round_id != issued.round_id:
        return VerifyOutcome.WRONG_ROUND, "bundle.result.wrong_round", {"round": p.round_id, "expected": issued.round_id}
    if p.reviewer_id != issued.reviewer_id:
        return (VerifyOutcome.WRONG_REVIEWER, "bundle.result.wrong_reviewer",
                {"reviewer": p.reviewer_id, "expected": issued.reviewer_id})
    if p.rubric_digest != issued.rubric_digest:
        return VerifyOutcome.RUBRIC_MISMATCH, "bundle.result.rubric_mismatch", {}
    for pid, _coi, _reason, _entries in p.proposals:
        if pid not in issued.proposal_ids:
            return VerifyOutcome.UNKNOWN_PROPOSAL, "bundle.result.unknown_proposal", {"proposal": pid}
    latest = registry.latest_import(p.bundle_id)
    if latest is not None:
        revision, digest = latest
        if p.revision == revision and opened.payload_digest == digest:
            return VerifyOutcome.DUPLICATE, "bundle.result.duplicate", {"revision": revision}
        if p.revision <= revision:
            return VerifyOutcome.STALE_REVISION, "bundle.result.stale_revision", {"revision": p.revision, "latest": revision}
    return VerifyOutcome.OK, "", {}


class _NamedBytes(io.BytesIO):
    """File bytes in memory that keep the file's name for messages (``read_layout`` reports ``fh.name``)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def _read_all(fh: BinaryIO) -> bytes:
    """The whole file, whose size was checked on the open descriptor; a file that changed size meanwhile is refused."""
    size = file_size(fh)
    try:
        data = fh.read(size + 1)
    except OSError:
        raise InputFileError("file.unreadable", path=str(getattr(fh, "name", ""))) from None
    if len(data) < size:
        raise BundleFormatError("bundle.format.truncated")
    if len(data) > size:
        raise BundleIntegrityError("bundle.integrity.changed")
    return data
