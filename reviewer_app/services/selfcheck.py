"""``reviewer-app selfcheck``: prove an installation works, in one command, with no network.

A secretariat asks a reviewer (or an IT department) to run it after installing: it loads
every shipped rubric, runs a bundle round trip (build, unlock, decrypt a proposal) with the
real key derivation, finds a Japanese font the score sheets can embed, creates and migrates
a temporary database, and (in the GUI half, :mod:`reviewer_app.gui.selfcheck`) renders a PDF
page with QtPdf and survives many Qt calls that return nothing. Everything happens in a
temporary folder that is removed afterwards: the user's data folder is never touched.

Qt-free; each check returns a :class:`CheckResult` instead of raising, so one broken part
never hides the state of the others.
"""

from __future__ import annotations

import logging
import os
import platform
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..paths import HOME_ENV

log = logging.getLogger("reviewer_app.selfcheck")

#: A tiny one-page PDF (made by the check itself with reportlab) carries this text.
PROBE_TEXT = "selfcheck 審査"


@dataclass(frozen=True)
class CheckResult:
    #: Catalog key suffix: the report shows ``tr("selfcheck.check." + name)``.
    name: str
    ok: bool
    #: Short, language-neutral detail (counts, a path, a version, the error's code).
    detail: str = ""


def versions() -> dict[str, str]:
    """The versions a support request needs, by component."""
    out = {"reviewer-app": __version__, "Python": platform.python_version(), "platform": platform.platform(terse=True),
           "SQLite": sqlite3.sqlite_version}
    for dist in ("PySide6-Essentials", "PySide6-Pdf", "cryptography", "reportlab", "sqlite-utils", "keyring"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


@contextmanager
def scratch_home() -> Iterator[Path]:
    """A temporary data folder for the duration of the checks; the real one is untouched."""
    old = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix="reviewer-app-selfcheck-") as tmp:
        os.environ[HOME_ENV] = str(Path(tmp) / "home")
        try:
            yield Path(tmp)
        finally:
            if old is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = old


def probe_pdf() -> bytes:
    """A one-page PDF with Japanese text, made here so the check needs no shipped file."""
    import io

    from reportlab.pdfgen import canvas

    from ..core.sheets.fonts import choose_font

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont(choose_font().name, 28)
    c.drawString(72, 720, PROBE_TEXT)
    c.rect(72, 600, 300, 80, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _guard(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except Exception as exc:  # a self-check reports every failure instead of stopping
        # The report shows what failed in words (a typed error's code, or the system's own
        # message such as "libGL.so.1: cannot open shared object file"); the traceback with
        # the exception's class goes to the log for whoever supports the installation.
        log.warning("selfcheck %s failed", name, exc_info=True)
        code = getattr(exc, "code", None)
        detail = code if isinstance(code, str) else (str(exc).strip() or "failed")
        return CheckResult(name, False, detail)


def check_rubrics() -> str:
    from .rubrics import load_rubric, shipped_rubric_paths

    paths = shipped_rubric_paths()
    if not paths:
        raise RuntimeError("no rubric files shipped")
    counts = [f"{stem}: {len(load_rubric(p).items)}" for stem, p in paths.items()]
    return ", ".join(counts)


def check_bundle_roundtrip(tmp: Path) -> str:
    """Build, unlock (real Argon2id), decrypt: the path every reviewer's first minute takes."""
    from ..core.bundle.model import AssignmentSpec, ProposalMeta, ReviewerIdentity, RoundSettings
    from ..core.keys import SecretariatKeys
    from ..paths import resource_path
    from .bundles import build_assignment_bundle, open_assignment

    pdf = probe_pdf()
    (tmp / "probe.pdf").write_bytes(pdf)
    spec = AssignmentSpec(
        settings=RoundSettings("SELFCHECK", "selfcheck", None, {}),
        reviewer=ReviewerIdentity("selfcheck", "selfcheck"),
        rubric_bytes=resource_path("rubrics", "kokusaika-kyoten-2009.toml").read_bytes(),
        proposals=(ProposalMeta("P1", "selfcheck", "selfcheck", "国立", "-", {}),),
        pdfs={"P1": str(tmp / "probe.pdf")},
    )
    passphrase = "selfcheck-" + os.urandom(12).hex()
    report = build_assignment_bundle(spec, SecretariatKeys.generate(), tmp / "probe.rvb", passphrase)
    opened = open_assignment(report.path, passphrase)
    if opened.read_pdf("P1") != pdf:
        raise RuntimeError("decrypted proposal differs from the original")
    return f"{report.path.stat().st_size} bytes"


def check_font() -> str:
    from ..core.sheets.fonts import choose_font

    choice = choose_font()
    if not choice.embedded:
        raise RuntimeError("no embeddable Japanese TrueType font (install fonts-ipaexfont or place one in resources/fonts)")
    return str(choice.path)


def check_database(tmp: Path) -> str:
    from ..core.store.db import open_store
    from ..core.store.schema import applied_names

    store = open_store(tmp / "probe.sqlite3")
    try:
        applied = applied_names(store.conn)
        store.conn.execute("PRAGMA integrity_check").fetchone()
    finally:
        store.close()
    return ", ".join(applied)


def run_core_checks() -> list[CheckResult]:
    """Every Qt-free check, in a scratch data folder."""
    with scratch_home() as tmp:
        return [
            _guard("rubrics", check_rubrics),
            _guard("bundle", lambda: check_bundle_roundtrip(tmp)),
            _guard("font", check_font),
            _guard("database", lambda: check_database(tmp)),
        ]
