"""Bundles: unlock time independent of size, one-proposal decryption, building, verifying results."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from reviewer_app.core.bundle import crypto
from reviewer_app.core.bundle.model import DEFAULT_KDF, KdfParams
from reviewer_app.core.keys import ReviewerKey, SecretariatKeys
from reviewer_app.services import bundles as svc
from reviewer_app.services.rubrics import load_shipped_rubric
from tests.core.bundle.conftest import make_spec, payload_for

from ._util import best_of

PASS = "benchmark passphrase"
MB = 1024 * 1024


def _spec_with_pdfs(folder: Path, count: int, size: int):
    rubric = load_shipped_rubric()
    spec = make_spec(folder, rubric.source_bytes, sizes=tuple([16] * count))
    chunk = os.urandom(MB)
    for path in spec.pdfs.values():
        with open(path, "wb") as fh:  # stream so 500 MB never sits in memory at once
            fh.write(b"%PDF-1.7\n")
            left = size
            while left > 0:
                fh.write(chunk[: min(left, MB)])
                left -= MB
    return spec


def bench_unlock() -> list[tuple[str, float, str]]:
    keys = SecretariatKeys.generate()
    d = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    try:
        small, big = d / "5mb.rvb", d / "500mb.rvb"
        (d / "s").mkdir()
        (d / "b").mkdir()
        svc.build_assignment_bundle(_spec_with_pdfs(d / "s", 1, 5 * MB), keys, small, PASS)
        svc.build_assignment_bundle(_spec_with_pdfs(d / "b", 50, 10 * MB), keys, big, PASS)
        for sub in ("s", "b"):
            shutil.rmtree(d / sub)
        t_small = best_of(lambda: svc.open_assignment(small, PASS), 3)
        t_big = best_of(lambda: svc.open_assignment(big, PASS), 3)
        k = DEFAULT_KDF
        t_kdf = best_of(lambda: crypto.derive_passphrase_key(PASS, bytes(16), k), 3)
        opened = svc.open_assignment(big, PASS)
        t_pdf = best_of(lambda: opened.read_pdf("P001"), 5)
        member = opened._members["p0001"]
        with big.open("rb") as fh:
            fh.seek(member.offset)
            blob = fh.read(member.length)
        aes = AESGCM(opened._ck)
        aad = crypto.member_aad(opened.bundle_id, "assignment", "p0001")
        t_raw = best_of(lambda: aes.decrypt(member.nonce, blob, aad), 5)
        size_big = big.stat().st_size
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return [
        ("bundle.unlock_5MB", t_small * 1000, "ms"),
        ("bundle.unlock_500MB", t_big * 1000, "ms"),
        ("bundle.unlock_ratio_500MB_over_5MB", t_big / t_small, "x"),
        ("bundle.bare_argon2id_64MiB_3p_4l", t_kdf * 1000, "ms"),
        ("bundle.500MB_file_size", size_big / MB, "MiB"),
        ("bundle.read_pdf_10MB", t_pdf * 1000, "ms"),
        ("bundle.raw_aesgcm_10MB", t_raw * 1000, "ms"),
    ]


def bench_build_100() -> list[tuple[str, float, str]]:
    keys = SecretariatKeys.generate()
    d = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    try:
        spec = _spec_with_pdfs(d, 100, 2 * MB)
        t0 = time.perf_counter()
        svc.build_assignment_bundle(spec, keys, d / "out.rvb", PASS)
        t = time.perf_counter() - t0
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return [("bundle.build_100_proposals_x_2MB", t * 1000, "ms")]


def bench_verify_1000() -> list[tuple[str, float, str]]:
    keys = SecretariatKeys.generate()
    d = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    try:
        spec = make_spec(d, load_shipped_rubric().source_bytes, sizes=(100,))
        reg = svc.open_registry(d / "reg.sqlite")
        svc.build_assignment_bundle(spec, keys, d / "a.rvb", PASS, kdf=KdfParams(8, 1, 1), registry=reg)
        a = svc.open_assignment(d / "a.rvb", PASS)
        rk = ReviewerKey.generate()
        files = []
        for i in range(1000):
            f = d / f"r{i}.rvb"
            svc.build_result_bundle(a, payload_for(a, revision=i + 1), rk, f)
            files.append(f)
        t0 = time.perf_counter()
        outcomes = [svc.verify_result_bundle(f, keys, reg).ok for f in files]
        t = time.perf_counter() - t0
        assert all(outcomes)
        reg.close()
        sk = Ed25519PrivateKey.generate()
        pk = sk.public_key()
        msgs = [(m, sk.sign(m)) for m in (os.urandom(900) for _ in range(1000))]
        t_raw = best_of(lambda: [pk.verify(s, m) for m, s in msgs], 3)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return [
        ("bundle.verify_1000_results", t * 1000, "ms"),
        ("bundle.raw_ed25519_verify_1000", t_raw * 1000, "ms"),
        ("bundle.verify_per_result", t, "ms"),
    ]


_RSS_CHILD = r"""
import resource, sys
phase, path, passphrase, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
from reviewer_app.services.workspace import Workspace
from reviewer_app.services import bundles
from reviewer_app.core.bundle import crypto
from reviewer_app.core.bundle.model import DEFAULT_KDF
if phase == "baseline":
    crypto.derive_passphrase_key(passphrase, bytes(16), DEFAULT_KDF)  # what unlocking costs anyway
    buf = bytearray(size)
    for i in range(0, size, 4096):  # touch every page: resident, like a decrypted proposal
        buf[i] = 1
