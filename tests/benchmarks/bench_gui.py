"""The reviewer GUI: cold start, opening a 10 MB proposal, and memory while browsing 50 of them.

Each figure stands beside a baseline measured in the same run on the same machine:

* cold start to the first painted main window (start screen, and with a round open), in
  fresh subprocesses, beside a bare ``import PySide6.QtWidgets`` + an empty QApplication
  window painted the same way (goal: ≤ 3× the bare figure); with bytecode already compiled,
  as every installed copy has it (a first, uncounted start of each variant fills the cache);
* switching the PDF pane to a proposal whose PDF is 10 MB until its first page is painted,
  beside switching to a small text proposal and beside the decryption alone;
* peak RSS while browsing every proposal of a 50 × 10 MB bundle (goal: ≤ 300 MB, because
  only one proposal is decrypted at a time), beside the RSS of the same process before.

"Painted" means a paint event has been processed *and* the page shows content (not just the
white page frame QPdfView draws before the background render arrives). The subprocess entry
points are ``python -m tests.benchmarks.bench_gui child-…``; the module imports only the
standard library at the top so a child's start-up is not inflated by the benchmark itself.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
Rows = list[tuple[str, float, str]]
RUNS = 3  # cold starts per variant (the best is kept: least disturbed by other load)
BIG_MB = 10
BROWSE_N = 50


# --- shared helpers -------------------------------------------------------------------


@contextmanager
def _home() -> Iterator[Path]:
    """A data folder of our own (the benchmark never touches the developer's real one)."""
    saved = {k: os.environ.get(k) for k in ("REVIEWER_APP_HOME", "PYTHON_KEYRING_BACKEND")}
    root = Path(tempfile.mkdtemp(prefix="reviewer-bench-gui-"))
    os.environ["REVIEWER_APP_HOME"] = str(root / "app")
    # Never the developer's real keyring (children inherit this too).
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        yield root
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(root, ignore_errors=True)


def _prepared_round(root: Path, n: int, make: Any) -> tuple[str, tuple[str, ...]]:
    """Build a bundle whose PDFs come from ``make``, add and unlock it in the current data folder."""
    from reviewer_app.services.workspace import Workspace
    from tests.gui.proposal_pdfs import pdfs_in_bundle
    from tests.workspace_fixtures import PASSPHRASE, make_assignment

    with pdfs_in_bundle(make):
        built = make_assignment(root / "secretariat", n=n)
    with Workspace() as ws:
        ws.add_bundle(built.path)
        ws.unlock(built.bundle_id, PASSPHRASE)
    shutil.rmtree(root / "secretariat" / "pdfs", ignore_errors=True)
    for pdf in (root / "secretariat").glob("*.pdf"):
        pdf.unlink()  # the plaintext copies the secretariat side made; only the bundle is needed
    return built.bundle_id, built.proposal_ids


def _cached(make: Callable[[str], bytes]) -> Callable[[str], bytes]:
    """One large PDF for every proposal: generating 50 × 10 MB of noise would dominate the run."""
    cache: dict[str, bytes] = {}

    def get(pid: str) -> bytes:
        if "pdf" not in cache:
            cache["pdf"] = make(pid)
        return cache["pdf"]

    return get


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    import reviewer_app.gui  # noqa: F401 - the None-refcount protection before any Qt call

    return QApplication.instance() or QApplication([sys.argv[0]])


_DARK = bytes(1 if v < 100 else 0 for v in range(256))


def _page_shows_content(viewport: Any) -> bool:
    """True once the page in view is rendered: printed (dark) pixels, which neither QPdfView's grey
    background nor the white page frame it draws before the render arrives contain."""
    from PySide6.QtGui import QImage

    img = viewport.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    if img.width() < 20 or img.height() < 20:
        return False
    data = bytes(img.constBits())  # counted in C: translate marks dark bytes 1, then count them
    return data.translate(_DARK).count(1) > 50


def _open_and_wait_painted(pane: Any, bundle_id: str, proposal_id: str, timeout_s: float = 60.0,
                           ready_at: list[float] | None = None) -> float:
    """Seconds from ``show_proposal`` until a paint of the PDF view shows the page's content.

    ``ready_at`` receives the seconds until the document was Ready (decrypted and parsed).
    """
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer

    state = {"painted": False, "checking": False}
    viewport = pane.view.viewport()

    def check() -> None:
        if state["painted"] or pane.state != "ready":
            return
        state["checking"] = True
        try:
            state["painted"] = _page_shows_content(viewport)
        finally:
            state["checking"] = False

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not state["checking"]:
                QTimer.singleShot(0, check)  # after this paint has been processed
            return False

    watch = PaintWatch()
    viewport.installEventFilter(watch)
    t0 = time.perf_counter()
    ready = pane.document_ready.connect(lambda _pid: ready_at.append(time.perf_counter() - t0)) \
        if ready_at is not None else None
    try:
        pane.show_proposal(bundle_id, proposal_id)
        deadline = t0 + timeout_s
        while not state["painted"]:
            if time.perf_counter() > deadline or pane.state == "failed":
                raise RuntimeError(f"{proposal_id}: first page not painted (state {pane.state})")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if not state["painted"]:
                time.sleep(0.002)
        return time.perf_counter() - t0
    finally:
        viewport.removeEventFilter(watch)
        if ready is not None:
            pane.document_ready.disconnect(ready)


def _rss_mb(field: str = "VmRSS") -> float:
    """Current (VmRSS) or peak (VmHWM) resident memory of this process, in MB (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- cold start (subprocesses) --------------------------------------------------------


def _wait_first_paint(app: Any, window: Any) -> None:
    """Run the event loop until ``window`` (or a child) has processed its first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, app.quit)
            return False

    watch = FirstPaint()
    app.installEventFilter(watch)  # any widget of the window: the first paint of the new window
    window.show()
    app.exec()


