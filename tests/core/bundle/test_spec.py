"""docs/bundle-format.md and the code cannot drift: its constants, formulas, grammars and error codes are checked here.

The spec's machine-readable blocks (``<!-- spec:… -->``) are parsed out of the document and
compared with what the code does; a second implementation written from the document alone
therefore follows the same rules as this one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path

import pytest

from reviewer_app import i18n
from reviewer_app.core import keys as core_keys
from reviewer_app.core.bundle import assignment, container, crypto, envelope, fields, limits, result
from reviewer_app.core.bundle.model import DEFAULT_KDF, INSTITUTION_TYPES

from .make_vectors import SPEC, spec_json, spec_table

PACKAGE = Path(__file__).resolve().parents[3] / "reviewer_app"


def test_constants_are_the_codes() -> None:
    k = spec_json("constants")
    assert bytes.fromhex(k["magic_hex"].replace(" ", "")) == container.MAGIC
    assert k["end_magic"].encode() == container.END_MAGIC
    assert k["format_version"] == container.FORMAT_VERSION
    assert k["kind_codes"] == {kind.value: code for kind, code in container.KIND_CODES.items()}
    assert (k["preamble_bytes"], k["trailer_bytes"]) == (container.PREAMBLE.size, container.TRAILER.size)
    assert k["label_prefix"].encode() == crypto.PREFIX
    assert k["limits"] == {
        "file": limits.MAX_BUNDLE_BYTES, "result_file": limits.MAX_RESULT_BYTES, "header": limits.MAX_HEADER_BYTES,
        "manifest": limits.MAX_MANIFEST_BYTES, "member_plaintext": limits.MAX_MEMBER_BYTES, "members": limits.MAX_MEMBERS,
        "recipients": limits.MAX_RECIPIENTS, "member_min": limits.MIN_MEMBER_BYTES,
    }
    assert k["argon2id"] == {"memory_kib_min": limits.ARGON2_MIN_MEMORY_KIB, "memory_kib_max": limits.ARGON2_MAX_MEMORY_KIB,
                             "iterations_max": limits.ARGON2_MAX_ITERATIONS, "lanes_max": limits.ARGON2_MAX_LANES}
    assert k["production_kdf"] == {"memory_kib": DEFAULT_KDF.memory_kib, "iterations": DEFAULT_KDF.iterations,
                                   "lanes": DEFAULT_KDF.lanes}
    assert k["member_name"] == envelope.MEMBER_NAME_RE.pattern
    assert k["fingerprint"] == container.FINGERPRINT_RE.pattern
    assert k["decimal"] == fields.DECIMAL_RE.pattern and k["decimal_max_chars"] == fields.MAX_DECIMAL_CHARS
    assert k["utc_timestamp"] == fields.UTC_TIMESTAMP_RE.pattern
    assert k["date"] == fields.DATE_RE.pattern and k["offset_datetime"] == fields.OFFSET_DATETIME_RE.pattern
    assert k["max_revision"] == result.MAX_REVISION
    assert k["languages"] == list(fields.LANGUAGES) and k["institution_types"] == list(INSTITUTION_TYPES)
    assert k["key_file"] == {"format": core_keys.KEYFILE_FORMAT, "version": core_keys.KEYFILE_VERSION,
                             "max_bytes": core_keys.MAX_KEYFILE_BYTES}
    assert k["fingerprint_prefix"].encode() + b"\x00" == core_keys.FINGERPRINT_PREFIX
    assert k["passphrase_rule"] == {"min_chars": core_keys.MIN_PASSPHRASE_CHARS,
                                    "min_guesses_log10": core_keys.MIN_PASSPHRASE_GUESSES_LOG10}


def test_every_object_has_the_keys_the_spec_lists() -> None:
    keys = {name: set(v) for name, v in spec_json("constants")["keys"].items()}
    from reviewer_app.core.bundle.container import Recipient, header_json
    from reviewer_app.core.bundle.model import KdfParams

    doc = __import__("json").loads(header_json("0" * 32, "AAAA-AAAA-AAAA-AAAA", bytes(12), [
        Recipient("passphrase", kdf=KdfParams(), salt=bytes(16), nonce=bytes(12), wrapped=bytes(48)),
        Recipient("hpke", key_fingerprint="AAAA-AAAA-AAAA-AAAA", wrapped=bytes(80))]))
    assert set(doc) == keys["header"]
    assert set(doc["recipients"][0]) == keys["passphrase_recipient"] and set(doc["recipients"][0]["kdf"]) == keys["kdf"]
    assert set(doc["recipients"][1]) == keys["hpke_recipient"]
    assert assignment.MANIFEST_KEYS == keys["assignment_manifest"]
    assert assignment.ROUND_KEYS == keys["round"] and assignment.REVIEWER_KEYS == keys["reviewer"]
    assert assignment.RUBRIC_KEYS == keys["rubric"] and assignment.SECRETARIAT_KEYS == keys["secretariat"]
    assert assignment.PROPOSAL_KEYS == keys["proposal"] and assignment.PROPOSAL_OPTIONAL_KEYS == keys["proposal_optional"]
    assert result.MANIFEST_KEYS == keys["result_manifest"] and result.REVIEWER_KEY_KEYS == keys["reviewer_key"]
    assert result.PAYLOAD_KEYS == keys["payload"] and result.PROPOSAL_KEYS == keys["payload_proposal"]
    assert result.ENTRY_KEYS == keys["entry"]
    assert core_keys.KEYFILE_KEYS == keys["key_file"]
    source = (PACKAGE / "core" / "bundle" / "envelope.py").read_text(encoding="utf-8")
    assert '{"name", "offset", "length", "nonce", "sha256"}' in source and keys["member"] == {"name", "offset", "length",
                                                                                             "nonce", "sha256"}


# --- the key schedule's formulas, evaluated as written ---------------------------------------------


def _evaluate(formula: str, env: dict[str, bytes]) -> bytes:
    """``L("wrap", kind, bundle_id) ‖ 00 ‖ HD`` → bytes: the little language of the spec's formula table."""
    out = b""
    for part in (p.strip() for p in formula.split("‖")):
        if part == "00":
            out += b"\x00"
        elif part.startswith('"'):
            out += part.strip('"').encode("utf-8")
        elif part.startswith("L("):
            args = [a.strip() for a in part[2:-1].split(",")]
            out += b"\x00".join([crypto.PREFIX, *(a.strip('"').encode() if a.startswith('"') else env[a] for a in args)])
        else:
            out += env[part]
    return out


