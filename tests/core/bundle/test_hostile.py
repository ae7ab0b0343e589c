"""Hostile input: every altered, truncated, foreign or crafted file gives a typed error and nothing else."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer_app.core.bundle import container as c
from reviewer_app.core.bundle import envelope
from reviewer_app.core.bundle.model import BundleKind, KdfParams, VerifyOutcome
from reviewer_app.core.errors import (
    BundleError,
    BundleFormatError,
    BundleIntegrityError,
    BundleLimitError,
    BundleSignatureError,
    InputFileError,
)
from reviewer_app.core.keys import SecretariatKeys
from reviewer_app.services import bundles as svc

from .conftest import FAST_KDF, PASS, make_spec, payload_for


def _open_fully(path: Path) -> None:
    a = svc.open_assignment(path, PASS)
    a.verify_all_members()


def test_every_single_byte_flip_of_an_assignment_is_rejected(issued, tmp_path) -> None:
    path, _spec = issued
    good = path.read_bytes()
    _open_fully(path)
    victim = tmp_path / "flipped.rvb"
    accepted = []
    for i in range(len(good)):
        bad = bytearray(good)
        bad[i] ^= 0xFF
        victim.write_bytes(bad)
        try:
            _open_fully(victim)
        except BundleError:
            continue
        accepted.append(i)
    assert accepted == []


def test_every_single_byte_flip_of_a_result_is_rejected(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    out = tmp_path / "r.rvb"
    svc.build_result_bundle(opened, payload_for(opened), reviewer_key, out)
    good = out.read_bytes()
    assert svc.verify_result_bundle(out, sec_keys, registry).ok
    outcomes = set()
    for i in range(len(good)):
        bad = bytearray(good)
        bad[i] ^= 0xFF
        out.write_bytes(bad)
        report = svc.verify_result_bundle(out, sec_keys, registry)
        assert not report.ok, i
        outcomes.add(report.outcome)
    assert outcomes <= {VerifyOutcome.CORRUPT, VerifyOutcome.WRONG_KEY, VerifyOutcome.BAD_SIGNATURE}


def test_every_truncation_is_rejected(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    out = tmp_path / "r.rvb"
    svc.build_result_bundle(opened, payload_for(opened), reviewer_key, out)
    good = out.read_bytes()
    for n in range(len(good)):
        out.write_bytes(good[:n])
        assert svc.verify_result_bundle(out, sec_keys, registry).outcome is VerifyOutcome.CORRUPT


def test_truncated_assignment(issued, tmp_path) -> None:
    good = issued[0].read_bytes()
    victim = tmp_path / "t.rvb"
    for n in (0, 3, 15, 16, 100, len(good) // 2, len(good) - 13, len(good) - 1):
        victim.write_bytes(good[:n])
        with pytest.raises(BundleFormatError):
            svc.inspect_bundle(victim)


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4 not a bundle", b"PK\x03\x04" + bytes(100), bytes(4096)])
def test_wrong_file_type(tmp_path, content) -> None:
    f = tmp_path / "x.rvb"
    f.write_bytes(content)
    with pytest.raises(BundleFormatError) as e:
        svc.open_assignment(f, PASS)
    assert e.value.code == "bundle.format.not_a_bundle"


def test_missing_file(tmp_path) -> None:
    with pytest.raises(InputFileError):
        svc.inspect_bundle(tmp_path / "nope.rvb")
    with pytest.raises(InputFileError):
        svc.inspect_bundle(tmp_path)


def test_unknown_version_is_named(issued, tmp_path) -> None:
    raw = bytearray(issued[0].read_bytes())
    struct.pack_into(">H", raw, 8, 2)
    f = tmp_path / "v2.rvb"
    f.write_bytes(raw)
    with pytest.raises(BundleFormatError) as e:
        svc.inspect_bundle(f)
    assert e.value.code == "bundle.format.unknown_version" and e.value.params["version"] == 2


def test_result_given_where_assignment_expected(opened, reviewer_key, tmp_path) -> None:
    out = tmp_path / "r.rvb"
    svc.build_result_bundle(opened, payload_for(opened), reviewer_key, out)
    with pytest.raises(BundleFormatError) as e:
        svc.open_assignment(out, PASS)
    assert e.value.code == "bundle.format.not_an_assignment"


def _rewrite_header(raw: bytes, edit) -> bytes:
    """Replace the header (keeping the file otherwise intact), as an attacker could."""
    manifest_len, header_len, _end = c.TRAILER.unpack(raw[-c.TRAILER.size:])
    start = len(raw) - c.TRAILER.size - header_len
    doc = json.loads(raw[start:-c.TRAILER.size])
    edit(doc)
    header = c.canonical_json(doc)
    return raw[:start] + header + c.trailer(manifest_len, len(header))


@pytest.mark.parametrize("memory_kib,iterations,lanes", [(100 * 1024 * 1024, 3, 4), (65536, 10**9, 4), (65536, 3, 10**6), (0, 1, 1)])
def test_hostile_kdf_cost_refused_before_deriving(issued, tmp_path, memory_kib, iterations, lanes) -> None:
    def edit(doc):
        doc["recipients"][0]["kdf"].update(memory_kib=memory_kib, iterations=iterations, lanes=lanes)

    f = tmp_path / "kdf.rvb"
    f.write_bytes(_rewrite_header(issued[0].read_bytes(), edit))
    svc.inspect_bundle(f)  # the header itself is well-formed
    with pytest.raises(BundleLimitError) as e:
        svc.open_assignment(f, PASS)
    assert e.value.code == "bundle.limit.kdf_cost"


def test_oversized_declared_lengths_refused_before_reading(issued, tmp_path) -> None:
    raw = issued[0].read_bytes()
    f = tmp_path / "big.rvb"
    f.write_bytes(raw[: -c.TRAILER.size] + c.trailer(2**32 - 1, 100))
    with pytest.raises(BundleLimitError):
        svc.inspect_bundle(f)
    f.write_bytes(raw[: -c.TRAILER.size] + c.trailer(100, 2**31))
    with pytest.raises(BundleLimitError):
        svc.inspect_bundle(f)


def test_header_edit_is_detected_after_unlock(issued, tmp_path) -> None:
    """A re-canonicalised header with the same secrets still fails: its digest is the manifest's AAD."""
    def edit(doc):
        doc["signer"] = "AAAA-AAAA-AAAA-AAAA"

    f = tmp_path / "h.rvb"
    f.write_bytes(_rewrite_header(issued[0].read_bytes(), edit))
    with pytest.raises(BundleIntegrityError):
        svc.open_assignment(f, PASS)


