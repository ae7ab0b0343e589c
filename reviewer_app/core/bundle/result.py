"""The result bundle (reviewer → secretariat): payload codec, writer, and the secretariat's verifier."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import (
    BundleError,
    BundleFormatError,
    BundleSignatureError,
    InputFileError,
    ResultRejectedError,
    WrongSecretError,
)
from ..keys import ReviewerKey, SecretariatKeys, b64d, b64e
from . import container as c
from . import crypto, envelope
from . import fields as f
from .assignment import ResultTarget
from .envelope import Random
from .files import file_size
from .model import BundleKind, ResultEntry, ResultPayload, ResultProposal, VerifyOutcome, VerifyReport
from .registry import IssuedRegistry

KIND = BundleKind.RESULT


#: The keys of the payload, a proposal and an entry (docs/bundle-format.md, "Result payload").
PAYLOAD_KEYS = frozenset({"bundle_id", "round_id", "reviewer_id", "rubric_digest", "revision", "distribution_justification",
                          "audit_digest", "created_at", "started_at", "proposals"})
PROPOSAL_KEYS = frozenset({"proposal_id", "conflict_of_interest", "coi_reason", "entries"})
ENTRY_KEYS = frozenset({"item_id", "mark", "figure", "comment", "unjudgeable", "unjudgeable_reason"})
MANIFEST_KEYS = frozenset({"format_version", "kind", "bundle_id", "members", "payload", "reviewer_key"})
REVIEWER_KEY_KEYS = frozenset({"ed25519", "binding_mac"})
#: Revisions stay exact in every JSON reader (IEEE doubles hold integers below 2**53 exactly).
MAX_REVISION = 2**53 - 1


def payload_json(p: ResultPayload) -> dict[str, Any]:
    """The payload as the manifest carries it; figures in plain decimal notation."""
    def dec(v: Decimal | None, where: str) -> str | None:
        return None if v is None else f.decimal_text(v, where)

    return {
        "bundle_id": p.bundle_id, "round_id": p.round_id, "reviewer_id": p.reviewer_id,
        "rubric_digest": p.rubric_digest, "revision": p.revision,
        "distribution_justification": p.distribution_justification, "audit_digest": p.audit_digest,
        "created_at": p.created_at, "started_at": p.started_at,
        "proposals": [
            {"proposal_id": r.proposal_id, "conflict_of_interest": r.conflict_of_interest, "coi_reason": r.coi_reason,
             "entries": [{"item_id": e.item_id, "mark": e.mark, "figure": dec(e.figure, f"proposals[{i}].entries[{j}].figure"),
                          "comment": e.comment, "unjudgeable": e.unjudgeable, "unjudgeable_reason": e.unjudgeable_reason}
                         for j, e in enumerate(r.entries)]}
            for i, r in enumerate(p.proposals)
        ],
    }


def payload_from_json(d: Any) -> ResultPayload:
    """Strict decoding: every field present with its type and grammar, nothing extra."""
    try:
        return _decode_payload(d)
    except f.FieldProblem as exc:
        part = exc.field if exc.field == "payload" else f"payload.{exc.field}"
        raise BundleFormatError("bundle.format.malformed", part=part) from None


def _decode_payload(d: Any) -> ResultPayload:
    f.exact_keys(d, PAYLOAD_KEYS, "payload")
    revision = d["revision"]
    if type(revision) is not int or not 1 <= revision <= MAX_REVISION:
        raise f.FieldProblem("revision")
    proposals = []
    seen: set[str] = set()
    for i, r in enumerate(f.array(d["proposals"], "proposals")):
        where = f"proposals[{i}]"
        f.exact_keys(r, PROPOSAL_KEYS, where)
        entries = []
        items: set[str] = set()
        for j, e in enumerate(f.array(r["entries"], f"{where}.entries")):
            at = f"{where}.entries[{j}]"
            f.exact_keys(e, ENTRY_KEYS, at)
            item_id = f.text(e["item_id"], f"{at}.item_id", nonempty=True)
            if item_id in items:
                raise f.FieldProblem(f"{at}.item_id")
            items.add(item_id)
            mark = None if e["mark"] is None else f.text(e["mark"], f"{at}.mark", nonempty=True)
            figure = None if e["figure"] is None else f.parse_decimal(e["figure"], f"{at}.figure")
            entries.append(ResultEntry(item_id, mark, figure, f.text(e["comment"], f"{at}.comment"),
                                       f.boolean(e["unjudgeable"], f"{at}.unjudgeable"),
                                       f.text(e["unjudgeable_reason"], f"{at}.unjudgeable_reason")))
        pid = f.text(r["proposal_id"], f"{where}.proposal_id", nonempty=True)
        if pid in seen:
            raise f.FieldProblem(f"{where}.proposal_id")
        seen.add(pid)
        coi = f.boolean(r["conflict_of_interest"], f"{where}.conflict_of_interest")
        proposals.append(ResultProposal(pid, tuple(entries), coi, f.text(r["coi_reason"], f"{where}.coi_reason")))
    return ResultPayload(
        f.hex_digest(d["bundle_id"], "bundle_id", 32), f.text(d["round_id"], "round_id", nonempty=True),
        f.text(d["reviewer_id"], "reviewer_id", nonempty=True), f.hex_digest(d["rubric_digest"], "rubric_digest"),
        revision, tuple(proposals), f.text(d["distribution_justification"], "distribution_justification"),
        f.hex_digest(d["audit_digest"], "audit_digest"), f.utc_timestamp(d["created_at"], "created_at"),
        f.utc_timestamp(d["started_at"], "started_at"),
    )


def payload_digest(p: ResultPayload) -> str:
    return hashlib.sha256(c.canonical_json(payload_json(p))).hexdigest()


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


def open_result(path: Path, keys: SecretariatKeys) -> tuple[ResultPayload, bytes, str]:
    """Checks 0–9 for a result bundle: (payload, reviewer public key, reviewer fingerprint); raises typed errors."""
    with c.open_bundle_file(path, KIND.value) as fh:
        return _open_result(fh, keys)


def _open_result(fh: BinaryIO, keys: SecretariatKeys) -> tuple[ResultPayload, bytes, str]:
    layout = c.read_layout(fh, file_size(fh), expect_kind=KIND.value)
    key = envelope.unlock(layout, hpke_key=keys.encryption)
    doc, manifest_bytes, signature, _ck = envelope.open_manifest(fh, layout, key)
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
    payload = payload_from_json(doc["payload"])
    expected = crypto.key_binding_mac(crypto.binding_key(keys.binding_master, payload.bundle_id), payload.bundle_id,
                                      payload.reviewer_id, pub)
    if not hmac.compare_digest(mac, expected):
        raise BundleSignatureError("bundle.signature.unbound_key", fingerprint=fp)
    return payload, pub, fp


def verify_result(path: Path, keys: SecretariatKeys, registry: IssuedRegistry) -> VerifyReport:
    """Every check of the spec for a result, as a typed outcome; never raises for a bad file.

    The file is opened once: its type and size are checked before anything is read (a FIFO,
    a device or a file above the result limit is refused at once), then the whole file is
    hashed from the same descriptor (at most ``limits.MAX_RESULT_BYTES``) and checked.
    """
    file_digest = ""
    try:
        with c.open_bundle_file(path, KIND.value) as fh:
            file_digest = _digest(fh)
            payload, _pub, fp = _open_result(fh, keys)
    except WrongSecretError as exc:
        return VerifyReport(VerifyOutcome.WRONG_KEY, exc.code, exc.params, file_digest=file_digest)
    except BundleSignatureError as exc:
        outcome = VerifyOutcome.UNBOUND_KEY if exc.code == "bundle.signature.unbound_key" else VerifyOutcome.BAD_SIGNATURE
        return VerifyReport(outcome, exc.code, exc.params, file_digest=file_digest)
    except (BundleError, InputFileError) as exc:
        return VerifyReport(VerifyOutcome.CORRUPT, exc.code, exc.params, file_digest=file_digest)

    def reject(outcome: VerifyOutcome, code: str, **params: object) -> VerifyReport:
        return VerifyReport(outcome, code, params, payload, fp, file_digest)

    issued = registry.issued(payload.bundle_id)
    if issued is None:
        return reject(VerifyOutcome.NOT_ISSUED, "bundle.result.not_issued", bundle_id=payload.bundle_id)
    if payload.round_id != issued.round_id:
        return reject(VerifyOutcome.WRONG_ROUND, "bundle.result.wrong_round", round=payload.round_id, expected=issued.round_id)
    if payload.reviewer_id != issued.reviewer_id:
        return reject(VerifyOutcome.WRONG_REVIEWER, "bundle.result.wrong_reviewer", reviewer=payload.reviewer_id,
                      expected=issued.reviewer_id)
    if payload.rubric_digest != issued.rubric_digest:
        return reject(VerifyOutcome.RUBRIC_MISMATCH, "bundle.result.rubric_mismatch")
    ids = [r.proposal_id for r in payload.proposals]
    for pid in ids:
        if pid not in issued.proposal_ids:
            return reject(VerifyOutcome.UNKNOWN_PROPOSAL, "bundle.result.unknown_proposal", proposal=pid)
    latest = registry.latest_import(payload.bundle_id)
    if latest is not None:
        revision, digest = latest
        if payload.revision == revision and payload_digest(payload) == digest:
            return reject(VerifyOutcome.DUPLICATE, "bundle.result.duplicate", revision=revision)
        if payload.revision <= revision:
            return reject(VerifyOutcome.STALE_REVISION, "bundle.result.stale_revision", revision=payload.revision,
                          latest=revision)
    return VerifyReport(VerifyOutcome.OK, "", {}, payload, fp, file_digest)


def _digest(fh: BinaryIO) -> str:
    h = hashlib.sha256()
    try:
        for block in iter(lambda: fh.read(envelope.CHUNK), b""):
            h.update(block)
    except OSError:
        raise InputFileError("file.unreadable", path=str(getattr(fh, "name", ""))) from None
    fh.seek(0)
    return h.hexdigest()
