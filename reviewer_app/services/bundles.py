"""Bundle use cases shared by the reviewer workspace, the secretariat side and the CLI.

Reviewer flow: ``inspect_bundle`` (header check when a file is added) → ``store_assignment_copy``
→ ``open_assignment`` (unlock, verify the secretariat's signature, optionally against a pinned
fingerprint) → ``remember_unlock`` (keep the data key in the keyring so the stored copy reopens
without the passphrase) → ``OpenedAssignment.read_pdf`` (one proposal, in memory) →
``reviewer_key_for`` + ``build_result_bundle`` (signed, encrypted to the secretariat, written
atomically).

Secretariat flow: ``build_assignment_bundle`` (records the issue in the registry) →
``verify_result_bundle`` (typed outcome; ``record=True`` imports it into the registry).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from ..core.atomic import atomic_output, check_output_path
from ..core.atomic import write_atomically as _write_atomically
from ..core.bundle.assignment import OpenedAssignment, ResultTarget, read_assignment, write_assignment
from ..core.bundle.container import open_bundle_file, read_header, read_layout
from ..core.bundle.files import file_size
from ..core.bundle.model import DEFAULT_KDF, AssignmentSpec, BundleHeader, KdfParams, ResultPayload, VerifyReport
from ..core.bundle.pdf import pdf_problem
from ..core.bundle.registry import IssuedRegistry
from ..core.bundle.result import verify_result, write_result
from ..core.errors import KeyNotFoundError
from ..core.keys import ReviewerKey, SecretariatKeys, check_new_passphrase
from ..paths import user_data_dir
from . import keys as key_service

BUNDLE_SUFFIX = ".rvb"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BuildWarning:
    """Something the secretariat should know about a bundle that was built (``tr("warning." + code)``)."""

    code: str
    params: dict[str, object]


@dataclass(frozen=True)
class BuildReport:
    bundle_id: str
    path: Path
    #: SHA-256 (hex) of the written file.
    file_digest: str
    #: PDFs the reviewer could not read (password-protected or unparseable), named.
    warnings: tuple[BuildWarning, ...] = ()


@dataclass(frozen=True)
class StoredCopy:
    header: BundleHeader
    path: Path
    #: SHA-256 (hex) of the copy, computed while copying.
    sha256: str


def bundles_dir() -> Path:
    """Where the workspace keeps its encrypted copies of added assignment bundles."""
    d = user_data_dir() / "bundles"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def inspect_bundle(path: str | Path) -> BundleHeader:
    """The plaintext header, checked against the format and limits; needs no secret."""
    return read_header(Path(path))


def store_assignment_copy(path: str | Path) -> StoredCopy:
    """Copy an added assignment bundle into the app's folder (atomically), named by its bundle id.

    The file is opened once and checked (regular file, size limit, header) before anything is
    copied; the copy is streamed and hashed in chunks, so memory does not grow with the bundle.
    An existing copy of the same bundle is replaced only when the new one is complete.
    The copy stays encrypted; reopen it with ``open_assignment`` or ``open_remembered_assignment``.
    """
    src = Path(path)
    with open_bundle_file(src, "assignment") as fin:
        header = read_layout(fin, file_size(fin), "assignment").header
        dest = bundles_dir() / f"{header.bundle_id}{BUNDLE_SUFFIX}"
        h = hashlib.sha256()
        if dest.exists() and dest.resolve() == src.resolve():
            for block in iter(lambda: fin.read(_CHUNK), b""):
                h.update(block)
            return StoredCopy(header, dest, h.hexdigest())
        fin.seek(0)
        with atomic_output(dest) as fout:
            for block in iter(lambda: fin.read(_CHUNK), b""):
                h.update(block)
                fout.write(block)
    return StoredCopy(header, dest, h.hexdigest())


def check_bundle_file(path: str | Path, kind: str | None = None) -> None:
    """Refuse at once (typed error) what is not a regular file within the size limit of ``kind``.

    For commands that want to say so before asking for a key or a passphrase.
    """
    with open_bundle_file(Path(path), kind):
        pass


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a bundle file in chunks, after the bundle reader's file checks (regular, size limit)."""
    h = hashlib.sha256()
    with open_bundle_file(Path(path)) as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def open_assignment(
    path: str | Path,
    passphrase: str | None = None,
    *,
    data_key: bytes | None = None,
    reviewer_key: ReviewerKey | None = None,
    pinned_signing_fingerprint: str | None = None,
) -> OpenedAssignment:
    """Unlock an assignment bundle with exactly one of: passphrase, remembered data key, reviewer HPKE key.

    Verifies the secretariat's signature (and the pinned fingerprint, when given) before
    anything in the manifest is trusted; loads the embedded rubric and checks its digest.
    PDFs are not read until ``read_pdf``.
    """
    return read_assignment(
        Path(path),
        passphrase=passphrase,
        data_key=data_key,
        hpke_key=None if reviewer_key is None else reviewer_key.encryption,
        pinned_signing_fingerprint=pinned_signing_fingerprint,
    )