def test_members_swapped_between_bundles_are_rejected(tmp_path, rubric, sec_keys) -> None:
    """Two bundles with the same passphrase and layout: a PDF moved from one to the other fails."""
    paths = []
    for n in ("a", "b"):
        d = tmp_path / n
        d.mkdir()
        spec = make_spec(d, rubric.source_bytes)
        paths.append(d / "x.rvb")
        svc.build_assignment_bundle(spec, sec_keys, paths[-1], PASS, kdf=FAST_KDF)
    a, b = (svc.open_assignment(p, PASS) for p in paths)
    m_a, m_b = a._members["p0001"], b._members["p0001"]
    assert (m_a.offset, m_a.length) == (m_b.offset, m_b.length)
    raw = bytearray(paths[0].read_bytes())
    raw[m_a.offset : m_a.offset + m_a.length] = paths[1].read_bytes()[m_b.offset : m_b.offset + m_b.length]
    paths[0].write_bytes(raw)
    swapped = svc.open_assignment(paths[0], PASS)  # manifest untouched: still opens
    with pytest.raises(BundleIntegrityError):
        swapped.read_pdf("P001")
    assert swapped.read_pdf("P002")


def test_member_renamed_within_bundle_is_rejected(tmp_path, rubric, sec_keys) -> None:
    """Two PDFs of equal size exchanged inside one bundle: the digest and the AAD name bind each place."""
    spec = make_spec(tmp_path, rubric.source_bytes, sizes=(400, 400))
    out = tmp_path / "x.rvb"
    svc.build_assignment_bundle(spec, sec_keys, out, PASS, kdf=FAST_KDF)
    a = svc.open_assignment(out, PASS)
    m1, m2 = a._members["p0001"], a._members["p0002"]
    raw = bytearray(out.read_bytes())
    one, two = raw[m1.offset : m1.offset + m1.length], raw[m2.offset : m2.offset + m2.length]
    raw[m1.offset : m1.offset + m1.length], raw[m2.offset : m2.offset + m2.length] = two, one
    out.write_bytes(raw)
    b = svc.open_assignment(out, PASS)
    for pid in ("P001", "P002"):
        with pytest.raises(BundleIntegrityError):
            b.read_pdf(pid)


