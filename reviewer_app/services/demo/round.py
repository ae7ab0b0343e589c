"""Creating (once) and reusing the demo round in its own data folder.

Everything lives under the demo home, never beside real data: the secretariat's keys (in a
key file sealed with the demo passphrase, never the OS keyring, so a real secretariat key
there is never touched), the generated 構想調書 PDFs, the reviewer's assignment bundle, the
secretariat's registry and the reviewer's workspace.

Each step is skipped when its output is already there, and every file is written atomically,
so a run that was killed half-way is completed by the next one instead of starting a second
round. The state file is written right after the bundle and before the workspace learns of
it: if the bundle is rebuilt, the workspace never held the earlier one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from platformdirs import user_data_path

from ...core.atomic import remove_stale_temps, write_atomically
from ...core.bundle.model import DEFAULT_KDF, AssignmentSpec, KdfParams, ReviewerIdentity, RoundSettings
from ...core.errors import WorkspaceError
from ...core.keys import SecretariatKeys
from ...paths import HOME_ENV, resource_path, user_data_dir
from .. import keys as key_service
from ..bundles import BuildReport, build_assignment_bundle, open_registry
from ..rubrics import DEFAULT_RUBRIC_ID
from .institutions import INSTITUTIONS
from .proposals import proposal_meta, proposal_pdf

#: Shown to the user (it is a demo): it unlocks the bundle and seals the demo's key files.
DEMO_PASSPHRASE = "demo-kyoten-2009"
DEMO_ROUND_ID = "DEMO-2009"
#: Marks a folder as a demo home, so ``demo_home()`` recognises one it is already pointed at.
MARKER = ".reviewer-app-demo"
#: Inside the demo home: the secretariat's material (the bundle and its state file).
FOLDER = "demo-round"
BUNDLE_NAME = "demo-assignment.rvb"
STATE_NAME = "demo-round.json"
#: Bumped when the generated material changes shape; recorded in the state file.
CONTENT_VERSION = 1
#: 視点2 band target shares (「〇〇%以内」): with eight proposals, a reviewer who gives three or
#: more of them 190 points or more goes over the first band and meets the justification step.
BAND_TARGETS: dict[str, Decimal | None] = {
    "190+": Decimal("0.25"), "140-189": Decimal("0.40"), "90-139": Decimal("0.40"), "0-89": Decimal("0.25"),
}
REVIEWER = ReviewerIdentity("R-DEMO", "デモ 審査委員")
ROUND_TITLE = "【デモ】国際化拠点整備事業 書面審査"
JST = timezone(timedelta(hours=9))


@dataclass(frozen=True)
class DemoRound:
    home: Path
    bundle_id: str
    passphrase: str
    #: The secretariat's copy of the bundle (the workspace keeps its own copy in its folder).
    bundle_file: Path
    #: True when this call added the round to the demo workspace (first run, or after removal).
    created: bool


def demo_home() -> Path:
    """The demo's own data folder: ``$REVIEWER_APP_HOME/demo`` when that is set, else the
    platform's user data folder for "reviewer-app-demo".

    A folder already marked as a demo home is returned as it is, so a caller that has pointed
    ``REVIEWER_APP_HOME`` at the demo home (to open the workspace there) gets the same answer.
    """
    override = os.environ.get(HOME_ENV)
    if override:
        current = Path(override).expanduser()
        if (current / MARKER).is_file():
            return current
        home = current / "demo"
    else:
        home = user_data_path("reviewer-app-demo", appauthor=False)
    _claim(home)
    return home


def ensure_demo_round(home: Path | None = None, *, kdf: KdfParams = DEFAULT_KDF) -> DemoRound:
    """Build the demo round the first time, reuse it afterwards; ``home`` defaults to ``demo_home()``.

    Works with ``REVIEWER_APP_HOME`` pointed at ``home`` for the duration of the call (every
    service finds its folders through it) and restores it afterwards. Tests pass a temporary
    ``home`` and may pass a cheaper ``kdf``.
    """
    home = Path(home) if home is not None else demo_home()
    _claim(home)
    with _home(home):
        folder = user_data_dir() / FOLDER
        folder.mkdir(exist_ok=True, mode=0o700)
        bundle_file = folder / BUNDLE_NAME
        bundle_id = _reuse_bundle(folder, bundle_file)
        if bundle_id is None:
            bundle_id = _build_bundle(folder, bundle_file, _secretariat_keys(kdf), kdf)
        from ..workspace import Workspace  # imported late: opening it reads REVIEWER_APP_HOME

        ws = Workspace()
        try:
            added = ws.add_bundle(bundle_file).added
        finally:
            ws.close()
    return DemoRound(home, bundle_id, DEMO_PASSPHRASE, bundle_file, added)


def _claim(home: Path) -> None:
    """Mark ``home`` as a demo folder; refuse one that already holds real (unmarked) work."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    marker = home / MARKER
    if marker.exists():
        return
    if any(home.iterdir()):
        raise WorkspaceError("demo.not_demo_home", path=str(home))
    write_atomically(marker, b"reviewer-app demo data folder: safe to delete\n")


