"""Test-wide setup: offscreen Qt, an isolated data folder and keyring, Japanese by default."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Before pytest-qt makes its first Qt call (qWait, processEvents): on CPython 3.11 with
# PySide6 6.12.0 every void Qt call loses a reference to None (see reviewer_app.gui.qtcompat).
import reviewer_app.gui  # noqa: F401

# The app must never open a network connection: the guard covers every test in the session.
pytest_plugins = ["tests.no_network"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test writes into its own data folder, never the developer's real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REVIEWER_APP_HOME", str(home))
    from reviewer_app import i18n

    monkeypatch.setattr(i18n, "_current", "ja")
    yield home


@pytest.fixture(scope="session")
def rubric():
    from reviewer_app.services.rubrics import load_shipped_rubric

    return load_shipped_rubric()
