"""Validly signed result bundles with whatever payload a test needs, the way a modified client would make them.

The genuine writer (``write_result``) refuses to sign a payload its own reader would refuse;
a buggy or hostile client has no such scruple. This builds the same envelope from a payload
*document* (JSON as the manifest carries it), signed by any reviewer key and bound with the
assignment's binding key, which anyone holding the bundle and its passphrase has.
"""

from __future__ import annotations

import copy
import io
import os
from pathlib import Path
from typing import Any

from reviewer_app.core.bundle import crypto, envelope
from reviewer_app.core.bundle.assignment import ResultTarget
from reviewer_app.core.bundle.model import BundleKind, ResultEntry, ResultPayload, ResultProposal
from reviewer_app.core.bundle.result import payload_json
from reviewer_app.core.keys import ReviewerKey, b64e


def signed_result(target: ResultTarget, doc: dict[str, Any], key: ReviewerKey, out: Path) -> Path:
    pub = key.signing_public_raw
    manifest = {
        "payload": doc,
        "reviewer_key": {
            "ed25519": b64e(pub),
            "binding_mac": b64e(crypto.key_binding_mac(target.binding_key, target.bundle_id, target.reviewer_id, pub)),
        },
    }
    buf = io.BytesIO()
    envelope.write_bundle(buf, BundleKind.RESULT, os.urandom(16).hex(), os.urandom(crypto.KEY_LEN), key.signing, manifest,
                          [], hpke_recipient=target.secretariat_encryption)
    out.write_bytes(buf.getvalue())
    return out


def complete_payload(target: ResultTarget, rubric: Any, revision: int, *, mark_index: int = 1,
                     created_at: str = "2009-06-20T01:00:00+00:00") -> ResultPayload:
    """A payload a genuine reviewer could have exported: every item graded, every grade commented."""
    proposals = []
    for pid in target.proposal_ids:
        entries = []
        for item in rubric.items:
            codes = rubric.scale_of(item).codes
            entries.append(ResultEntry(item.id, codes[min(mark_index, len(codes) - 1)], None, f"所見 {pid} {item.id}"))
        proposals.append(ResultProposal(pid, tuple(entries)))
    return ResultPayload(target.bundle_id, target.round_id, target.reviewer_id, target.rubric_digest, revision,
                         tuple(proposals), "理由", "ab" * 32, created_at, "2009-06-01T00:00:00+00:00")


def as_doc(payload: ResultPayload) -> dict[str, Any]:
    return copy.deepcopy(payload_json(payload))
