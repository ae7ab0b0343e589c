"""Sealing and opening a bundle of either kind: data key, recipients, members, signed manifest.

Both kinds share this: the kind-specific modules (``assignment``, ``result``) only decide what
goes into the manifest and which key must have signed it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..errors import BundleFormatError, BundleIntegrityError, BundleLimitError, BundleSignatureError, WrongSecretError
from ..keys import b64d, b64e, ed25519_raw, fingerprint, x25519_raw
from . import container as c
from . import crypto, fields, limits
from .model import DEFAULT_KDF, BundleKind, KdfParams

Random = Callable[[int], bytes]
#: What a member's content comes from: a callable giving its bytes or an open binary stream.
MemberSource = Callable[[], "bytes | BinaryIO"]
MEMBER_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
#: Members are encrypted, hashed and decrypted in pieces of this size.
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    name: str
    offset: int
    length: int
    nonce: bytes
    sha256: str


def content_key(data_key: bytes, kind: BundleKind, bundle_id: str) -> bytes:
    return crypto.content_key(data_key, bundle_id, kind.value)


def write_bundle(
    fh: BinaryIO,
    kind: BundleKind,
    bundle_id: str,
    data_key: bytes,
    signer: Ed25519PrivateKey,
    manifest: dict[str, Any],
    members: Iterable[tuple[str, MemberSource]],
    *,
    passphrase: str | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    hpke_recipient: X25519PublicKey | None = None,
    rng: Random = os.urandom,
) -> None:
    """Stream the members, then the manifest, header and trailer (layout in docs/bundle-format.md).

    Each member source is opened when its turn comes and encrypted in chunks, so building
    holds one chunk of a proposal in memory, never the whole file. Random draws, in order:
    one 12-byte nonce per member (in member order), then for a passphrase recipient the
    16-byte salt and the 12-byte wrap nonce, then the 12-byte manifest nonce.
    """
    if passphrase is None and hpke_recipient is None:
        raise ValueError("a bundle needs at least one recipient")
    ck = content_key(data_key, kind, bundle_id)
    pre = c.preamble(kind)
    fh.write(pre)
    offset = len(pre)
    listed: list[dict[str, Any]] = []
    for name, load in members:
        nonce = rng(crypto.NONCE_LEN)
        source = load()
        with io.BytesIO(source) if isinstance(source, bytes | bytearray) else source as stream:
            length, digest = _seal_stream(fh, stream, ck, nonce, crypto.member_aad(bundle_id, kind.value, name), name)
        listed.append({"name": name, "offset": offset, "length": length, "nonce": b64e(nonce), "sha256": digest})
        offset += length
    doc = {**manifest, "format_version": c.FORMAT_VERSION, "kind": kind.value, "bundle_id": bundle_id, "members": listed}
    manifest_bytes = c.canonical_json(doc)
    recipients: list[c.Recipient] = []
    if passphrase is not None:
        salt, wnonce = rng(16), rng(crypto.NONCE_LEN)
        kek = crypto.derive_passphrase_key(passphrase, salt, kdf)
        recipients.append(c.Recipient("passphrase", kdf=kdf, salt=salt, nonce=wnonce,
                                      wrapped=crypto.seal(kek, wnonce, data_key, crypto.wrap_aad(bundle_id, kind.value))))
    if hpke_recipient is not None:
        wrapped = crypto.hpke_wrap(data_key, hpke_recipient, crypto.hpke_info(bundle_id, kind.value))
        recipients.append(c.Recipient("hpke", key_fingerprint=fingerprint("x25519", x25519_raw(hpke_recipient)), wrapped=wrapped))
    mnonce = rng(crypto.NONCE_LEN)
    signer_fp = fingerprint("ed25519", ed25519_raw(signer.public_key()))
    header = c.header_json(bundle_id, signer_fp, mnonce, recipients)
    manifest_len = crypto.SIG_LEN + len(manifest_bytes) + crypto.TAG_LEN
    if manifest_len > limits.MAX_MANIFEST_BYTES:
        raise BundleLimitError("bundle.limit.manifest", size=manifest_len, limit=limits.MAX_MANIFEST_BYTES)
    trail = c.trailer(manifest_len, len(header))
    hd = c.header_digest(pre, trail, header)
    signature = signer.sign(crypto.signed_message(kind.value, hd, manifest_bytes))
    fh.write(crypto.seal(ck, mnonce, signature + manifest_bytes, crypto.manifest_aad(bundle_id, kind.value, hd)))
    fh.write(header)
    fh.write(trail)


def unlock(
    layout: c.Layout,
    *,
    passphrase: str | None = None,
    data_key: bytes | None = None,
    hpke_key: X25519PrivateKey | None = None,
) -> bytes:
    """Recover the data key with whichever secret the caller holds (check 4 of the spec)."""
    h = layout.header
    if data_key is not None:
        if len(data_key) != crypto.KEY_LEN:
            raise WrongSecretError("bundle.wrong_secret")
        return data_key
    kind = h.kind.value
    if hpke_key is not None:
        want = fingerprint("x25519", x25519_raw(hpke_key.public_key()))
        for r in layout.recipients:
            if r.type == "hpke" and r.key_fingerprint == want:
                key = crypto.hpke_unwrap(r.wrapped, hpke_key, crypto.hpke_info(h.bundle_id, kind))
                if key is None:
                    raise BundleIntegrityError("bundle.integrity.key_wrap")
                return key
        raise WrongSecretError("bundle.wrong_secret.not_recipient", fingerprint=want)
    if passphrase is not None:
        for r in layout.recipients:
            if r.type == "passphrase" and r.kdf is not None:
                limits.check_kdf_params(r.kdf)
                kek = crypto.derive_passphrase_key(passphrase, r.salt, r.kdf)
                key = crypto.unseal(kek, r.nonce, r.wrapped, crypto.wrap_aad(h.bundle_id, kind))
                if key is None:
                    raise WrongSecretError("bundle.wrong_secret")
                return key
        raise WrongSecretError("bundle.wrong_secret.no_passphrase_recipient")
    raise WrongSecretError("bundle.wrong_secret")


def open_manifest(fh: BinaryIO, layout: c.Layout, data_key: bytes, *,
                  fractions_typed_later: bool = False) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """Checks 5–6: decrypt the manifest under the header digest and parse it; (doc, bytes, signature, content key).

    ``fractions_typed_later`` as ``container.parse_canonical`` says (the caller then owns check 6's fraction rule).
    """
    h = layout.header
    ck = content_key(data_key, h.kind, h.bundle_id)
    blob = c.read_exact(fh, layout.manifest_offset, layout.manifest_length)
    plain = crypto.unseal(ck, layout.manifest_nonce, blob, crypto.manifest_aad(h.bundle_id, h.kind.value, layout.header_digest))
    if plain is None:
        # With a passphrase that unwrapped the key, this means the file was altered.
        raise BundleIntegrityError("bundle.integrity.manifest")
    signature, manifest_bytes = plain[: crypto.SIG_LEN], plain[crypto.SIG_LEN :]
    doc = c.parse_canonical(manifest_bytes, "manifest", fractions_typed_later=fractions_typed_later)
    version = doc.get("format_version")
    if type(version) is not int or version != c.FORMAT_VERSION or doc.get("kind") != h.kind.value \
            or doc.get("bundle_id") != h.bundle_id:
        raise BundleFormatError("bundle.format.malformed", part="manifest")
    return doc, manifest_bytes, signature, ck


def verify_signature(layout: c.Layout, public_raw: bytes, manifest_bytes: bytes, signature: bytes, pinned: str | None) -> str:
    """Check 7: the header's signer claim, the pinned fingerprint, then Ed25519; returns the fingerprint."""
    fp = fingerprint("ed25519", public_raw)
    if fp != layout.header.signer_fingerprint:
        raise BundleSignatureError("bundle.signature.signer_mismatch", fingerprint=fp)
    if pinned is not None and fp != pinned:
        raise BundleSignatureError("bundle.signature.not_pinned", fingerprint=fp, pinned=pinned)
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            signature, crypto.signed_message(layout.header.kind.value, layout.header_digest, manifest_bytes)
        )
    except InvalidSignature:
        raise BundleSignatureError("bundle.signature.invalid", fingerprint=fp) from None
    return fp


