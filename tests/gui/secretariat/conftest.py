"""Fixtures for the secretariat's windows: a real Secretariat in the test's data folder, cheap keys, real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_app.gui import tasks
from reviewer_app.gui.secretariat import common
from reviewer_app.gui.secretariat.home import SecretariatHome
from reviewer_app.services.secretariat import Secretariat
from tests.services.secretariat.round_fixtures import copy_example, new_keys


@pytest.fixture(scope="session")
def sec_keys():
    return new_keys()


@pytest.fixture
def sync_tasks() -> Iterator[None]:
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def sec() -> Iterator[Secretariat]:
    s = Secretariat(actor="事務局 太郎")
    yield s
    s.close()


@pytest.fixture
def setup_folder(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "setup")


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Files the windows offered to open (the desktop opener replaced)."""
    calls: list[Path] = []
    monkeypatch.setattr(common, "opener", [calls.append])
    return calls


@pytest.fixture
def home(qtbot, sec, sec_keys, sync_tasks) -> Iterator[SecretariatHome]:
    w = SecretariatHome(sec=sec, keys=sec_keys)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    yield w
    w.hide()