def remember_unlock(opened: OpenedAssignment) -> bool:
    """Keep the bundle's data key in the OS keyring; False when there is no keyring (ask again next time)."""
    return key_service.remember_secret(f"bundle-key:{opened.bundle_id}", opened.data_key)


def forget_unlock(bundle_id: str) -> bool:
    """Forget the remembered data key; True when one was remembered."""
    return bool(key_service.forget_secret(f"bundle-key:{bundle_id}"))


def open_remembered_assignment(path: str | Path, *, pinned_signing_fingerprint: str | None = None) -> OpenedAssignment:
    """Reopen a stored copy with the data key kept by ``remember_unlock``.

    Raises ``KeyNotFoundError`` (or ``KeyringUnavailableError``) when the caller must ask
    for the passphrase instead.
    """
    header = read_header(Path(path), expect_kind="assignment")
    secret = key_service.recall_secret(f"bundle-key:{header.bundle_id}")
    if secret is None:
        raise KeyNotFoundError("keys.not_found.bundle", bundle_id=header.bundle_id)
    return open_assignment(path, data_key=secret, pinned_signing_fingerprint=pinned_signing_fingerprint)


def reviewer_key_for(opened: OpenedAssignment, passphrase: str | None) -> ReviewerKey:
    """The reviewer's signing key for this assignment, created on first use.

    Kept in the keyring when there is one, and always in a key file sealed with ``passphrase``
    (normally the assignment passphrase) as fallback and backup. Without keyring and
    passphrase it raises ``KeyringUnavailableError``.
    """
    return key_service.get_or_create_reviewer_key(opened.bundle_id, passphrase)


def build_result_bundle(
    assignment: OpenedAssignment | ResultTarget,
    payload: ResultPayload,
    reviewer_key: ReviewerKey,
    out_path: str | Path,
) -> str:
    """Sign ``payload``, encrypt it to the secretariat and write it atomically; returns the file's SHA-256 hex.

    The payload must answer this assignment (bundle, round, reviewer, rubric digest) or
    ``ResultRejectedError`` is raised before anything is written.
    """
    target = assignment.result_target() if isinstance(assignment, OpenedAssignment) else assignment
    data = write_result(target, payload, reviewer_key)
    return write_atomically(Path(out_path), data)


def build_assignment_bundle(
    spec: AssignmentSpec,
    keys: SecretariatKeys,
    out_path: str | Path,
    passphrase: str | None,
    *,
    reviewer_public_key: X25519PublicKey | None = None,
    kdf: KdfParams = DEFAULT_KDF,
    registry: IssuedRegistry | None = None,
    overwrite: bool = False,
) -> BuildReport:
    """Encrypt and sign one reviewer's assignment; records it in ``registry`` when given.

    At least one of ``passphrase`` and ``reviewer_public_key`` must be given; both may be. A
    passphrase must pass ``check_new_passphrase`` (generated ones always do). ``out_path`` follows
    ``check_output_path``: an existing file is replaced only with ``overwrite``. Every PDF is
    checked before the slow work starts; one a reviewer could not read is named in ``warnings``.
    """
    if passphrase is not None:
        check_new_passphrase(passphrase)
    out = check_output_path(out_path, overwrite=overwrite)
    warnings = check_pdfs(spec)
    with atomic_output(out) as fh:
        bundle_id = write_assignment(fh, spec, keys, passphrase=passphrase, hpke_recipient=reviewer_public_key, kdf=kdf)
    digest = _file_sha256(out)
    if registry is not None:
        registry.record_issued(bundle_id, spec, digest)
    return BuildReport(bundle_id, out, digest, warnings)


def check_pdfs(spec: AssignmentSpec) -> tuple[BuildWarning, ...]:
    """Open every proposal PDF (typed errors for a missing, foreign or oversized file) and name the unreadable ones."""
    warnings = []
    for p in spec.proposals:
        path = spec.pdfs.get(p.proposal_id)
        if path is None:
            continue  # the writer names the missing PDF
        problem = pdf_problem(path)
        if problem is not None:
            warnings.append(BuildWarning(f"bundle.pdf_{problem}", {"proposal": p.proposal_id, "path": str(path)}))
    return tuple(warnings)


def verify_result_bundle(
    path: str | Path, keys: SecretariatKeys, registry: IssuedRegistry, *, record: bool = False
) -> VerifyReport:
    """Decide whether a result bundle may be imported; never raises for a bad bundle.

    Every problem becomes a ``VerifyOutcome`` with the error code that explains it. With
    ``record=True`` an OK result is recorded as imported, so a replay is refused later.
    """
    report = verify_result(Path(path), keys, registry)
    if record and report.ok and report.payload is not None:
        registry.record_import(report)
    return report


def open_registry(path: str | Path | None = None) -> IssuedRegistry:
    """The secretariat's record of issued bundles and imported results (sqlite, in its data folder)."""
    if path is None:
        folder = user_data_dir() / "secretariat"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "registry.sqlite"
    return IssuedRegistry(Path(path))


# --- files --------------------------------------------------------------------------


def write_atomically(out: Path, data: bytes) -> str:
    """Write ``data`` over ``out`` atomically (see core.atomic) and return its SHA-256."""
    _write_atomically(out, data)
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            h.update(block)
    return h.hexdigest()