def _formulas() -> dict[str, str]:
    rows = {name: formula.strip("`") for name, formula in spec_table("formulas")}
    assert len(rows) == 10
    return rows


@pytest.mark.parametrize("kind", ["assignment", "result"])
def test_the_key_schedule_formulas_are_what_the_code_computes(kind: str) -> None:
    f = _formulas()
    bundle_id, name, reviewer_id = "1f202122232425262728292a2b2c2d2e", "p0001", "審査委員-01"
    hd, key, manifest = hashlib.sha256(b"hd").digest(), bytes(range(32)), b'{"kind":"x"}'
    pre, trail, header = container.preamble(container._KINDS_BY_CODE[1]), container.trailer(100, 50), b'{"h":1}'
    env = {"kind": kind.encode(), "bundle_id": bundle_id.encode(), "name": name.encode(), "HD": hd, "key": key,
           "manifest": manifest, "reviewer_id": reviewer_id.encode(), "preamble": pre, "trailer": trail, "header": header}
    assert _evaluate(f["wrap AAD"], env) == crypto.wrap_aad(bundle_id, kind)
    assert _evaluate(f["HPKE info"], env) == crypto.hpke_info(bundle_id, kind)
    assert _evaluate(f["content info"], env) == crypto.content_info(bundle_id, kind)
    assert _evaluate(f["member AAD"], env) == crypto.member_aad(bundle_id, kind, name)
    assert hashlib.sha256(_evaluate(f["header digest input"], env)).digest() == container.header_digest(pre, trail, header)
    assert _evaluate(f["manifest AAD"], env) == crypto.manifest_aad(bundle_id, kind, hd)
    assert _evaluate(f["signed message"], env) == crypto.signed_message(kind, hd, manifest)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    master = bytes(range(64, 96))
    binding = HKDF(hashes.SHA256(), 32, None, _evaluate(f["binding info"], env)).derive(master)
    assert binding == crypto.binding_key(master, bundle_id)
    assert hmac.new(binding, _evaluate(f["binding MAC message"], env), hashlib.sha256).digest() == \
        crypto.key_binding_mac(binding, bundle_id, reviewer_id, key)
    assert HKDF(hashes.SHA256(), 32, None, _evaluate(f["content info"], env)).derive(key) == \
        crypto.content_key(key, bundle_id, kind)
    for alg in ("ed25519", "x25519"):
        digest = hashlib.sha256(_evaluate(f["fingerprint input"], {**env, "alg": alg.encode()})).digest()
        text = base64.b32encode(digest[:10]).decode()
        assert "-".join(text[i: i + 4] for i in range(0, 16, 4)) == core_keys.fingerprint(alg, key)


