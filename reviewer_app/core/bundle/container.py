"""The container: a fixed preamble, the encrypted members, the encrypted manifest, the header, a trailer.

Our own length-prefixed layout rather than zip: a zip reader brings path names, compression
(bombs), a central directory that can disagree with local headers and duplicate entries; none
of that is needed when every member is an opaque AES-GCM blob listed in a signed manifest.
The writer streams members from the start of the file, so building never holds a whole bundle
in memory; the reader finds header and manifest from the end in constant time.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from ..errors import BundleFormatError, BundleLimitError
from ..keys import b64d
from . import limits
from .crypto import HPKE_ENC_LEN, KEY_LEN, NONCE_LEN, SIG_LEN, TAG_LEN
from .files import file_size, open_regular
from .model import BundleHeader, BundleKind, KdfParams, RecipientInfo

MAGIC = b"\x89RVB\r\n\x1a\n"
END_MAGIC = b"RVB1"
FORMAT_VERSION = 1
PREAMBLE = struct.Struct(">8sHBBI")  # magic, version, kind, flags, reserved
TRAILER = struct.Struct(">II4s")  # manifest length, header length, end magic
KIND_CODES = {BundleKind.ASSIGNMENT: 1, BundleKind.RESULT: 2}
_KINDS_BY_CODE = {v: k for k, v in KIND_CODES.items()}
MIN_SIZE = PREAMBLE.size + TRAILER.size
BUNDLE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
FINGERPRINT_RE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")
WRAPPED_LEN = KEY_LEN + TAG_LEN
HPKE_BLOB_LEN = HPKE_ENC_LEN + KEY_LEN + TAG_LEN


def canonical_json(doc: Any) -> bytes:
    """The one byte form of a JSON document: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def parse_canonical(data: bytes, what: str, *, fractions_typed_later: bool = False) -> dict[str, Any]:
    """Parse JSON and insist it is exactly in canonical form (so no two encodings of one document).

    Numbers are integers only (a fraction or exponent is refused, as are NaN and Infinity);
    duplicate keys, other spacing or escaping, and lone surrogates all fail the re-encoding test.

    ``fractions_typed_later``: the caller checks the type of every value of the document (none
    may be a float) and, when any of its checks fails, parses the bytes again without this flag
    so that a fraction is refused here first, as the spec orders it (the result reader does:
    ``result._open_result``). The quick parse then skips its scan for fractions.
    """
    doc = _parse_quickly(data, scan=not fractions_typed_later)
    if doc is not None:
        return doc
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_refuse_number, parse_float=_refuse_number)
        canonical = isinstance(doc, dict) and _encodes_to(doc, data)
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        raise BundleFormatError("bundle.format.malformed", part=what) from None
    if not canonical:
        raise BundleFormatError("bundle.format.malformed", part=what)
    return doc


#: Where a number with a fraction or an exponent may start in orjson's output: its ``.`` before a
#: digit, or its exponent's sign (orjson writes every float with one of them: ``1.5``, ``1e+16``).
_NUMBER_HINTS = (re.compile(rb"\.[0-9]"), re.compile(rb"e[-+]"))
#: Such a number as a whole JSON value in compact output: after ``:``, ``,`` or ``[``, before ``,``, ``}`` or ``]``.
_NUMBER_TOKEN = re.compile(rb"[:,\[]-?[0-9]+(?:\.[0-9]+(?:e[-+][0-9]+)?|e[-+][0-9]+)[,}\]]")
#: Bytes either side of a hint that hold the whole value (orjson's longest float is 24 bytes).
_NUMBER_REACH = 40


def _parse_quickly(data: bytes, scan: bool = True) -> dict[str, Any] | None:
    """The document when orjson alone shows it canonical; ``None`` leaves the decision to the careful parse.

    orjson parses in about half the time of ``json.loads`` but reads fractions and exponents
    as floats instead of refusing them. A document is taken only if its sorted compact encoding
    by orjson is exactly ``data`` (which for a document without floats is ``canonical_json``'s
    byte form, see ``_encodes_to``) and ``data`` shows no float: a float in the document would
    be written in those very bytes as a value with a ``.`` before a digit or an exponent sign,
    standing between JSON punctuation, and every such hint is looked at with its surroundings.
    A text that merely looks like one (``"x:1.5,"``) sends the document to the careful parse,
    as does anything orjson refuses (invalid UTF-8, integers beyond 64 bits, lone surrogates,
    deep nesting). So this never takes a document ``json.loads`` with the rules would refuse,
    and what it returns is what ``json.loads`` would have returned.
    """
    try:
        doc = orjson.loads(data)
        if type(doc) is not dict or orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) != data:
            return None
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if not scan:
        return doc
    for hint in _NUMBER_HINTS:
        for found in hint.finditer(data):
            if _NUMBER_TOKEN.search(data, max(0, found.start() - _NUMBER_REACH), found.end() + _NUMBER_REACH):
                return None
    return doc


