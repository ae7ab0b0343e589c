"""The reviewer's local store: one SQLite database, its schema migrations and audit chain.

Split in small modules: ``db`` (opening, durability settings, write transactions),
``schema`` (the version check) and ``migrations`` (the versioned schema) and ``audit`` (the append-only hash chain).
"""

from __future__ import annotations

from .audit import GENESIS, AuditEvent, ChainStatus, append_event, audit_head, verify_chain
from .db import Store, integrity_ok, open_store, write_transaction
from .schema import SCHEMA_VERSIONS


def __getattr__(name: str) -> object:
    # MIGRATIONS needs sqlite-utils, which opening an up-to-date store does not: load it on use.
    if name == "MIGRATIONS":
        from .migrations import MIGRATIONS

        return MIGRATIONS
    raise AttributeError(name)


__all__ = [
    "GENESIS",
    "MIGRATIONS",
    "SCHEMA_VERSIONS",
    "AuditEvent",
    "ChainStatus",
    "Store",
    "append_event",
    "audit_head",
    "integrity_ok",
    "open_store",
    "verify_chain",
    "write_transaction",
]
