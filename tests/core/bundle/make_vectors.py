"""The test vectors of docs/bundle-format.md, built from the inputs the spec itself states.

``python -m tests.core.bundle.make_vectors`` regenerates ``vectors/`` from the spec's
``vector-inputs`` block and rewrites the spec's ``worked-values`` block from the code. Run it
by hand only when the format version changes: ``test_vectors.py`` and ``test_spec.py`` check
that the files, the spec's inputs, its formulas, its constants and the code all agree.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from reviewer_app.core.bundle import container as c
from reviewer_app.core.bundle import crypto
from reviewer_app.core.bundle.assignment import write_assignment
from reviewer_app.core.bundle.model import (
    AssignmentSpec,
    KdfParams,
    ProposalMeta,
    ResultEntry,
    ResultPayload,
    ResultProposal,
    ReviewerIdentity,
    RoundSettings,
)
from reviewer_app.core.keys import ReviewerKey, SecretariatKeys, ed25519_raw, fingerprint, x25519_raw

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).parent / "vectors"
SPEC = ROOT / "docs" / "bundle-format.md"


# --- reading the spec's machine-readable blocks --------------------------------------------


def _block_span(text: str, name: str) -> tuple[int, int]:
    """Start and end of the fenced block that follows ``<!-- spec:name -->``."""
    marker = text.index(f"<!-- spec:{name} -->")
    start = text.index("\n", text.index("```", marker)) + 1
    return start, text.index("```", start)


def spec_block(name: str, text: str | None = None) -> str:
    text = SPEC.read_text(encoding="utf-8") if text is None else text
    start, end = _block_span(text, name)
    return text[start:end]


def spec_json(name: str) -> Any:
    return json.loads(spec_block(name))


def replace_spec_block(name: str, body: str) -> None:
    text = SPEC.read_text(encoding="utf-8")
    start, end = _block_span(text, name)
    SPEC.write_text(text[:start] + body + text[end:], encoding="utf-8")


def spec_table(name: str) -> list[list[str]]:
    """Rows (cells stripped) of the Markdown table that follows ``<!-- spec:name -->``."""
    text = SPEC.read_text(encoding="utf-8")
    rest = text[text.index(f"<!-- spec:{name} -->"):].split("\n")[1:]
    rows = []
    for line in rest:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [x.strip() for x in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if not set("".join(cells)) <= set("-: "):
            rows.append(cells)
    return rows[1:]  # without the heading row


# --- the inputs --------------------------------------------------------------------------


class CountingRng:
    """The vectors' "randomness": byte i of call n (n from 1, i from 0) is (multiplier * n + i) mod 256."""

    def __init__(self, multiplier: int) -> None:
        self.multiplier = multiplier
        self.n = 0

    def __call__(self, size: int) -> bytes:
        self.n += 1
        return bytes((self.multiplier * self.n + i) % 256 for i in range(size))


def inputs() -> dict[str, Any]:
    return spec_json("vector-inputs")


def fixed_secretariat() -> SecretariatKeys:
    s = inputs()["secretariat"]
    return SecretariatKeys(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(s["ed25519_seed"])),
                           X25519PrivateKey.from_private_bytes(bytes.fromhex(s["x25519_private"])),
                           bytes.fromhex(s["binding_master"]))


def fixed_reviewer() -> ReviewerKey:
    r = inputs()["reviewer_key"]
    return ReviewerKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(r["ed25519_seed"])),
                       X25519PrivateKey.from_private_bytes(bytes.fromhex(r["x25519_private"])))


def _kdf() -> KdfParams:
    return KdfParams(**inputs()["kdf"])


def primitives() -> dict[str, str]:
    """The primitive vectors (``vectors/primitives.json``), from the spec's inputs."""
    inp = inputs()
    p = inp["primitives"]
    keys = fixed_secretariat()
    salt = bytes.fromhex(p["argon2id_salt"])
    kek = crypto.derive_passphrase_key(inp["passphrase"], salt, _kdf())
    aad = crypto.member_aad(p["member_aad"]["bundle_id"], p["member_aad"]["kind"], p["member_aad"]["name"])
    plaintext = p["aes_plaintext"].encode("utf-8")
    nonce = bytes.fromhex(p["aes_nonce"])
    message = p["ed25519_message"].encode("utf-8")
    return {
        "argon2id_passphrase": inp["passphrase"], "argon2id_salt": salt.hex(), "argon2id_out": kek.hex(),
        "aes_key": kek.hex(), "aes_nonce": nonce.hex(), "aes_aad": aad.hex(), "aes_plaintext": plaintext.hex(),
        "aes_out": crypto.seal(kek, nonce, plaintext, aad).hex(),
        "ed25519_seed": inp["secretariat"]["ed25519_seed"], "ed25519_public": ed25519_raw(keys.signing.public_key()).hex(),
        "ed25519_message": message.hex(), "ed25519_signature": keys.signing.sign(message).hex(),
        "fingerprint": fingerprint("ed25519", ed25519_raw(keys.signing.public_key())),
        "binding_key": crypto.binding_key(keys.binding_master, p["binding_bundle_id"]).hex(),
    }


