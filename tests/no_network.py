"""The application never opens a network connection: the whole test session proves it.

Loaded as a pytest plugin from tests/conftest.py. From the first collected module on, every
``connect``/``connect_ex``/``sendto`` on an IP socket (IPv4 or IPv6) raises
:class:`NetworkBlocked` and is recorded; Unix-domain sockets stay allowed (Qt talks to the
session bus through one, and that never leaves the machine). A test that needs to see the
guard itself (tests/test_no_network.py) reads :data:`ATTEMPTS`. Any attempt made anywhere
in the suite fails the session at its end, even if the code under test swallowed the error.

Qt's own networking (QtNetwork) is not a Python socket; the app never imports it, and
tests/test_no_network.py checks that the GUI's modules do not load it.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

ATTEMPTS: list[str] = []
_IP_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkBlocked(OSError):
    """Raised instead of opening a network connection during the tests."""


def _guard(name: str, original: Any) -> Any:
    def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if self.family in _IP_FAMILIES:
            ATTEMPTS.append(f"{name}{args!r}")
            raise NetworkBlocked(f"network access attempted during tests: {name}{args!r}")
        return original(self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


_ORIGINALS = {n: getattr(socket.socket, n) for n in ("connect", "connect_ex", "sendto")}


def install() -> None:
    for name, original in _ORIGINALS.items():
        setattr(socket.socket, name, _guard(name, original))


def pytest_configure(config: pytest.Config) -> None:
    install()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    expected = getattr(session.config, "_expected_network_attempts", 0)
    if len(ATTEMPTS) > expected:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"NETWORK ACCESS ATTEMPTED during the tests: {ATTEMPTS[expected:]}", red=True)