def child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    w = QWidget()
    w.resize(1280, 820)
    _wait_first_paint(app, w)
    print("painted", flush=True)
    os._exit(0)


KEYRING_ENV = "REVIEWER_BENCH_KEYRING"  # JSON {"service\nname": secret}: the keyring a child starts with


def _memory_keyring(entries: dict[str, str]) -> None:
    """The OS keyring as the bench's children see it: a dict, seeded with what the parent kept."""
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return entries.get(f"{service}\n{username}")

        def set_password(self, service: str, username: str, password: str) -> None:
            entries[f"{service}\n{username}"] = password

        def delete_password(self, service: str, username: str) -> None:
            entries.pop(f"{service}\n{username}", None)

    keyring.set_keyring(Memory())


def child_app(bundle_id: str | None, how: str = "") -> None:
    """What ``reviewer_app.gui.app.run`` does up to ``app.exec()``; with a bundle, that round open.

    ``how`` is ``remembered`` (the round's key from the keyring, as on every start after the
    reviewer ticked 「このコンピューターに記憶する」) or ``passphrase`` (the Argon2id derivation
    of a first unlock, which the unlock dialog runs before the round view opens).
    """
    import reviewer_app.gui  # noqa: F401
    from reviewer_app.gui.app import ensure_app, start_language
    from reviewer_app.gui.errors import ensure_logging, install_excepthook
    from reviewer_app.gui.fonts import ensure_japanese_font
    from reviewer_app.gui.main_window import AppWindow
    from reviewer_app.i18n import tr
    from reviewer_app.services.workspace import Workspace

    app = ensure_app()
    ensure_logging()
    install_excepthook()
    start_language(None)
    app.setApplicationDisplayName(tr("app.name"))
    ensure_japanese_font(app)
    ws = Workspace()
    window = AppWindow(ws)
    if bundle_id is not None:
        if how == "remembered":
            import json

            _memory_keyring(json.loads(os.environ[KEYRING_ENV]))
            ws.unlock(bundle_id)  # no passphrase: the remembered key, or workspace.passphrase_required
        else:
            from tests.workspace_fixtures import PASSPHRASE

            ws.unlock(bundle_id, PASSPHRASE)  # the round's key derived from the passphrase
        window.show_round(bundle_id)
    _wait_first_paint(app, window)
    print("painted", flush=True)
    os._exit(0)


