"""Where things live: shipped runtime data, and the user's data folder.

One function each, so the checkout, the installed wheel and the Briefcase app all find
the same files: ``resource_path`` for data the app ships, ``user_data_dir`` for what it
writes. Both are Qt-free so core and services may use them.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from platformdirs import user_data_path

#: Environment variable that moves the user's data folder (tests, portable installs).
HOME_ENV = "REVIEWER_APP_HOME"
_MARKER = "rubrics"


@cache
def _resources_root() -> Path:
    # 1. A checkout or a Briefcase app: ``resources/`` beside the package folder.
    beside = Path(__file__).resolve().parent.parent / "resources"
    if (beside / _MARKER).is_dir():
        return beside
    # 2. An installed wheel: the same tree packaged as ``reviewer_app/_resources``.
    from importlib import resources as _ir  # only here: it costs every command ~10 ms to import

    packaged = Path(str(_ir.files("reviewer_app") / "_resources"))
    if (packaged / _MARKER).is_dir():
        return packaged
    raise FileNotFoundError("reviewer_app runtime resources are missing from this installation")


def resource_path(*parts: str) -> Path:
    """Path of a file shipped with the app, e.g. ``resource_path("rubrics", "x.toml")``."""
    return _resources_root().joinpath(*parts)


def user_data_dir() -> Path:
    """The folder the app writes to (database, stored bundles, exports, key files).

    ``$REVIEWER_APP_HOME`` when set, else the platform's user data folder. Created on demand
    with owner-only permissions.
    """
    override = os.environ.get(HOME_ENV)
    path = Path(override).expanduser() if override else user_data_path("reviewer-app", appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
