"""What the workspace database's schema version is, read without sqlite-utils.

Opening the store is on the path of every start of the application, and importing
sqlite-utils (with the plugin scan its ``Database`` runs) costs more than the rest of the
open. The names of the applied migrations sit in sqlite-utils' ``_sqlite_migrations`` table;
reading them is one query, so the common case (an up-to-date database) never needs the
library at all. :mod:`.migrations` holds the migrations themselves and is imported only when
one is pending.
"""

from __future__ import annotations

import sqlite3

#: The migration set's name in ``_sqlite_migrations`` (sqlite-utils ``Migrations(name)``).
MIGRATION_SET = "reviewer_app.workspace"
MIGRATIONS_TABLE = "_sqlite_migrations"

#: Names of the known migrations, oldest first; the schema version is their count.
SCHEMA_VERSIONS: tuple[str, ...] = (
    "0001_initial", "0002_export_audit_head", "0003_entry_named_figures", "0004_coi_confirmations",
)


def applied_names(conn: sqlite3.Connection, migration_set: str = MIGRATION_SET) -> list[str]:
    """The migrations of ``migration_set`` recorded as applied, in the order they were applied."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (MIGRATIONS_TABLE,)).fetchone()
    if exists is None:
        return []
    rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                        (migration_set,)).fetchall()
    return [str(r[0]) for r in rows]