else:
    with Workspace() as ws:
        out = ws.add_bundle(path)
        ws.unlock(out.bundle_id, passphrase)
        if phase == "read":
            pdf = ws.read_pdf(out.bundle_id, "P001", passphrase)
            assert len(pdf) >= size
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_kib(phase: str, bundle: Path, size: int) -> int:
    """Peak RSS of a fresh child (its own data folder) running ``phase``: ru_maxrss, KiB on Linux."""
    import subprocess
    import sys

    home = Path(tempfile.mkdtemp(prefix="bench-rss-home-"))
    try:
        done = subprocess.run([sys.executable, "-c", _RSS_CHILD, phase, str(bundle), PASS, str(size)], check=True,
                              capture_output=True, text=True, env={**os.environ, "REVIEWER_APP_HOME": str(home)})
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return int(done.stdout.split()[-1])


def bench_peak_rss_500mb() -> list[tuple[str, float, str]]:
    """Peak memory of add + unlock + read of a bundle holding one 500 MiB proposal, beside its floor.

    The floor is a child with the same imports and Argon2id run that holds one proposal-sized
    buffer: reading a proposal cannot need less. Before issue 11 reading peaked at about twice it.
    """
    keys = SecretariatKeys.generate()
    d = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    size = 500 * MB
    try:
        (d / "p").mkdir()
        bundle = d / "500mb.rvb"
        svc.build_assignment_bundle(_spec_with_pdfs(d / "p", 1, size), keys, bundle, PASS)
        shutil.rmtree(d / "p")
        base = _peak_rss_kib("baseline", bundle, size)
        unlock = _peak_rss_kib("unlock", bundle, size)
        read = _peak_rss_kib("read", bundle, size)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return [
        ("bundle.peak_rss_floor_imports_argon2id_one_500MB_buffer", base / 1024, "MiB"),
        ("bundle.peak_rss_add_unlock_500MB", unlock / 1024, "MiB"),
        ("bundle.peak_rss_add_unlock_read_500MB", read / 1024, "MiB"),
        ("bundle.peak_rss_read_over_floor", read / base, "x"),
    ]


def cases(long: bool) -> Iterator[tuple[str, object]]:
    yield "bundles.unlock", bench_unlock
    yield "bundles.memory", bench_peak_rss_500mb
    yield "bundles.build", bench_build_100
    yield "bundles.verify", bench_verify_1000
