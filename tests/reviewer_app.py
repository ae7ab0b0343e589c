"""Briefcase's test entry point: ``briefcase dev --test`` and ``briefcase run … --test`` run it.

Briefcase starts the module ``tests.<app module>`` (this file) instead of the app and reads
the outcome from the line ``>>>>>>>>>> EXIT <status> <<<<<<<<<<`` it prints last. It runs
pytest on the whole suite; arguments after ``--`` replace the default ``-q``, and a path among
them (relative to the project folder) replaces the whole suite::

    python3 packaging/build_installer.py dev --test -- -x -k rubric
    python3 packaging/build_installer.py dev --test -- tests/core

Run it as a module (``python -m tests.reviewer_app``), never as a script: a script's folder
goes first on ``sys.path``, where this file would shadow the ``reviewer_app`` package.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

#: The line Briefcase's log filter looks for (its DEFAULT_EXIT_REGEX).
EXIT_LINE = ">>>>>>>>>> EXIT {status} <<<<<<<<<<"


def pytest_arguments(argv: Sequence[str], project: Path) -> list[str]:
    """pytest's arguments for Briefcase's passthrough ``argv``; paths are relative to ``project``."""
    args = list(argv) or ["-q"]
    names_a_path = any((project / a.split("::", 1)[0]).exists() for a in args if not a.startswith("-"))
    # No cache folder: in a packaged app the project folder is read-only.
    return ["-p", "no:cacheprovider", *args, *([] if names_a_path else ["tests"])]


def main(argv: Sequence[str]) -> int:
    import pytest

    # Briefcase starts the tests in the home folder; the project folder (the staged tree in
    # `dev`, the app folder in a package) holds the pytest configuration and the suite.
    project = Path(__file__).parent.parent
    os.chdir(project)
    status = int(pytest.main(pytest_arguments(argv, project)))
    print(EXIT_LINE.format(status=status), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