@contextmanager
def _home(home: Path) -> Iterator[None]:
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous


def _secretariat_keys(kdf: KdfParams) -> SecretariatKeys:
    path = key_service.default_secretariat_key_file()
    if path.exists():
        return key_service.load_secretariat_keys(DEMO_PASSPHRASE, key_file=path)
    keys, _report = key_service.create_secretariat_keys(DEMO_PASSPHRASE, key_file=path, kdf=kdf, use_keyring=False)
    return keys


def _reuse_bundle(folder: Path, bundle_file: Path) -> str | None:
    """The bundle id of a complete earlier build, else None.

    The state file is written only after the bundle, so a matching digest means the build
    finished. The keys are not unlocked for this (that costs a key derivation at every start):
    the bundle carries its own signature, and the keys are needed only to build a new one.
    """
    try:
        state = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
        if state["sha256"] != _sha256(bundle_file):
            return None
        return str(state["bundle_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _build_bundle(folder: Path, bundle_file: Path, keys: SecretariatKeys, kdf: KdfParams) -> str:
    # The PDFs are fictional, but the workspace folder should still hold no decrypted proposal:
    # they exist only while the bundle is built, in a temporary folder removed afterwards
    # (also when an earlier run was killed while building).
    for stale in folder.glob(".build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    remove_stale_temps(bundle_file)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=folder) as tmp:
        pdfs: dict[str, str] = {}
        for inst in INSTITUTIONS:
            path = Path(tmp) / f"{inst.proposal_id}.pdf"
            path.write_bytes(proposal_pdf(inst))
            pdfs[inst.proposal_id] = str(path)
        report = _write_bundle(bundle_file, keys, kdf, pdfs)
    state = {"bundle_id": report.bundle_id, "sha256": report.file_digest, "signer": keys.public.signing_fingerprint,
             "version": CONTENT_VERSION, "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
    write_atomically(folder / STATE_NAME, json.dumps(state, indent=2).encode("utf-8"))
    return report.bundle_id


def _write_bundle(bundle_file: Path, keys: SecretariatKeys, kdf: KdfParams, pdfs: dict[str, str]) -> BuildReport:
    deadline = (datetime.now(UTC).astimezone(JST).date() + timedelta(days=21)).isoformat()
    spec = AssignmentSpec(
        settings=RoundSettings(DEMO_ROUND_ID, ROUND_TITLE, deadline, dict(BAND_TARGETS), "ja"),
        reviewer=REVIEWER,
        rubric_bytes=resource_path("rubrics", f"{DEFAULT_RUBRIC_ID}.toml").read_bytes(),
        proposals=tuple(proposal_meta(inst) for inst in INSTITUTIONS),
        pdfs=pdfs,
    )
    registry = open_registry()
    try:
        return build_assignment_bundle(spec, keys, bundle_file, DEMO_PASSPHRASE, kdf=kdf, registry=registry)
    finally:
        registry.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
