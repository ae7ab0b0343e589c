"""The result bundle (reviewer → secretariat): payload codec, writer, and the secretariat's verifier."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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
from .assignment import ResultTarget
from .envelope import Random
from .model import BundleKind, ResultEntry, ResultPayload, ResultProposal, VerifyOutcome, VerifyReport
from .registry import IssuedRegistry

KIND = BundleKind.RESULT


def payload_json(p: ResultPayload) -> dict[str, Any]:
    def dec(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {
        "bundle_id": p.bundle_id, "round_id": p.round_id, "reviewer_id": p.reviewer_id,
        "rubric_digest": p.rubric_digest, "revision": p.revision,
        "distribution_justification": p.distribution_justification, "audit_digest": p.audit_digest,
        "created_at": p.created_at, "started_at": p.started_at,
        "proposals": [
            {"proposal_id": r.proposal_id, "conflict_of_interest": r.conflict_of_interest, "coi_reason": r.coi_reason,
             "entries": [{"item_id": e.item_id, "mark": e.mark, "figure": dec(e.figure), "comment": e.comment,
                          "unjudgeable": e.unjudgeable, "unjudgeable_reason": e.unjudgeable_reason} for e in r.entries]}
            for r in p.proposals
        ],
    }


def payload_from_json(d: Any) -> ResultPayload:
    """Strict decoding: every field present with its type, nothing extra."""
    try:
        _fields(d, {"bundle_id", "round_id", "reviewer_id", "rubric_digest", "revision", "distribution_justification",
                    "audit_digest", "created_at", "started_at", "proposals"})
        if type(d["revision"]) is not int or not 1 <= d["revision"] < 2**53:
            raise ValueError("revision")
        proposals = []
        for r in _list(d["proposals"]):
            _fields(r, {"proposal_id", "conflict_of_interest", "coi_reason", "entries"})
            entries = []
            for e in _list(r["entries"]):
                _fields(e, {"item_id", "mark", "figure", "comment", "unjudgeable", "unjudgeable_reason"})
                fig = e["figure"]
                entries.append(ResultEntry(_s(e["item_id"]), None if e["mark"] is None else _s(e["mark"]),
                                           None if fig is None else Decimal(_s(fig)), _s(e["comment"]),
                                           _b(e["unjudgeable"]), _s(e["unjudgeable_reason"])))
            proposals.append(ResultProposal(_s(r["proposal_id"]), tuple(entries), _b(r["conflict_of_interest"]),
                                            _s(r["coi_reason"])))
        return ResultPayload(_s(d["bundle_id"]), _s(d["round_id"]), _s(d["reviewer_id"]), _s(d["rubric_digest"]),
                             d["revision"], tuple(proposals), _s(d["distribution_justification"]),
                             _s(d["audit_digest"]), _s(d["created_at"]), _s(d["started_at"]))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise BundleFormatError("bundle.format.malformed", part="payload") from None


def _fields(d: Any, names: set[str]) -> None:
    if not isinstance(d, dict) or set(d) != names:
        raise ValueError("fields")


def _list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise TypeError("list")
    return v


def _s(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("str")
    return v


def _b(v: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError("bool")
    return v


def payload_digest(p: ResultPayload) -> str:
    return hashlib.sha256(c.canonical_json(payload_json(p))).hexdigest()


def write_result(target: ResultTarget, payload: ResultPayload, key: ReviewerKey, *, rng: Random = os.urandom) -> bytes:
    """The bytes of a result bundle answering ``target``; refuses a payload that answers something else."""
    for field, want in (("bundle_id", target.bundle_id), ("round_id", target.round_id),
                        ("reviewer_id", target.reviewer_id), ("rubric_digest", target.rubric_digest)):
        if getattr(payload, field) != want:
            raise ResultRejectedError("bundle.result.payload_mismatch", field=field)
    if payload.revision < 1:
        raise ResultRejectedError("bundle.result.bad_revision", revision=payload.revision)
    unknown = [r.proposal_id for r in payload.proposals if r.proposal_id not in target.proposal_ids]
    if unknown:
        raise ResultRejectedError("bundle.result.unknown_proposal", proposal=unknown[0])
    pub = key.signing_public_raw
    manifest = {
        "payload": payload_json(payload),
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
    """Checks 1–8 for a result bundle: (payload, reviewer public key, reviewer fingerprint); raises typed errors."""
    with c.open_bundle_file(path) as fh:
        layout = c.read_layout(fh, os.fstat(fh.fileno()).st_size, expect_kind=KIND.value)
        key = envelope.unlock(layout, hpke_key=keys.encryption)
        doc, manifest_bytes, signature, _ck = envelope.open_manifest(fh, layout, key)
    try:
        if set(doc) != {"format_version", "kind", "bundle_id", "members", "payload", "reviewer_key"}:
            raise ValueError("fields")
        rk = doc["reviewer_key"]
        _fields(rk, {"ed25519", "binding_mac"})
        pub = b64d(rk["ed25519"], 32)
        Ed25519PublicKey.from_public_bytes(pub)
        mac = b64d(rk["binding_mac"], 32)
    except (KeyError, TypeError, ValueError):
        raise BundleFormatError("bundle.format.malformed", part="manifest") from None
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
    """Every check of the spec for a result, as a typed outcome; never raises for a bad file."""
    file_digest = _file_digest(path)
    try:
        payload, _pub, fp = open_result(path, keys)
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
    if len(set(ids)) != len(ids):
        return reject(VerifyOutcome.CORRUPT, "bundle.result.duplicate_proposal")
    latest = registry.latest_import(payload.bundle_id)
    if latest is not None:
        revision, digest = latest
        if payload.revision == revision and payload_digest(payload) == digest:
            return reject(VerifyOutcome.DUPLICATE, "bundle.result.duplicate", revision=revision)
        if payload.revision <= revision:
            return reject(VerifyOutcome.STALE_REVISION, "bundle.result.stale_revision", revision=payload.revision,
                          latest=revision)
    return VerifyReport(VerifyOutcome.OK, "", {}, payload, fp, file_digest)


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1024 * 1024), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()
