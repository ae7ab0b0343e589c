"""Decisions in the secretariat's database: append-only rows, the latest per (proposal, table) is current."""

from __future__ import annotations

import sqlite3

from .decisions import Decision


def insert_decision(conn: sqlite3.Connection, *, round_id: str, proposal_id: str, table_id: str, code: str, note: str,
                    recorded_by: str, at: str) -> Decision:
    cur = conn.execute(
        "INSERT INTO decisions (round_id, proposal_id, table_id, code, note, recorded_by, recorded_at)"
        " VALUES (?,?,?,?,?,?,?)", (round_id, proposal_id, table_id, code, note, recorded_by, at))
    return Decision(int(cur.lastrowid or 0), proposal_id, table_id, code, note, recorded_by, at)


def decisions(conn: sqlite3.Connection, round_id: str) -> list[Decision]:
    """Every decision of the round, history included, oldest first."""
    return [Decision(*r) for r in conn.execute(
        "SELECT decision_id, proposal_id, table_id, code, note, recorded_by, recorded_at FROM decisions"
        " WHERE round_id = ? ORDER BY decision_id", (round_id,))]