def test_the_grammar_table_quotes_the_codes_regular_expressions() -> None:
    rows = {name: cell.replace("\\|", "|") for name, cell in spec_table("grammars")}
    quoted = {name: re.findall(r"`(\^[^`]*\$)`", cell) for name, cell in rows.items()}
    assert quoted["decimal"] == [fields.DECIMAL_RE.pattern]
    assert quoted["UTC timestamp"] == [fields.UTC_TIMESTAMP_RE.pattern]
    assert quoted["deadline"] == [fields.DATE_RE.pattern, fields.OFFSET_DATETIME_RE.pattern]
    assert quoted["32 hex"] == [fields.HEX32_RE.pattern] and quoted["64 hex"] == [fields.HEX64_RE.pattern]


# --- error codes -----------------------------------------------------------------------------------


_CODE = re.compile(r"`((?:bundle|keys|file|workspace)\.[a-z_.]+[a-z_])`")
_RAISED = re.compile(r"""(?:Error|Problem)\(\s*["']((?:bundle|keys)\.[a-z_0-9.]+)["']""")


def _spec_codes() -> set[str]:
    return set(_CODE.findall(SPEC.read_text(encoding="utf-8")))


def test_every_code_the_spec_names_has_a_message_in_both_languages() -> None:
    codes = {c for c in _spec_codes() if not c.endswith(".")}
    assert len(codes) > 40
    for lang in i18n.LANGUAGES:
        missing = sorted(c for c in codes if f"error.{c}" not in i18n.catalog(lang) and f"{c}" not in i18n.catalog(lang))
        assert missing == [], lang


def test_every_check_of_the_readers_is_in_the_spec() -> None:
    """Each ``bundle.*`` code the readers raise appears in the check table; writers' codes in the spec's text."""
    readers = ("container.py", "envelope.py", "files.py", "assignment.py", "result.py", "pdf.py")
    raised: set[str] = set()
    for name in readers:
        raised |= set(_RAISED.findall((PACKAGE / "core" / "bundle" / name).read_text(encoding="utf-8")))
    raised |= set(_RAISED.findall((PACKAGE / "core" / "keys.py").read_text(encoding="utf-8")))
    checks = {c for row in spec_table("checks") for c in _CODE.findall(row[-1])}
    text = SPEC.read_text(encoding="utf-8")
    not_in_spec = sorted(c for c in raised if c not in checks and f"`{c}`" not in text)
    assert not_in_spec == []
    assert {"bundle.limit.kdf_cost", "bundle.integrity.key_wrap", "bundle.wrong_secret.no_passphrase_recipient",
            "bundle.format.truncated", "bundle.input.not_regular", "bundle.limit.file_size",
            "bundle.format.malformed"} <= checks


def test_the_description_example_in_the_spec_builds(tmp_path: Path) -> None:
    from decimal import Decimal

    from reviewer_app.services.bundle_description import load_assignment_description

    from .make_vectors import spec_block

    (tmp_path / "P001.pdf").write_bytes(b"%PDF-1.4\n")
    f = tmp_path / "round.toml"
    f.write_text(spec_block("description-example"), encoding="utf-8")
    spec = load_assignment_description(f)
    assert spec.settings.deadline == "2026-06-30" and spec.settings.band_targets == {"190+": Decimal("0.2")}
    assert spec.proposals[0].figures == {"1-1": Decimal(412)}
    assert spec.proposals[0].named_figures == {"intl_student_ratio_2020": Decimal("12.5")}