def _signed_bundle(keys: SecretariatKeys, manifest: dict, members: list) -> bytes:
    buf = io.BytesIO()
    envelope.write_bundle(buf, BundleKind.ASSIGNMENT, "ab" * 16, bytes(32), keys.signing, manifest, members,
                          passphrase=PASS, kdf=FAST_KDF)
    return buf.getvalue()


def test_duplicate_member_names_refused_even_when_signed(tmp_path, sec_keys) -> None:
    raw = _signed_bundle(sec_keys, {}, [("rubric", lambda: b"x"), ("rubric", lambda: b"y")])
    f = tmp_path / "dup.rvb"
    f.write_bytes(raw)
    with pytest.raises(BundleFormatError) as e:
        svc.open_assignment(f, PASS)
    assert e.value.code in {"bundle.format.duplicate_member", "bundle.format.malformed"}
    layout = c.read_layout(io.BytesIO(raw), len(raw))
    key = envelope.unlock(layout, passphrase=PASS)
    doc, *_ = envelope.open_manifest(io.BytesIO(raw), layout, key)
    with pytest.raises(BundleFormatError) as e2:
        envelope.parse_members(doc, layout)
    assert e2.value.code == "bundle.format.duplicate_member"


def test_pinned_fingerprint_refuses_another_signer(issued, sec_keys) -> None:
    other = SecretariatKeys.generate().public.signing_fingerprint
    svc.open_assignment(issued[0], PASS, pinned_signing_fingerprint=sec_keys.public.signing_fingerprint)
    with pytest.raises(BundleSignatureError) as e:
        svc.open_assignment(issued[0], PASS, pinned_signing_fingerprint=other)
    assert e.value.code == "bundle.signature.not_pinned"


def test_forged_assignment_signed_by_stranger_is_refused_when_pinned(tmp_path, rubric, sec_keys) -> None:
    forged = tmp_path / "forged.rvb"
    svc.build_assignment_bundle(make_spec(tmp_path, rubric.source_bytes), SecretariatKeys.generate(), forged, PASS, kdf=FAST_KDF)
    with pytest.raises(BundleSignatureError):
        svc.open_assignment(forged, PASS, pinned_signing_fingerprint=sec_keys.public.signing_fingerprint)


_MAGIC_AND_VERSION = c.MAGIC + struct.pack(">HBBI", 1, 1, 0, 0)


@given(body=st.binary(max_size=600), trailer_nums=st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)),
       header=st.one_of(st.binary(max_size=200), st.dictionaries(st.text(max_size=8), st.text(max_size=8)).map(c.canonical_json)))
def test_malformed_containers_give_typed_errors(tmp_path_factory, body, trailer_nums, header) -> None:
    f = tmp_path_factory.mktemp("h") / "m.rvb"
    f.write_bytes(_MAGIC_AND_VERSION + body + header + c.trailer(trailer_nums[0] % 4096, len(header)))
    with pytest.raises((BundleError, InputFileError)):
        svc.open_assignment(f, PASS)
    f.write_bytes(_MAGIC_AND_VERSION + body + c.trailer(*trailer_nums))
    with pytest.raises((BundleError, InputFileError)):
        svc.open_assignment(f, PASS)


@given(data=st.data())
def test_random_mutations_of_a_real_result_never_crash(tmp_path_factory, data, opened_result) -> None:
    raw, keys = opened_result
    mutated = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 5))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, max(0, len(mutated) - 1)))
        if op == "flip" and mutated:
            mutated[pos] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del mutated[pos : pos + data.draw(st.integers(1, 64))]
        else:
            mutated[pos:pos] = data.draw(st.binary(min_size=1, max_size=32))
    f = tmp_path_factory.mktemp("m") / "r.rvb"
    f.write_bytes(mutated)
    reg = svc.open_registry(f.with_suffix(".sqlite"))
    try:
        report = svc.verify_result_bundle(f, keys, reg)
    finally:
        reg.close()
    assert report.outcome is not VerifyOutcome.OK or bytes(mutated) == raw


