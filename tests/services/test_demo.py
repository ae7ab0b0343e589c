"""The demo round: built once in its own folder, realistic proposals, reused on the next run."""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from reviewer_app.core.bundle.model import KdfParams
from reviewer_app.core.errors import WorkspaceError, WrongSecretError
from reviewer_app.paths import HOME_ENV, user_data_dir
from reviewer_app.services.demo import DEMO_PASSPHRASE, DemoRound, demo_home, ensure_demo_round
from reviewer_app.services.demo import round as demo_round
from reviewer_app.services.demo.document import num
from reviewer_app.services.demo.institutions import INSTITUTIONS
from reviewer_app.services.workspace import Workspace

FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DemoRound:
    return ensure_demo_round(tmp_path_factory.mktemp("demo-home"), kdf=FAST_KDF)


@pytest.fixture()
def ws(built: DemoRound, monkeypatch: pytest.MonkeyPatch):
    """The demo's workspace, unlocked with the demo passphrase (as the reviewer would)."""
    monkeypatch.setenv(HOME_ENV, str(built.home))
    workspace = Workspace()
    workspace.unlock(built.bundle_id, DEMO_PASSPHRASE)
    yield workspace
    workspace.close()


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _outline_titles(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    titles: list[str] = []

    def walk(entries: list) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)
    return titles


def test_the_bundle_unlocks_with_the_demo_passphrase_and_not_another(built, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(built.home))
    with Workspace() as ws:
        with pytest.raises(WrongSecretError):
            ws.unlock(built.bundle_id, "not the demo passphrase")
        outcome = ws.unlock(built.bundle_id, built.passphrase)
    assert built.passphrase == DEMO_PASSPHRASE
    assert outcome.proposals == len(INSTITUTIONS) >= 6
    assert outcome.notices == ()  # no overdue deadline on a fresh demo


def test_every_proposal_is_a_multi_page_pdf_with_the_sections_the_rubric_cites(ws, built):
    rubric = ws.round_info(built.bundle_id).rubric
    refs = sorted({ref for item in rubric.items for ref in item.document_refs})
    assert "2-(1)-①" in refs and "5-(7)" in refs and "6." in refs
    ids = ws.proposal_ids(built.bundle_id)
    assert len(ids) >= 6
    for pid in ids:
        data = ws.read_pdf(built.bundle_id, pid)
        pages, text = _pdf_text(data)
        assert pages >= 5, pid
        lines = [line.strip() for line in text.splitlines()]
        missing = [ref for ref in refs if not any(re.match(re.escape(ref) + r"\s", line) for line in lines)]
        assert missing == [], pid
        # The PDF's bookmarks list the same sections, for the viewer's outline.
        outline = _outline_titles(data)
        assert [ref for ref in refs if not any(t.startswith(ref + " ") for t in outline)] == [], pid
        meta = ws.proposal_meta(built.bundle_id, pid)
        assert meta.institution in text and "構想調書" in text
        assert "架空" in text  # the cover says the document is fictional


def test_secretariat_figures_match_the_pdfs_and_suggest_different_levels(ws, built):
    rubric = ws.round_info(built.bundle_id).rubric
    level_items = [item for item in rubric.items if item.basis is not None]
    assert {item.id for item in level_items} == {"1-1", "1-2", "1-3", "1-5", "1-7"}
    suggested: dict[str, set[str]] = {item.id: set() for item in level_items}
    for pid in ws.proposal_ids(built.bundle_id):
        meta = ws.proposal_meta(built.bundle_id, pid)
        _, text = _pdf_text(ws.read_pdf(built.bundle_id, pid))
        for item in level_items:
            figure = meta.figures[item.id]
            assert num(figure) in text, (pid, item.id, figure)
            ratio = figure / Decimal(item.basis.count)
            suggested[item.id].add(rubric.scale_of(item).suggest(ratio).code)
    # Across the proposals each 5-level item suggests at least three different levels,
    # and every level from 1 to 5 is suggested somewhere.
    assert all(len(levels) >= 3 for levels in suggested.values()), suggested
    assert set().union(*suggested.values()) == {"1", "2", "3", "4", "5"}


def test_every_numeric_perspective_check_has_its_figure_and_some_plans_miss_it(ws, built):
    from reviewer_app.core.scoring import FindingCode

    rubric = ws.round_info(built.bundle_id).rubric
    checks = rubric.figure_checks
    assert len(checks) >= 7
    missed: dict[str, set[str]] = {c.figure: set() for c in checks}
    for pid in ws.proposal_ids(built.bundle_id):
        named = ws.proposal_meta(built.bundle_id, pid).named_figures
        assert set(named) == {c.figure for c in checks}, pid
        for c in checks:
            if not c.reaches(named[c.figure], c.level):
                missed[c.figure].add(pid)
    # The demo lets a reviewer meet the reminders: most checks are missed by some proposal, none by all.
    assert sum(1 for ids in missed.values() if ids) >= 5
    assert all(len(ids) < len(ws.proposal_ids(built.bundle_id)) for ids in missed.values())
    # …and the workspace turns them into reminders for exactly those proposals.
    below = {FindingCode.FIGURE_BELOW_LEVEL, FindingCode.FIGURE_BELOW_LEVEL_STRICT}
    flagged = {(pf.proposal_id, pf.finding.item_id) for pf in ws.findings(built.bundle_id) if pf.finding.code in below}
    expected = {(pid, c.item_id) for c in checks for pid in missed[c.figure]}
    assert flagged == expected


