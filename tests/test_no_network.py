"""The offline guarantee: any network connection attempted in the test session is refused."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests import no_network


def test_ip_connections_are_refused_and_recorded(request: pytest.FixtureRequest) -> None:
    before = len(no_network.ATTEMPTS)
    # This test makes attempts on purpose; the session-end check must not count them.
    request.config._expected_network_attempts = getattr(request.config, "_expected_network_attempts", 0) + 2
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(no_network.NetworkBlocked):
        s.connect(("127.0.0.1", 9))
    with pytest.raises(no_network.NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=0.01)
    assert len(no_network.ATTEMPTS) == before + 2


def test_unix_sockets_still_work() -> None:
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        a.sendall(b"x")
        assert b.recv(1) == b"x"


def test_the_gui_never_loads_qt_networking() -> None:
    probe = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "import reviewer_app.gui, pkgutil, importlib;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(reviewer_app.gui.__path__, 'reviewer_app.gui.')];"
        "print(sorted(m for m in sys.modules if 'QtNetwork' in m or 'QtWebEngine' in m))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_a_swallowed_attempt_still_fails_the_session(tmp_path) -> None:
    """Code that catches the error cannot hide the attempt: the run ends red."""
    (tmp_path / "test_sneaky.py").write_text(
        "import socket\n"
        "def test_swallows():\n"
        "    try:\n"
        "        socket.create_connection(('192.0.2.1', 443), timeout=0.01)\n"
        "    except OSError:\n"
        "        pass\n"
    )
    (tmp_path / "none.ini").write_text("[pytest]\n")
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.no_network", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "none.ini"), "--rootdir", str(tmp_path), str(tmp_path / "test_sneaky.py")],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode != 0, run.stdout
    assert "NETWORK ACCESS ATTEMPTED" in run.stdout