def _remember_key(bundle_id: str) -> str:
    """Unlock once with "remember" into a memory keyring; returns that keyring for the children (JSON)."""
    import json

    from reviewer_app.services.workspace import Workspace
    from tests.workspace_fixtures import PASSPHRASE

    entries: dict[str, str] = {}
    _memory_keyring(entries)
    try:
        with Workspace() as ws:
            if not ws.unlock(bundle_id, PASSPHRASE, remember=True).remembered:
                raise RuntimeError("the memory keyring did not keep the round's key")
    finally:
        import keyring
        from keyring.backends.null import Keyring

        keyring.set_keyring(Keyring())
    return json.dumps(entries)


def _time_child(args: list[str], pycache: Path, extra_env: dict[str, str] | None = None) -> float:
    env = {**os.environ, **(extra_env or {})}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Installed copies carry their bytecode (pip compiles on install, the .deb ships it), so a
    # user's start never compiles modules: the children read and write theirs in a cache of the
    # run's own, even where the environment says not to write bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.bench_gui", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    _out, err = proc.communicate(timeout=120)
    if line.strip() != "painted":
        raise RuntimeError(f"child {args} did not paint: {err.strip()[-800:]}")
    return elapsed


def bench_cold_start() -> Rows:
    from tests.gui.proposal_pdfs import text_pdf

    with _home() as root:
        bundle_id, _ids = _prepared_round(root, 10, text_pdf)
        child_env = {KEYRING_ENV: _remember_key(bundle_id)}
        variants = {
            "bare": ["child-bare"],
            "start": ["child-app"],
            "round": ["child-app", bundle_id, "remembered"],
            "round_passphrase": ["child-app", bundle_id, "passphrase"],
        }
        try:
            import reviewer_app.gui.main_window
            import reviewer_app.gui.review.round_view  # noqa: F401
        except ImportError as exc:  # the shell or the round view has not landed: say so, measure the rest
            print(f"# gui.cold_start: app rows skipped ({exc})", file=sys.stderr)
            variants = {"bare": variants["bare"]}
        best: dict[str, float] = {k: float("inf") for k in variants}
        pycache = root / "pycache"
        for args in variants.values():  # not counted: fills the bytecode cache, as installing does
            _time_child(args, pycache, child_env)
        for _ in range(RUNS):  # interleaved, so a burst of load hits every variant alike
            for name, args in variants.items():
                best[name] = min(best[name], _time_child(args, pycache, child_env))
    rows: Rows = [("gui.cold_start.bare_qt_window", best["bare"] * 1000, "ms")]
    if "start" in best:
        rows += [
            ("gui.cold_start.app_start_screen", best["start"] * 1000, "ms"),
            ("gui.cold_start.app_round_open_remembered_key", best["round"] * 1000, "ms"),
            ("gui.cold_start.app_round_open_with_passphrase", best["round_passphrase"] * 1000, "ms"),
            ("gui.cold_start.start_screen_vs_bare", best["start"] / best["bare"], "x (goal <= 3)"),
            ("gui.cold_start.round_open_vs_bare", best["round"] / best["bare"], "x (remembered key)"),
            ("gui.cold_start.round_open_with_passphrase_vs_bare", best["round_passphrase"] / best["bare"],
             "x (includes the Argon2id derivation)"),
        ]
    return rows


# --- switching to a 10 MB proposal (in process) ----------------------------------------