def assignment_spec(folder: Path) -> AssignmentSpec:
    """The assignment the vector holds; its PDFs are written into ``folder``."""
    a = inputs()["assignment"]
    r = a["round"]
    settings = RoundSettings(r["round_id"], r["title"], r["deadline"],
                             {k: None if v is None else Decimal(v) for k, v in r["band_targets"].items()}, r["language"])
    proposals, pdfs = [], {}
    for p in a["proposals"]:
        path = folder / f"{p['id']}.pdf"
        path.write_bytes(bytes.fromhex(p["pdf_hex"]))
        pdfs[p["id"]] = str(path)
        proposals.append(ProposalMeta(p["id"], p["title"], p["institution"], p["institution_type"], p["region"],
                                      {k: Decimal(v) for k, v in p["figures"].items()}))
    return AssignmentSpec(settings, ReviewerIdentity(a["reviewer"]["id"], a["reviewer"]["name"]),
                          (ROOT / a["rubric_file"]).read_bytes(), tuple(proposals), pdfs)


def assignment_bytes(spec_folder: Path) -> bytes:
    inp = inputs()
    buf = io.BytesIO()
    write_assignment(buf, assignment_spec(spec_folder), fixed_secretariat(), passphrase=inp["passphrase"], kdf=_kdf(),
                     rng=CountingRng(inp["assignment"]["rng_multiplier"]), created_at=inp["assignment"]["created_at"])
    return buf.getvalue()


def result_payload(assignment_bundle_id: str, rubric_digest: str) -> ResultPayload:
    p = inputs()["result"]["payload"]
    if p["bundle_id"] != assignment_bundle_id or p["rubric_digest"] != rubric_digest:
        raise ValueError("the spec's result payload must answer the spec's assignment vector")
    props = tuple(
        ResultProposal(r["proposal_id"], tuple(
            ResultEntry(e["item_id"], e["mark"], None if e["figure"] is None else Decimal(e["figure"]), e["comment"],
                        e["unjudgeable"], e["unjudgeable_reason"]) for e in r["entries"]),
            r["conflict_of_interest"], r["coi_reason"])
        for r in p["proposals"])
    return ResultPayload(p["bundle_id"], p["round_id"], p["reviewer_id"], p["rubric_digest"], p["revision"], props,
                         p["distribution_justification"], p["audit_digest"], p["created_at"], p["started_at"])


# --- the worked values ---------------------------------------------------------------------


def _parts(raw: bytes) -> dict[str, Any]:
    """The pieces of a bundle file, located as a reader locates them."""
    manifest_len, header_len, _ = c.TRAILER.unpack(raw[-c.TRAILER.size:])
    header_at = len(raw) - c.TRAILER.size - header_len
    return {"preamble": raw[: c.PREAMBLE.size], "trailer": raw[-c.TRAILER.size:], "header": raw[header_at:-c.TRAILER.size],
            "manifest_ct": raw[header_at - manifest_len: header_at]}