def parse_members(doc: dict[str, Any], layout: c.Layout) -> dict[str, Member]:
    """Check 8: members are well-formed, uniquely named and tile the space before the manifest exactly."""
    raw = doc.get("members")
    if not isinstance(raw, list) or len(raw) > limits.MAX_MEMBERS:
        raise BundleFormatError("bundle.format.malformed", part="members")
    out: dict[str, Member] = {}
    expected = c.PREAMBLE.size
    for m in raw:
        try:
            if not isinstance(m, dict) or set(m) != {"name", "offset", "length", "nonce", "sha256"}:
                raise ValueError("fields")
            name, offset, length, digest = m["name"], m["offset"], m["length"], m["sha256"]
            if not isinstance(name, str) or not MEMBER_NAME_RE.match(name):
                raise ValueError("name")
            if type(offset) is not int or type(length) is not int or not isinstance(digest, str) \
                    or not fields.HEX64_RE.match(digest):
                raise ValueError("numbers")
            member = Member(name, offset, length, b64d(m["nonce"], crypto.NONCE_LEN), digest)
        except (ValueError, TypeError):
            raise BundleFormatError("bundle.format.malformed", part="members") from None
        if name in out:
            raise BundleFormatError("bundle.format.duplicate_member", name=name)
        if length > limits.MAX_MEMBER_BYTES + crypto.TAG_LEN:
            raise BundleLimitError("bundle.limit.member", size=length, limit=limits.MAX_MEMBER_BYTES)
        if offset != expected or length < crypto.TAG_LEN:
            raise BundleFormatError("bundle.format.layout")
        expected += length
        out[name] = member
    if expected != layout.manifest_offset:
        raise BundleFormatError("bundle.format.layout")
    return out