@pytest.fixture(scope="module")
def opened_result(tmp_path_factory, rubric):
    from reviewer_app.core.keys import ReviewerKey

    d = tmp_path_factory.mktemp("res")
    keys = SecretariatKeys.generate()
    spec = make_spec(d, rubric.source_bytes)
    svc.build_assignment_bundle(spec, keys, d / "a.rvb", PASS, kdf=FAST_KDF)
    a = svc.open_assignment(d / "a.rvb", PASS)
    svc.build_result_bundle(a, payload_for(a), ReviewerKey.generate(), d / "r.rvb")
    return (d / "r.rvb").read_bytes(), keys


def test_kdf_params_dataclass_is_checked_for_key_files_too() -> None:
    from reviewer_app.core.bundle.limits import check_kdf_params
    from reviewer_app.core.errors import KeyFileError

    with pytest.raises(KeyFileError):
        check_kdf_params(KdfParams(2**30, 1, 1), error=KeyFileError)


# --- readers refuse what the spec does not allow, at every level (issue 11) ----------------------------


def _signed_assignment_with(tmp_path, rubric, sec_keys, monkeypatch, edit) -> Path:
    """A bundle whose manifest the secretariat signed after ``edit`` changed it (a buggy or hostile writer)."""
    from reviewer_app.core.bundle import assignment as a

    real = a.envelope.write_bundle

    def write(fh, kind, bundle_id, data_key, signer, manifest, members, **kw):
        edit(manifest)
        return real(fh, kind, bundle_id, data_key, signer, manifest, members, **kw)

    monkeypatch.setattr(a.envelope, "write_bundle", write)
    out = tmp_path / "crafted.rvb"
    svc.build_assignment_bundle(make_spec(tmp_path, rubric.source_bytes), sec_keys, out, PASS, kdf=FAST_KDF)
    monkeypatch.setattr(a.envelope, "write_bundle", real)
    return out


ASSIGNMENT_EDITS = [
    ("round", lambda m: m["round"].update(colour="red")),
    ("reviewer", lambda m: m["reviewer"].update(nme="x")),
    ("secretariat", lambda m: m["secretariat"].update(extra="x")),
    ("proposals[0]", lambda m: m["proposals"][0].update(colour="red")),
    ("rubric", lambda m: m["rubric"].update(version=2)),
    ("manifest", lambda m: m.update(comment="x")),
    ("round.language", lambda m: m["round"].update(language="fr")),
    ("round.deadline", lambda m: m["round"].update(deadline="30 June 2009")),
    ("round.deadline", lambda m: m["round"].update(deadline="2009-02-30")),
    ("created_at", lambda m: m.update(created_at="2009-05-01 00:00:00")),
    ("created_at", lambda m: m.update(created_at="2009-05-01T09:00:00+09:00")),
    ("proposals[0].figures.1-1", lambda m: m["proposals"][0]["figures"].update({"1-1": 341})),
    ("proposals[0].figures.1-1", lambda m: m["proposals"][0]["figures"].update({"1-1": "3.4e2"})),
    ("proposals[0].figures.1-1", lambda m: m["proposals"][0]["figures"].update({"1-1": "-1"})),
    ("proposals[0].figures.9-9", lambda m: m["proposals"][0]["figures"].update({"9-9": "1"})),
    ("proposals[0].institution_type", lambda m: m["proposals"][0].update(institution_type="国公立")),
    ("proposals[0].named_figures", lambda m: m["proposals"][0].update(named_figures={})),
    ("proposals[1].id", lambda m: m["proposals"][1].update(id=m["proposals"][0]["id"])),
    ("reviewer.id", lambda m: m["reviewer"].update(id="")),
]


@pytest.mark.parametrize("part,edit", ASSIGNMENT_EDITS)
def test_a_signed_manifest_outside_the_spec_is_refused(tmp_path, rubric, sec_keys, monkeypatch, part, edit) -> None:
    f = _signed_assignment_with(tmp_path, rubric, sec_keys, monkeypatch, edit)
    with pytest.raises(BundleFormatError) as e:
        svc.open_assignment(f, PASS)
    assert (e.value.code, e.value.params) == ("bundle.format.malformed", {"part": part})