def _encodes_to(doc: Any, data: bytes) -> bool:
    """``canonical_json(doc) == data``, asked of orjson first (about ten times faster on a result's manifest).

    For what ``json.loads`` returns (dicts with text keys, lists, text, integers, booleans,
    null) orjson's sorted compact output is byte for byte ``canonical_json``'s: the same
    escapes for every code point, keys in code point order, the same integers
    (tests/core/bundle/test_canonical_json.py checks this exhaustively and by property). What
    it cannot encode (an integer beyond 64 bits, a lone surrogate, very deep nesting) and
    anything it does not reproduce is decided by ``canonical_json`` itself, so a document is
    refused only by the definition.
    """
    try:
        if orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) == data:
            return True
    except orjson.JSONEncodeError:
        pass
    return canonical_json(doc) == data


def _refuse_number(text: str) -> Any:
    raise ValueError(text)


@dataclass(frozen=True)
class Recipient:
    """A header recipient: how to recover the data key (no secret in here)."""

    type: str
    kdf: KdfParams | None = None
    salt: bytes = b""
    nonce: bytes = b""
    wrapped: bytes = b""  # passphrase: AES-GCM(KEK, data key); hpke: enc || ciphertext
    key_fingerprint: str = ""

    def to_json(self) -> dict[str, Any]:
        from ..keys import b64e

        if self.type == "passphrase":
            assert self.kdf is not None
            return {
                "type": "passphrase",
                "kdf": {"alg": "argon2id", "salt": b64e(self.salt), "memory_kib": self.kdf.memory_kib,
                        "iterations": self.kdf.iterations, "lanes": self.kdf.lanes},
                "nonce": b64e(self.nonce),
                "wrapped": b64e(self.wrapped),
            }
        return {"type": "hpke", "key": self.key_fingerprint, "wrapped": b64e(self.wrapped)}


@dataclass(frozen=True)
class Layout:
    """Where things are in one bundle file, after the structural checks."""

    header: BundleHeader
    recipients: tuple[Recipient, ...]
    manifest_nonce: bytes
    manifest_offset: int
    manifest_length: int
    #: SHA-256 of preamble || trailer || header: the manifest's associated data.
    header_digest: bytes


def header_json(bundle_id: str, signer: str, manifest_nonce: bytes, recipients: list[Recipient]) -> bytes:
    from ..keys import b64e

    return canonical_json({
        "bundle_id": bundle_id,
        "signer": signer,
        "manifest_nonce": b64e(manifest_nonce),
        "recipients": [r.to_json() for r in recipients],
    })


def preamble(kind: BundleKind) -> bytes:
    return PREAMBLE.pack(MAGIC, FORMAT_VERSION, KIND_CODES[kind], 0, 0)


def trailer(manifest_length: int, header_length: int) -> bytes:
    return TRAILER.pack(manifest_length, header_length, END_MAGIC)


def header_digest(pre: bytes, trail: bytes, header: bytes) -> bytes:
    return hashlib.sha256(pre + trail + header).digest()


def read_header(path: Path, expect_kind: str | None = None) -> BundleHeader:
    """The header of a bundle file (``bundle inspect``); typed errors for anything malformed."""
    with open_bundle_file(path, expect_kind) as fh:
        return read_layout(fh, file_size(fh), expect_kind).header


def open_bundle_file(path: Path, expect_kind: str | None = None) -> BinaryIO:
    """Check 0 of the spec: a regular file within the size limit of its kind, before any byte is read."""
    limit = limits.MAX_RESULT_BYTES if expect_kind == BundleKind.RESULT.value else limits.MAX_BUNDLE_BYTES
    return open_regular(path, limit, _too_large)


def _too_large(path: str, size: int, limit: int) -> BundleLimitError:
    return BundleLimitError("bundle.limit.file_size", path=path, size=size, limit=limit)


def read_exact(fh: BinaryIO, offset: int, length: int) -> bytes:
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise BundleFormatError("bundle.format.truncated")
    return data