def _seal_stream(out: BinaryIO, src: BinaryIO, ck: bytes, nonce: bytes, aad: bytes, name: str) -> tuple[int, str]:
    """AES-256-GCM of ``src`` in chunks, written to ``out`` as ciphertext ‖ tag; (length, SHA-256 hex).

    The same bytes ``AESGCM(ck).encrypt(nonce, plaintext, aad)`` gives, without holding the plaintext.
    """
    enc = Cipher(algorithms.AES(ck), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    h = hashlib.sha256()
    size = 0
    while block := src.read(CHUNK):
        size += len(block)
        if size > limits.MAX_MEMBER_BYTES:
            raise BundleLimitError("bundle.limit.member", name=name, size=size, limit=limits.MAX_MEMBER_BYTES)
        ct = enc.update(block)
        out.write(ct)
        h.update(ct)
    tail = enc.finalize() + enc.tag
    out.write(tail)
    h.update(tail)
    return size + crypto.TAG_LEN, h.hexdigest()


def _open_stream(fh: BinaryIO, ck: bytes, member: Member, header_kind: BundleKind, bundle_id: str) -> Any:
    """A GCM decryptor for ``member`` (tag read from its last 16 bytes), positioned at its first byte."""
    tag = c.read_exact(fh, member.offset + member.length - crypto.TAG_LEN, crypto.TAG_LEN)
    dec = Cipher(algorithms.AES(ck), modes.GCM(member.nonce, tag)).decryptor()
    dec.authenticate_additional_data(crypto.member_aad(bundle_id, header_kind.value, member.name))
    fh.seek(member.offset)
    return dec, tag


def _chunks(fh: BinaryIO, length: int) -> Iterable[memoryview]:
    """``length`` bytes from the current position, one reused buffer at a time."""
    buf = memoryview(bytearray(min(CHUNK, max(length, 1))))
    left = length
    while left > 0:
        n = fh.readinto(buf[: min(len(buf), left)])
        if not n:
            raise BundleFormatError("bundle.format.truncated")
        left -= n
        yield buf[:n]


def read_member(fh: BinaryIO, header_kind: BundleKind, bundle_id: str, ck: bytes, member: Member) -> bytearray:
    """One member's plaintext, in memory, in one buffer the size of the plaintext.

    The ciphertext is hashed and decrypted in the same pass; nothing is returned unless both
    its SHA-256 (from the signed manifest) and its GCM tag verify, so the order of the two
    checks cannot be observed. Peak memory is the plaintext plus one chunk.
    """
    dec, tag = _open_stream(fh, ck, member, header_kind, bundle_id)
    body = member.length - crypto.TAG_LEN
    out = bytearray(body)
    view = memoryview(out)
    h = hashlib.sha256()
    pos = 0
    for piece in _chunks(fh, body):
        n = len(piece)
        h.update(piece)
        if pos + n + 15 <= body:  # update_into wants room for a block more than it writes
            dec.update_into(piece, view[pos : pos + n + 15])
        else:
            view[pos : pos + n] = dec.update(piece)
        pos += n
    h.update(tag)
    _finish(dec, h, member)
    return out


def verify_member(fh: BinaryIO, header_kind: BundleKind, bundle_id: str, ck: bytes, member: Member) -> None:
    """Authenticate one member (digest and tag) in chunks, keeping none of its plaintext."""
    dec, tag = _open_stream(fh, ck, member, header_kind, bundle_id)
    scratch = bytearray(CHUNK + 15)
    h = hashlib.sha256()
    for piece in _chunks(fh, member.length - crypto.TAG_LEN):
        h.update(piece)
        dec.update_into(piece, scratch)
    h.update(tag)
    _finish(dec, h, member)


def _finish(dec: Any, h: Any, member: Member) -> None:
    if h.hexdigest() != member.sha256:
        raise BundleIntegrityError("bundle.integrity.member", name=member.name)
    try:
        dec.finalize()
    except InvalidTag:
        raise BundleIntegrityError("bundle.integrity.member", name=member.name) from None