def bench_switch_10mb() -> Rows:
    from tests.gui.proposal_pdfs import large_pdf, text_pdf

    app = _app()
    big = _cached(lambda pid: large_pdf(pid, BIG_MB))
    makers = {pid: big for pid in ("P001", "P002", "P003", "P004")}
    with _home() as root:
        bundle_id, _ids = _prepared_round(root, 8, {**makers, **{f"P00{k}": text_pdf for k in range(5, 9)}})
        from reviewer_app.gui.review.pdf_view import PdfPane
        from reviewer_app.services.workspace import Workspace
        from tests.workspace_fixtures import PASSPHRASE

        ws = Workspace()
        try:
            ws.unlock(bundle_id, PASSPHRASE)
            size = len(ws.read_pdf(bundle_id, "P001"))
            decrypt = min(_timed(lambda: ws.read_pdf(bundle_id, "P001")) for _ in range(5))
            pane = PdfPane(ws)
            pane.resize(800, 1000)
            pane.show()
            app.processEvents()
            large, small, ready = [], [], []
            for big_id, small_id in zip(("P001", "P002", "P003", "P004"), ("P005", "P006", "P007", "P008")):
                large.append(_open_and_wait_painted(pane, bundle_id, big_id, ready_at=ready))
                small.append(_open_and_wait_painted(pane, bundle_id, small_id))
            pane.clear()
            pane.deleteLater()
            app.processEvents()
        finally:
            ws.close()
    return [
        ("gui.pdf_switch.10mb_first_page", statistics.median(large) * 1000, f"ms (median of {len(large)}; PDF {size / 1e6:.1f} MB)"),
        ("gui.pdf_switch.10mb_document_ready", statistics.median(ready) * 1000, "ms (decrypted, loaded, Ready)"),
        ("gui.pdf_switch.small_first_page", statistics.median(small) * 1000, "ms (baseline: a 3-page text PDF)"),
        ("gui.pdf_switch.10mb_decrypt_only", decrypt * 1000, "ms (Workspace.read_pdf alone)"),
    ]


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# --- peak RSS while browsing 50 × 10 MB (subprocess) -----------------------------------


def child_browse(bundle_id: str) -> None:
    app = _app()
    from reviewer_app.gui.review.pdf_view import PdfPane
    from reviewer_app.services.workspace import Workspace
    from tests.workspace_fixtures import PASSPHRASE

    ws = Workspace()
    ws.unlock(bundle_id, PASSPHRASE)
    pane = PdfPane(ws)
    pane.resize(800, 1000)
    pane.show()
    app.processEvents()
    before = _rss_mb()
    ids = ws.proposal_ids(bundle_id)
    times = [_open_and_wait_painted(pane, bundle_id, pid) for pid in ids]
    after = _rss_mb()
    pane.clear()
    app.processEvents()
    cleared = _rss_mb()
    print(f"{before:.1f} {_rss_mb('VmHWM'):.1f} {after:.1f} {cleared:.1f} {len(ids)} {statistics.median(times):.4f}", flush=True)
    os._exit(0)


def bench_browse_rss() -> Rows:
    from tests.gui.proposal_pdfs import large_pdf

    with _home() as root:
        bundle_id, _ids = _prepared_round(root, BROWSE_N, _cached(lambda pid: large_pdf(pid, BIG_MB)))
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        out = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_gui", "child-browse", bundle_id],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(f"browse child failed: {out.stderr.strip()[-800:]}")
    before, peak, after, cleared, n, median = out.stdout.split()
    return [
        ("gui.browse_rss.before_browsing", float(before), "MB (pane shown, round unlocked; baseline)"),
        ("gui.browse_rss.peak", float(peak), f"MB (VmHWM after browsing all {n} × {BIG_MB} MB; goal <= 300)"),
        ("gui.browse_rss.after_last", float(after), "MB (last proposal still shown)"),
        ("gui.browse_rss.after_clear", float(cleared), "MB (pane cleared)"),
        ("gui.browse_rss.median_switch", float(median) * 1000, "ms (first page painted, per proposal)"),
    ]


def cases(long: bool) -> Iterator[tuple[str, Callable[[], Rows]]]:
    yield "gui.cold_start", bench_cold_start
    yield "gui.pdf_switch", bench_switch_10mb
    yield "gui.browse_rss", bench_browse_rss


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "child-bare":
        child_bare()
    elif command == "child-app":
        child_app(sys.argv[2] if len(sys.argv) > 2 else None, sys.argv[3] if len(sys.argv) > 3 else "")
    elif command == "child-browse":
        child_browse(sys.argv[2])
    else:
        sys.exit("usage: python -m tests.benchmarks.bench_gui child-bare | child-app [BUNDLE remembered|passphrase] | child-browse BUNDLE")