def test_a_signed_band_target_must_be_a_known_band_and_a_share(tmp_path, rubric, sec_keys, monkeypatch) -> None:
    band = rubric.bands.bands[0].id
    cases = (("1.5", f"round.band_targets.{band}"), (1, f"round.band_targets.{band}"), ("0.5", "round.band_targets.nope"),
             (0.5, "manifest"))  # a JSON number with a fraction: not canonical JSON at all
    for i, (value, part) in enumerate(cases):
        (tmp_path / str(i)).mkdir()
        key = "nope" if part.endswith("nope") else band
        f = _signed_assignment_with(tmp_path / str(i), rubric, sec_keys, monkeypatch,
                                    lambda m, v=value, k=key: m["round"].update(band_targets={k: v}))
        with pytest.raises(BundleFormatError) as e:
            svc.open_assignment(f, PASS)
        assert e.value.params == {"part": part}


def test_format_version_true_is_not_version_1(tmp_path, rubric, sec_keys, monkeypatch) -> None:
    """Python's ``True == 1``: a reader must compare types too."""
    from reviewer_app.core.bundle import envelope as env

    real = env.write_bundle

    def write(fh, kind, bundle_id, data_key, signer, manifest, members, **kw):
        # The envelope adds format_version itself; write it as JSON true by hand.
        original = env.c.canonical_json
        monkeypatch.setattr(env.c, "canonical_json",
                            lambda doc: original({**doc, "format_version": True} if "members" in doc else doc))
        try:
            return real(fh, kind, bundle_id, data_key, signer, manifest, members, **kw)
        finally:
            monkeypatch.setattr(env.c, "canonical_json", original)

    monkeypatch.setattr(env, "write_bundle", write)
    out = tmp_path / "v.rvb"
    svc.build_assignment_bundle(make_spec(tmp_path, rubric.source_bytes), sec_keys, out, PASS, kdf=FAST_KDF)
    monkeypatch.setattr(env, "write_bundle", real)
    with pytest.raises(BundleFormatError) as e:
        svc.open_assignment(out, PASS)
    assert e.value.params == {"part": "manifest"}


@pytest.mark.parametrize("text", [b'{"a":1.0}', b'{"a":1e3}', b'{"a":NaN}', b'{"a":-0}', b'{"a":"\\ud800"}', b'{"a":1,"a":1}',
                                  b'{"a":01}', b'[1]', b'{"b":1,"a":2}', b'{"a": 1}'])
def test_canonical_json_has_one_byte_form(text: bytes) -> None:
    with pytest.raises(BundleFormatError):
        c.parse_canonical(text, "x")
    assert c.parse_canonical(b'{"a":1,"b":"\\u0000\xe3\x81\x82"}', "x") == {"a": 1, "b": "\x00あ"}


def test_two_passphrase_recipients_are_refused(issued, tmp_path) -> None:
    f = tmp_path / "two.rvb"
    f.write_bytes(_rewrite_header(issued[0].read_bytes(), lambda doc: doc["recipients"].append(doc["recipients"][0])))
    with pytest.raises(BundleFormatError) as e:
        svc.inspect_bundle(f)
    assert e.value.params == {"part": "header"}


@pytest.mark.parametrize("offset,value,code", [(10, 3, "bundle.format.malformed"), (11, 1, "bundle.format.malformed"),
                                                 (12, 1, "bundle.format.malformed")])
def test_unknown_kind_flags_and_reserved_bits_are_refused(issued, tmp_path, offset, value, code) -> None:
    raw = bytearray(issued[0].read_bytes())
    raw[offset] = value
    f = tmp_path / "p.rvb"
    f.write_bytes(raw)
    with pytest.raises(BundleFormatError) as e:
        svc.inspect_bundle(f)
    assert (e.value.code, e.value.params) == (code, {"part": "preamble"})