def test_band_targets_are_set_for_every_band(ws, built):
    info = ws.round_info(built.bundle_id)
    bands = {b.id for b in info.rubric.bands.bands}
    assert set(info.band_targets) == bands
    assert all(share is not None and 0 < share < 1 for share in info.band_targets.values())
    assert info.title and info.deadline


def test_no_decrypted_proposal_is_left_in_the_demo_folder(built):
    leftovers = [p for p in built.home.rglob("*") if p.suffix.lower() == ".pdf" or p.name.startswith(".build-")]
    assert leftovers == []


def test_a_second_call_reuses_the_round(built):
    before = built.bundle_file.read_bytes()
    again = ensure_demo_round(built.home, kdf=FAST_KDF)
    assert again.bundle_id == built.bundle_id and not again.created
    assert again.bundle_file.read_bytes() == before
    with _home(built.home), Workspace() as ws:
        assert [row.bundle_id for row in ws.bundles()] == [built.bundle_id]


def test_a_half_finished_run_is_completed_not_duplicated(tmp_path):
    home = tmp_path / "demo"
    # A run killed after creating the keys and part of the build.
    with _home(home):
        demo_round._claim(home)
        keys = demo_round._secretariat_keys(FAST_KDF)
        folder = user_data_dir() / demo_round.FOLDER
        folder.mkdir()
        (folder / ".build-killed").mkdir()
        (folder / ".build-killed" / "D01.pdf").write_bytes(b"%PDF-1.4 partial")
    first = ensure_demo_round(home, kdf=FAST_KDF)
    state = (home / demo_round.FOLDER / demo_round.STATE_NAME).read_text(encoding="utf-8")
    assert keys.public.signing_fingerprint in state  # the keys of the first run were kept
    assert not (folder / ".build-killed").exists()
    # A run killed after writing the bundle but before the workspace learned of it.
    (home / "workspace.sqlite3").unlink()
    second = ensure_demo_round(home, kdf=FAST_KDF)
    assert second.bundle_id == first.bundle_id and second.created
    with _home(home), Workspace() as ws:
        assert [row.bundle_id for row in ws.bundles()] == [first.bundle_id]


def test_the_environment_is_restored_after_building(tmp_path, monkeypatch):
    real = tmp_path / "real"
    monkeypatch.setenv(HOME_ENV, str(real))
    built = ensure_demo_round(tmp_path / "elsewhere", kdf=FAST_KDF)
    assert os.environ[HOME_ENV] == str(real)
    assert not (real / "workspace.sqlite3").exists()  # nothing of the demo in the real folder
    assert (built.home / "workspace.sqlite3").exists()


def test_the_demo_home_never_equals_the_real_home(tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "real"))
    home = demo_home()
    assert home != user_data_dir() and home == tmp_path / "real" / "demo"
    # Once the caller points REVIEWER_APP_HOME at the demo home, the demo home stays the same.
    monkeypatch.setenv(HOME_ENV, str(home))
    assert demo_home() == home
    # Without REVIEWER_APP_HOME: the platform folders, one for real data and one for the demo.
    import reviewer_app.paths as paths

    def fake_platform(name: str, appauthor: bool) -> Path:
        return tmp_path / "platform" / name

    monkeypatch.delenv(HOME_ENV)
    monkeypatch.setattr(paths, "user_data_path", fake_platform)
    monkeypatch.setattr(demo_round, "user_data_path", fake_platform)
    assert demo_home() == tmp_path / "platform" / "reviewer-app-demo"
    assert demo_home() != user_data_dir() == tmp_path / "platform" / "reviewer-app"


def test_a_folder_holding_real_work_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "workspace.sqlite3").write_bytes(b"the reviewer's real work")
    with pytest.raises(WorkspaceError) as err:
        ensure_demo_round(real, kdf=FAST_KDF)
    assert err.value.code == "demo.not_demo_home"
    assert sorted(p.name for p in real.iterdir()) == ["workspace.sqlite3"]


class _home:
    """Point REVIEWER_APP_HOME at a folder for a block (a test helper, like the service's own)."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def __enter__(self) -> None:
        self.previous = os.environ.get(HOME_ENV)
        os.environ[HOME_ENV] = str(self.home)

    def __exit__(self, *exc: object) -> None:
        if self.previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = self.previous
