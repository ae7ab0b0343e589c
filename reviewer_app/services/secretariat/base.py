"""What every secretariat use case shares: the open store, the acting person, round lookups.

``Secretariat()`` opens ``<user data>/secretariat/secretariat.sqlite3`` (``REVIEWER_APP_HOME``
moves the whole data folder). ``actor`` names who is acting, for the audit log and the
decisions' "recorded by"; it defaults to the operating-system user.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

from ...core.errors import SecretariatError
from ...core.rubric import Rubric
from ...core.secretariat import rounds_repo
from ...core.secretariat.db import DB_NAME, open_secretariat_store
from ...core.store import Store
from ...paths import user_data_dir

SECRETARIAT_DIR = "secretariat"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "secretariat"


def secretariat_dir() -> Path:
    d = user_data_dir() / SECRETARIAT_DIR
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


class SecretariatBase:
    def __init__(self, path: str | Path | None = None, *, actor: str | None = None) -> None:
        self.path = Path(path) if path is not None else secretariat_dir() / DB_NAME
        self.store: Store = open_secretariat_store(self.path)
        self.actor = (actor or default_actor()).strip() or "secretariat"
        self._rubrics: dict[str, Rubric] = {}

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> SecretariatBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self):  # type: ignore[no-untyped-def]
        return self.store.conn

    def round(self, round_id: str) -> rounds_repo.RoundRecord:
        with self.store.lock:
            rec = rounds_repo.load_round(self.conn, round_id)
        if rec is None:
            known = [r.round_id for r in rounds_repo.list_rounds(self.conn)]
            raise SecretariatError("secretariat.unknown_round", round=round_id, known=", ".join(known) or "—")
        return rec

    def rubric(self, round_id: str) -> Rubric:
        rec = self.round(round_id)
        if rec.rubric_digest not in self._rubrics:
            with self.store.lock:
                self._rubrics[rec.rubric_digest] = rounds_repo.round_rubric(self.conn, round_id)
        return self._rubrics[rec.rubric_digest]