def worked_values(assignment: bytes, result: bytes) -> dict[str, Any]:
    """Every intermediate value of the two vectors, in the order a reader meets them."""
    inp = inputs()
    keys = fixed_secretariat()
    rng = CountingRng(inp["assignment"]["rng_multiplier"])
    bundle_id = rng(16).hex()
    data_key = rng(crypto.KEY_LEN)
    n_members = 1 + len(inp["assignment"]["proposals"])
    member_nonces = [rng(crypto.NONCE_LEN) for _ in range(n_members)]
    salt, wrap_nonce, manifest_nonce = rng(16), rng(crypto.NONCE_LEN), rng(crypto.NONCE_LEN)
    kind = "assignment"
    parts = _parts(assignment)
    hd = c.header_digest(parts["preamble"], parts["trailer"], parts["header"])
    ck = crypto.content_key(data_key, bundle_id, kind)
    plain = crypto.unseal(ck, manifest_nonce, parts["manifest_ct"], crypto.manifest_aad(bundle_id, kind, hd))
    assert plain is not None
    signature, manifest = plain[: crypto.SIG_LEN], plain[crypto.SIG_LEN:]
    kek = crypto.derive_passphrase_key(inp["passphrase"], salt, _kdf())
    sec_pub = keys.public
    a = {
        "bundle_id": bundle_id,
        "data_key": data_key.hex(),
        "member_nonces": {name: n.hex() for name, n in zip(["rubric"] + [f"p{i:04d}" for i in range(1, n_members)],
                                                           member_nonces)},
        "argon2id_salt": salt.hex(), "wrap_nonce": wrap_nonce.hex(), "manifest_nonce": manifest_nonce.hex(),
        "kek": kek.hex(),
        "wrap_aad": crypto.wrap_aad(bundle_id, kind).hex(),
        "wrapped": crypto.seal(kek, wrap_nonce, data_key, crypto.wrap_aad(bundle_id, kind)).hex(),
        "content_info": crypto.content_info(bundle_id, kind).hex(),
        "content_key": ck.hex(),
        "member_aad_rubric": crypto.member_aad(bundle_id, kind, "rubric").hex(),
        "rubric_sha256": hashlib.sha256((ROOT / inp["assignment"]["rubric_file"]).read_bytes()).hexdigest(),
        "secretariat_ed25519_public": ed25519_raw(sec_pub.signing).hex(),
        "secretariat_x25519_public": x25519_raw(sec_pub.encryption).hex(),
        "secretariat_signing_fingerprint": sec_pub.signing_fingerprint,
        "secretariat_encryption_fingerprint": sec_pub.encryption_fingerprint,
        "binding_key": crypto.binding_key(keys.binding_master, bundle_id).hex(),
        "header": parts["header"].decode("utf-8"),
        "preamble": parts["preamble"].hex(), "trailer": parts["trailer"].hex(),
        "header_digest": hd.hex(),
        "manifest_aad": crypto.manifest_aad(bundle_id, kind, hd).hex(),
        "manifest_json_sha256": hashlib.sha256(manifest).hexdigest(), "manifest_json_length": len(manifest),
        "signed_message_sha256": hashlib.sha256(crypto.signed_message(kind, hd, manifest)).hexdigest(),
        "signature": signature.hex(),
        "file_sha256": hashlib.sha256(assignment).hexdigest(), "file_size": len(assignment),
    }
    rng = CountingRng(inp["result"]["rng_multiplier"])
    r_bundle_id, r_data_key = rng(16).hex(), rng(crypto.KEY_LEN)
    r_parts = _parts(result)
    rk = fixed_reviewer()
    payload = inp["result"]["payload"]
    bk = crypto.binding_key(keys.binding_master, payload["bundle_id"])
    r = {
        "header_bundle_id": r_bundle_id,
        "data_key": r_data_key.hex(),
        "hpke_info": crypto.hpke_info(r_bundle_id, "result").hex(),
        "content_key": crypto.content_key(r_data_key, r_bundle_id, "result").hex(),
        "manifest_nonce": rng(crypto.NONCE_LEN).hex(),
        "header_digest": c.header_digest(r_parts["preamble"], r_parts["trailer"], r_parts["header"]).hex(),
        "reviewer_ed25519_public": rk.signing_public_raw.hex(),
        "reviewer_fingerprint": rk.fingerprint,
        "binding_key": bk.hex(),
        "binding_mac": crypto.key_binding_mac(bk, payload["bundle_id"], payload["reviewer_id"], rk.signing_public_raw).hex(),
        "binding_mac_b64": base64.b64encode(
            crypto.key_binding_mac(bk, payload["bundle_id"], payload["reviewer_id"], rk.signing_public_raw)).decode(),
        "payload_sha256": hashlib.sha256(c.canonical_json(payload)).hexdigest(),
        "file_sha256": hashlib.sha256(result).hexdigest(),
    }
    return {"assignment": a, "result": r}


def worked_values_text(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, indent=1) + "\n"


# --- writing ---------------------------------------------------------------------------------


def result_bytes(assignment: Path) -> bytes:
    """HPKE draws its own ephemeral key, so this vector is a fixed file plus what it must decrypt to."""
    from reviewer_app.core.bundle.assignment import read_assignment
    from reviewer_app.core.bundle.result import write_result

    inp = inputs()
    a = read_assignment(assignment, passphrase=inp["passphrase"])
    payload = result_payload(a.bundle_id, a.rubric.digest)
    return write_result(a.result_target(), payload, fixed_reviewer(), rng=CountingRng(inp["result"]["rng_multiplier"]))


def main() -> None:
    import tempfile

    from reviewer_app.core.bundle.result import payload_digest

    (HERE / "primitives.json").write_text(json.dumps(primitives(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as d:
        raw = assignment_bytes(Path(d))
    (HERE / "assignment.rvb").write_bytes(raw)
    (HERE / "assignment.json").write_text(json.dumps({"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw),
                                                       "passphrase": inputs()["passphrase"], "kdf": inputs()["kdf"]},
                                                      ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    result = result_bytes(HERE / "assignment.rvb")
    (HERE / "result.rvb").write_bytes(result)
    a_id = worked_values(raw, result)["assignment"]["bundle_id"]
    digest = payload_digest(result_payload(a_id, hashlib.sha256((ROOT / inputs()["assignment"]["rubric_file"]).read_bytes())
                                           .hexdigest()))
    (HERE / "result.json").write_text(json.dumps({"payload_sha256": digest, "reviewer_fingerprint": fixed_reviewer().fingerprint},
                                                 indent=1) + "\n")
    replace_spec_block("worked-values", worked_values_text(worked_values(raw, result)))



if __name__ == "__main__":
    main()