PAYLOAD_EDITS = [
    ("payload.created_at", lambda p: p.update(created_at="2009-06-20T10:00:00+09:00")),
    ("payload.started_at", lambda p: p.update(started_at="")),
    ("payload.revision", lambda p: p.update(revision=True)),
    ("payload.audit_digest", lambda p: p.update(audit_digest="AB" * 32)),
    ("payload.proposals[0].entries[0].figure", lambda p: p["proposals"][0]["entries"][0].update(figure="NaN")),
    ("payload.proposals[0].entries[0].figure", lambda p: p["proposals"][0]["entries"][0].update(figure=412)),
    ("payload.proposals[0].entries[1].item_id", lambda p: p["proposals"][0]["entries"][1].update(item_id="1-1")),
    ("payload.proposals[1].proposal_id", lambda p: p["proposals"][1].update(proposal_id="P001")),
    ("payload.proposals[0].entries[0]", lambda p: p["proposals"][0]["entries"][0].update(extra=1)),
    ("payload", lambda p: p.update(extra=1)),
]


@pytest.mark.parametrize("part,edit", PAYLOAD_EDITS)
def test_a_signed_payload_outside_the_spec_is_refused(opened, reviewer_key, sec_keys, registry, tmp_path, monkeypatch,
                                                      part, edit) -> None:
    from reviewer_app.core.bundle import result as r

    real = r.envelope.write_bundle

    def write(fh, kind, bundle_id, data_key, signer, manifest, members, **kw):
        edit(manifest["payload"])
        return real(fh, kind, bundle_id, data_key, signer, manifest, members, **kw)

    monkeypatch.setattr(r.envelope, "write_bundle", write)
    out = tmp_path / "r.rvb"
    svc.build_result_bundle(opened, payload_for(opened), reviewer_key, out)
    monkeypatch.setattr(r.envelope, "write_bundle", real)
    report = svc.verify_result_bundle(out, sec_keys, registry)
    assert (report.outcome, report.code, report.params) == (VerifyOutcome.CORRUPT, "bundle.format.malformed", {"part": part})


def test_the_writers_refuse_what_their_readers_would(opened, reviewer_key, tmp_path, rubric, sec_keys) -> None:
    from dataclasses import replace
    from decimal import Decimal

    from reviewer_app.core.errors import ResultRejectedError

    bad = replace(payload_for(opened), created_at="yesterday")
    with pytest.raises(ResultRejectedError) as e:
        svc.build_result_bundle(opened, bad, reviewer_key, tmp_path / "r.rvb")
    assert e.value.params == {"field": "created_at"}
    spec = make_spec(tmp_path, rubric.source_bytes)
    spec = replace(spec, settings=replace(spec.settings, language="fr"))
    with pytest.raises(BundleFormatError) as e2:
        svc.build_assignment_bundle(spec, sec_keys, tmp_path / "a.rvb", PASS, kdf=FAST_KDF)
    assert (e2.value.code, e2.value.params) == ("bundle.format.invalid_value", {"field": "round.language"})
    assert not (tmp_path / "a.rvb").exists()
    spec = make_spec(tmp_path, rubric.source_bytes)
    p = replace(spec.proposals[0], figures={"1-1": Decimal("1E+3")})  # written in plain notation
    spec = replace(spec, proposals=(p, *spec.proposals[1:]))
    svc.build_assignment_bundle(spec, sec_keys, tmp_path / "b.rvb", PASS, kdf=FAST_KDF)
    assert svc.open_assignment(tmp_path / "b.rvb", PASS).proposals[0].figures == {"1-1": Decimal(1000)}


def test_named_figures_travel_only_when_present(tmp_path, rubric, sec_keys) -> None:
    from dataclasses import replace
    from decimal import Decimal

    spec = make_spec(tmp_path, rubric.source_bytes)
    p = replace(spec.proposals[0], named_figures={"intl_student_ratio_2020": Decimal("12.5")})
    spec = replace(spec, proposals=(p, *spec.proposals[1:]))
    svc.build_assignment_bundle(spec, sec_keys, tmp_path / "n.rvb", PASS, kdf=FAST_KDF)
    a = svc.open_assignment(tmp_path / "n.rvb", PASS)
    assert a.proposals[0].named_figures == {"intl_student_ratio_2020": Decimal("12.5")} and a.proposals[1].named_figures == {}
