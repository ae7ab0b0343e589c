"""The state every workspace use case shares: the open store and the unlocked bundles.

Rubric and round settings are copied into the database at unlock (they are not
confidential), so grading, findings and the distribution work without the passphrase.
Proposal metadata and PDFs stay inside the encrypted bundle and are reached only
through an unlocked assignment held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ...core.errors import WorkspaceError
from ...core.rubric import Rubric, load_rubric_bytes
from ...core.scoring import Entry
from ...core.store import Store, open_store
from ...paths import user_data_dir

DB_NAME = "workspace.sqlite3"
EXPORTS_DIR = "exports"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class RoundInfo:
    """What grading needs from an unlocked bundle, as stored in the database."""

    bundle_id: str
    round_id: str
    reviewer_id: str
    reviewer_name: str
    deadline: str | None
    band_targets: dict[str, Decimal | None]
    rubric: Rubric
    unlocked_at: str
    title: str = ""


class WorkspaceBase:
    def __init__(self) -> None:
        # One place decides where data lives (paths.user_data_dir; REVIEWER_APP_HOME moves it):
        # the bundle services keep their stored copies there too.
        self.home = user_data_dir()
        self.store: Store = open_store(self.home / DB_NAME)
        self._rubrics: dict[str, Rubric] = {}
        #: Unlocked assignments by bundle id (decrypted manifest in memory only).
        self._open: dict[str, Any] = {}

    def close(self) -> None:
        self._open.clear()
        self.store.close()

    def __enter__(self) -> WorkspaceBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- lookups ------------------------------------------------------------------

    def _bundle(self, bundle_id: str) -> dict[str, Any]:
        cur = self.store.conn.execute("SELECT * FROM bundles WHERE bundle_id = ?", (bundle_id,))
        row = cur.fetchone()
        if row is None:
            raise WorkspaceError("workspace.unknown_bundle", bundle=bundle_id)
        return dict(zip([d[0] for d in cur.description], row))

    def round_info(self, bundle_id: str) -> RoundInfo:
        """The round a bundle belongs to; refused until the bundle has been unlocked once."""
        row = self._bundle(bundle_id)
        if row["unlocked_at"] is None:
            raise WorkspaceError("workspace.bundle_locked", bundle=bundle_id)
        digest = row["rubric_digest"]
        if digest not in self._rubrics:
            self._rubrics[digest] = load_rubric_bytes(bytes(row["rubric_bytes"]), "bundle rubric")
        settings = json.loads(row["settings_json"])
        targets = {k: (None if v is None else Decimal(v)) for k, v in settings.get("band_targets", {}).items()}
        return RoundInfo(
            bundle_id, row["round_id"], row["reviewer_id"], row["reviewer_name"], row["deadline"],
            targets, self._rubrics[digest], row["unlocked_at"], settings.get("title", ""),
        )

    def proposal_ids(self, bundle_id: str) -> list[str]:
        self._bundle(bundle_id)
        return [r[0] for r in self.store.conn.execute(
            "SELECT proposal_id FROM proposals WHERE bundle_id = ? ORDER BY position", (bundle_id,))]

    def _require_proposal(self, bundle_id: str, proposal_id: str) -> None:
        row = self.store.conn.execute(
            "SELECT 1 FROM proposals WHERE bundle_id = ? AND proposal_id = ?", (bundle_id, proposal_id)
        ).fetchone()
        if row is None:
            self._bundle(bundle_id)
            raise WorkspaceError("workspace.unknown_proposal", bundle=bundle_id, proposal=proposal_id)

    def conflicts(self, bundle_id: str) -> dict[str, str]:
        """Declared conflicts of interest: proposal id → reason."""
        return dict(self.store.conn.execute(
            "SELECT proposal_id, reason FROM conflicts WHERE bundle_id = ?", (bundle_id,)).fetchall())

    def entries(self, bundle_id: str, proposal_id: str) -> dict[str, Entry]:
        """What the reviewer has recorded for one proposal, by item id."""
        self._require_proposal(bundle_id, proposal_id)
        return _entries(self.store, bundle_id, proposal_id)

    def deadline_notices(self, info: RoundInfo) -> tuple[Any, ...]:
        from .model import Notice

        if info.deadline and deadline_passed(info.deadline):
            return (Notice("workspace.deadline_passed", {"deadline": info.deadline, "round": info.round_id}),)
        return ()


def deadline_passed(deadline: str, at: datetime | None = None) -> bool:
    """A date-only deadline lasts to the end of that day (Japan time, where the program runs)."""
    from datetime import timedelta, timezone

    jst = timezone(timedelta(hours=9))
    now = at or datetime.now(UTC)
    try:
        if len(deadline) == 10:
            end = datetime.fromisoformat(deadline).replace(tzinfo=jst) + timedelta(days=1)
        else:
            end = datetime.fromisoformat(deadline)
            if end.tzinfo is None:
                end = end.replace(tzinfo=jst)
    except ValueError:
        return False
    return now >= end


#: The entry columns, in the order :func:`entry_from_row` reads them.
ENTRY_COLUMNS = "item_id, mark, figure, comment, unjudgeable, unjudgeable_reason, named_figures"


def named_figures_text(figures: Mapping[str, Decimal]) -> str:
    """The stored (and audited) form of an entry's named figures: canonical JSON of Decimal text."""
    return json.dumps({k: str(v) for k, v in sorted(figures.items())}, ensure_ascii=False, separators=(",", ":"))


def entry_from_row(row: tuple[Any, ...]) -> Entry:
    item_id, mark, figure, comment, unjudgeable, reason, *rest = row
    named = {k: Decimal(v) for k, v in json.loads(rest[0]).items()} if rest and rest[0] else {}
    return Entry(item_id, mark, comment, bool(unjudgeable), reason, None if figure is None else Decimal(figure), named)


def _entries(store: Store, bundle_id: str, proposal_id: str) -> dict[str, Entry]:
    rows = store.conn.execute(
        f"SELECT {ENTRY_COLUMNS} FROM entries"
        " WHERE bundle_id = ? AND proposal_id = ?",
        (bundle_id, proposal_id),
    ).fetchall()
    return {r[0]: entry_from_row(r) for r in rows}