def read_layout(fh: BinaryIO, size: int, expect_kind: str | None = None) -> Layout:
    """Checks 1–3 of the spec: preamble, trailer, header; nothing is allocated before its bound is checked."""
    if size < MIN_SIZE:
        head = read_exact(fh, 0, min(size, len(MAGIC)))
        if MAGIC.startswith(head) and head:
            raise BundleFormatError("bundle.format.truncated")
        raise BundleFormatError("bundle.format.not_a_bundle")
    limit = limits.MAX_RESULT_BYTES if expect_kind == BundleKind.RESULT.value else limits.MAX_BUNDLE_BYTES
    if size > limit:
        raise BundleLimitError("bundle.limit.file_size", path=str(getattr(fh, "name", "")), size=size, limit=limit)
    pre = read_exact(fh, 0, PREAMBLE.size)
    magic, version, kind_code, flags, reserved = PREAMBLE.unpack(pre)
    if magic != MAGIC:
        raise BundleFormatError("bundle.format.not_a_bundle")
    if version != FORMAT_VERSION:
        raise BundleFormatError("bundle.format.unknown_version", version=version, supported=FORMAT_VERSION)
    kind = _KINDS_BY_CODE.get(kind_code)
    if kind is None or flags != 0 or reserved != 0:
        raise BundleFormatError("bundle.format.malformed", part="preamble")
    if expect_kind is not None and kind.value != expect_kind:
        code = "bundle.format.not_an_assignment" if expect_kind == BundleKind.ASSIGNMENT.value else "bundle.format.not_a_result"
        raise BundleFormatError(code, expected=expect_kind, actual=kind.value)
    trail = read_exact(fh, size - TRAILER.size, TRAILER.size)
    manifest_len, header_len, end = TRAILER.unpack(trail)
    if end != END_MAGIC:
        raise BundleFormatError("bundle.format.truncated")
    if header_len > limits.MAX_HEADER_BYTES:
        raise BundleLimitError("bundle.limit.header", size=header_len, limit=limits.MAX_HEADER_BYTES)
    if manifest_len > limits.MAX_MANIFEST_BYTES:
        raise BundleLimitError("bundle.limit.manifest", size=manifest_len, limit=limits.MAX_MANIFEST_BYTES)
    if manifest_len < SIG_LEN + TAG_LEN + 2 or MIN_SIZE + header_len + manifest_len > size:
        raise BundleFormatError("bundle.format.truncated")
    header_offset = size - TRAILER.size - header_len
    raw = read_exact(fh, header_offset, header_len)
    doc = parse_canonical(raw, "header")
    try:
        bundle_id, signer, nonce, recipients = _header_fields(doc, kind)
    except (KeyError, TypeError, ValueError):
        raise BundleFormatError("bundle.format.malformed", part="header") from None
    header = BundleHeader(
        format_version=version,
        kind=kind,
        bundle_id=bundle_id,
        signer_fingerprint=signer,
        recipients=tuple(RecipientInfo(r.type, r.key_fingerprint, r.kdf) for r in recipients),
        file_size=size,
    )
    return Layout(
        header=header,
        recipients=recipients,
        manifest_nonce=nonce,
        manifest_offset=header_offset - manifest_len,
        manifest_length=manifest_len,
        header_digest=header_digest(pre, trail, raw),
    )


def _header_fields(doc: dict[str, Any], kind: BundleKind) -> tuple[str, str, bytes, tuple[Recipient, ...]]:
    if set(doc) != {"bundle_id", "signer", "manifest_nonce", "recipients"}:
        raise ValueError("fields")
    bundle_id = doc["bundle_id"]
    signer = doc["signer"]
    if not isinstance(bundle_id, str) or not BUNDLE_ID_RE.match(bundle_id):
        raise ValueError("bundle_id")
    if not isinstance(signer, str) or not FINGERPRINT_RE.match(signer):
        raise ValueError("signer")
    nonce = b64d(doc["manifest_nonce"], NONCE_LEN)
    raw_recipients = doc["recipients"]
    if not isinstance(raw_recipients, list) or not 1 <= len(raw_recipients) <= limits.MAX_RECIPIENTS:
        raise ValueError("recipients")
    recipients = tuple(_recipient(r) for r in raw_recipients)
    if kind is BundleKind.RESULT and [r.type for r in recipients] != ["hpke"]:
        raise ValueError("result recipients")
    # At most one passphrase recipient (a reader runs Argon2id once), HPKE keys distinct.
    if sum(r.type == "passphrase" for r in recipients) > 1:
        raise ValueError("two passphrase recipients")
    keys = [r.key_fingerprint for r in recipients if r.type == "hpke"]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate hpke recipient")
    return bundle_id, signer, nonce, recipients


def _recipient(r: Any) -> Recipient:
    if not isinstance(r, dict):
        raise ValueError("recipient")
    if r.get("type") == "passphrase":
        if set(r) != {"type", "kdf", "nonce", "wrapped"}:
            raise ValueError("recipient fields")
        k = r["kdf"]
        if not isinstance(k, dict) or set(k) != {"alg", "salt", "memory_kib", "iterations", "lanes"} or k["alg"] != "argon2id":
            raise ValueError("kdf")
        if not all(type(k[n]) is int for n in ("memory_kib", "iterations", "lanes")):
            raise ValueError("kdf numbers")
        kdf = KdfParams(k["memory_kib"], k["iterations"], k["lanes"])
        return Recipient("passphrase", kdf=kdf, salt=b64d(k["salt"], 16), nonce=b64d(r["nonce"], NONCE_LEN),
                         wrapped=b64d(r["wrapped"], WRAPPED_LEN))
    if r.get("type") == "hpke":
        if set(r) != {"type", "key", "wrapped"} or not isinstance(r["key"], str) or not FINGERPRINT_RE.match(r["key"]):
            raise ValueError("hpke recipient")
        return Recipient("hpke", key_fingerprint=r["key"], wrapped=b64d(r["wrapped"], HPKE_BLOB_LEN))
    raise ValueError("recipient type")
