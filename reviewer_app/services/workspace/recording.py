"""Recording what the reviewer types: each call is one durable, audited transaction.

The call returns only after COMMIT (fsynced WAL, see ``core/store/db.py``), so an edit the
GUI has shown as saved survives a crash. The audit events for the change are written in
the same transaction: the log can never miss or invent a change.

Every text is cleaned by the one rule in ``core/text.py`` before it is stored (control and
bidi characters removed, a stated length limit), and the texts a bundle exports together
are kept within what one signed result can carry (``MAX_EXPORT_TEXT_BYTES``): an edit that
would exceed it is refused when it is made, so no text can make a later export fail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from ...core.bundle.limits import MAX_MANIFEST_BYTES
from ...core.errors import WorkspaceError
from ...core.scoring import Entry, apply_unjudgeable, check_entry, to_figure
from ...core.store import append_event, write_transaction
from ...core.text import clean_text
from .base import ENTRY_COLUMNS, WorkspaceBase, entry_from_row, named_figures_text, now_iso

_FIELDS = ("mark", "figure", "comment", "unjudgeable", "unjudgeable_reason", "named_figures")

#: The exported texts of one bundle together (comments, reasons, justification), as bytes of
#: the result's canonical JSON. The rest of the format's 16 MiB manifest is left for ids,
#: marks and figures (a few hundred bytes per entry) and the signature.
MAX_EXPORT_TEXT_BYTES = MAX_MANIFEST_BYTES - 2 * 1024 * 1024


def _json_length_sql(column: str) -> str:
    """SQL for the bytes ``column`` takes in canonical JSON: UTF-8 plus one per escaped character."""
    escaped = " + ".join(
        f"length({column}) - length(replace({column}, {ch}, ''))" for ch in ("char(10)", "char(9)", "'\"'", "'\\'")
    )
    return f"coalesce(length(CAST({column} AS BLOB)) + {escaped}, 0)"


_EXPORT_TEXT_SQL = (
    f"SELECT (SELECT coalesce(sum({_json_length_sql('comment')} + {_json_length_sql('unjudgeable_reason')}), 0)"
    " FROM entries WHERE bundle_id = :b)"
    f" + (SELECT coalesce(sum({_json_length_sql('reason')}), 0) FROM conflicts WHERE bundle_id = :b)"
    f" + (SELECT coalesce(sum({_json_length_sql('text')}), 0) FROM justifications WHERE bundle_id = :b)"
)


def _check_export_budget(conn: sqlite3.Connection, bundle_id: str) -> None:
    """Refuse (inside the write transaction, so it rolls back) an edit that would make the export too large."""
    (total,) = conn.execute(_EXPORT_TEXT_SQL, {"b": bundle_id}).fetchone()
    if total > MAX_EXPORT_TEXT_BYTES:
        raise WorkspaceError("workspace.export_text_budget", size=total, limit=MAX_EXPORT_TEXT_BYTES)


def _field_text(entry: Entry | None, name: str) -> str | None:
    if entry is None:
        return None
    value = getattr(entry, name)
    if name == "unjudgeable":
        return "1" if value else "0"
    if name == "named_figures":
        return named_figures_text(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


class RecordingMixin(WorkspaceBase):
    def record_grade(self, bundle_id: str, proposal_id: str, item_id: str, mark: str | None) -> Entry:
        """Set (or clear, with None) the grade or level of one item."""
        return self._change_entry(bundle_id, proposal_id, item_id, lambda e: replace(e, mark=mark or None))

    def record_comment(self, bundle_id: str, proposal_id: str, item_id: str, comment: str) -> Entry:
        """The comment as stored: cleaned by ``core.text.clean_text`` (TextError if too long or not UTF-8)."""
        text = clean_text(comment, "comment")
        return self._change_entry(bundle_id, proposal_id, item_id, lambda e: replace(e, comment=text))

    def record_figure(
        self, bundle_id: str, proposal_id: str, item_id: str, figure: Decimal | int | str | None
    ) -> Entry:
        """The figure a 5-level item is judged on, as read in the proposal ("1,234" accepted)."""
        value = None if figure is None or figure == "" else to_figure(figure)
        return self._change_entry(bundle_id, proposal_id, item_id, lambda e: replace(e, figure=value))

    def record_named_figure(
        self, bundle_id: str, proposal_id: str, name: str, figure: Decimal | int | str | None
    ) -> Entry:
        """A figure a 観点 check names (e.g. the planned 留学生比率), as the reviewer read it.

        Stored on the entry of the item whose 観点 names it. ``None`` or ``""`` removes it
        (the proposal metadata's figure, if any, counts again). The check only reminds
        (``figure_below_level…`` findings); it never sets a grade.
        """
        info = self.round_info(bundle_id)
        item_id = info.rubric.figure_check(name).item_id  # unknown name → EntryError
        value = None if figure is None or figure == "" else to_figure(figure)

        def change(e: Entry) -> Entry:
            named = {k: v for k, v in e.named_figures.items() if k != name}
            if value is not None:
                named[name] = value
            return replace(e, named_figures=named)

        return self._change_entry(bundle_id, proposal_id, item_id, change)

    def set_unjudgeable(self, bundle_id: str, proposal_id: str, item_id: str, reason: str) -> Entry:
        """Mark an entry unjudgeable: the grade is forced to the scale's lowest.

        An empty reason is stored (work in progress may be saved) but stays a blocking
        finding, so the export is refused until a reason is given.
        """
        info = self.round_info(bundle_id)
        text = clean_text(reason, "reason")
        return self._change_entry(
            bundle_id, proposal_id, item_id, lambda e: apply_unjudgeable(info.rubric, e, True, text)
        )

    def clear_unjudgeable(self, bundle_id: str, proposal_id: str, item_id: str) -> Entry:
        info = self.round_info(bundle_id)
        return self._change_entry(
            bundle_id, proposal_id, item_id, lambda e: apply_unjudgeable(info.rubric, e, False)
        )

    def _change_entry(
        self, bundle_id: str, proposal_id: str, item_id: str, change: Callable[[Entry], Entry]
    ) -> Entry:
        info = self.round_info(bundle_id)
        info.rubric.item(item_id)  # unknown item → EntryError before any write
        with write_transaction(self.store) as conn:
            self._require_gradable(conn, bundle_id, proposal_id)
            row = conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries"
                " WHERE bundle_id = ? AND proposal_id = ? AND item_id = ?",
                (bundle_id, proposal_id, item_id),
            ).fetchone()
            old = entry_from_row(row) if row else None
            new = change(old or Entry(item_id))
            check_entry(info.rubric, new)
            changed = [f for f in _FIELDS if _field_text(old or Entry(item_id), f) != _field_text(new, f)]
            if not changed and old is not None:
                return new
            at = now_iso()
            conn.execute(
                "INSERT INTO entries (bundle_id, proposal_id, item_id, mark, figure, comment, unjudgeable,"
                " unjudgeable_reason, named_figures, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (bundle_id, proposal_id, item_id) DO UPDATE SET mark = excluded.mark,"
                " figure = excluded.figure, comment = excluded.comment, unjudgeable = excluded.unjudgeable,"
                " unjudgeable_reason = excluded.unjudgeable_reason, named_figures = excluded.named_figures,"
                " updated_at = excluded.updated_at",
                (bundle_id, proposal_id, item_id, new.mark, _field_text(new, "figure"), new.comment,
                 int(new.unjudgeable), new.unjudgeable_reason, _field_text(new, "named_figures"), at),
            )
            for f in changed:
                append_event(conn, at=at, field=f"entry.{f}", old=_field_text(old, f), new=_field_text(new, f),
                             bundle_id=bundle_id, proposal_id=proposal_id, item_id=item_id)
            if "comment" in changed or "unjudgeable_reason" in changed:
                _check_export_budget(conn, bundle_id)
            return new

    def _require_gradable(self, conn: sqlite3.Connection, bundle_id: str, proposal_id: str) -> None:
        self._require_proposal(bundle_id, proposal_id)
        if conn.execute("SELECT 1 FROM conflicts WHERE bundle_id = ? AND proposal_id = ?",
                        (bundle_id, proposal_id)).fetchone():
            raise WorkspaceError("workspace.proposal_conflicted", bundle=bundle_id, proposal=proposal_id)

    # --- notes, conflicts, justification -------------------------------------------

    def record_note(self, bundle_id: str, proposal_id: str, text: str) -> None:
        """The reviewer's private note on a proposal: kept here, never exported."""
        text = clean_text(text, "note")
        self._require_proposal(bundle_id, proposal_id)
        with write_transaction(self.store) as conn:
            row = conn.execute("SELECT text FROM notes WHERE bundle_id = ? AND proposal_id = ?",
                               (bundle_id, proposal_id)).fetchone()
            old = row[0] if row else None
            if old == text:
                return
            at = now_iso()
            conn.execute(
                "INSERT INTO notes (bundle_id, proposal_id, text, updated_at) VALUES (?,?,?,?)"
                " ON CONFLICT (bundle_id, proposal_id) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (bundle_id, proposal_id, text, at),
            )
            append_event(conn, at=at, field="note", old=old, new=text, bundle_id=bundle_id, proposal_id=proposal_id)

    def note(self, bundle_id: str, proposal_id: str) -> str:
        self._require_proposal(bundle_id, proposal_id)
        row = self.store.conn.execute("SELECT text FROM notes WHERE bundle_id = ? AND proposal_id = ?",
                                      (bundle_id, proposal_id)).fetchone()
        return row[0] if row else ""

    def declare_conflict(self, bundle_id: str, proposal_id: str, reason: str = "") -> None:
        """Declare a conflict of interest: the proposal is locked against grading and exported as such.

        Entries already made are kept (not exported while the conflict stands), so withdrawing
        a declaration made by mistake loses nothing.
        """
        reason = clean_text(reason, "reason")
        self._require_proposal(bundle_id, proposal_id)
        with write_transaction(self.store) as conn:
            row = conn.execute("SELECT reason FROM conflicts WHERE bundle_id = ? AND proposal_id = ?",
                               (bundle_id, proposal_id)).fetchone()
            if row is not None and row[0] == reason:
                return
            at = now_iso()
            conn.execute(
                "INSERT INTO conflicts (bundle_id, proposal_id, reason, declared_at) VALUES (?,?,?,?)"
                " ON CONFLICT (bundle_id, proposal_id) DO UPDATE SET reason = excluded.reason",
                (bundle_id, proposal_id, reason, at),
            )
            append_event(conn, at=at, field="conflict", old=None if row is None else row[0], new=reason,
                         bundle_id=bundle_id, proposal_id=proposal_id)
            _check_export_budget(conn, bundle_id)

    def confirm_no_conflict(self, bundle_id: str, proposal_id: str) -> None:
        """Record the reviewer's 「利害関係なし」 for a proposal (asked before its PDF is first shown).

        Audited like a declaration; recording it again changes nothing. A declared conflict
        must be withdrawn first (``workspace.conflict_declared``).
        """
        self._require_proposal(bundle_id, proposal_id)
        with write_transaction(self.store) as conn:
            if conn.execute("SELECT 1 FROM conflicts WHERE bundle_id = ? AND proposal_id = ?",
                            (bundle_id, proposal_id)).fetchone() is not None:
                raise WorkspaceError("workspace.conflict_declared", proposal=proposal_id)
            at = now_iso()
            added = conn.execute(
                "INSERT INTO coi_confirmations (bundle_id, proposal_id, confirmed_at) VALUES (?,?,?)"
                " ON CONFLICT (bundle_id, proposal_id) DO NOTHING", (bundle_id, proposal_id, at)).rowcount
            if added:
                append_event(conn, at=at, field="no_conflict", old=None, new="confirmed",
                             bundle_id=bundle_id, proposal_id=proposal_id)

    def no_conflict_confirmed(self, bundle_id: str) -> frozenset[str]:
        """The proposals the reviewer has answered 「利害関係なし」 for."""
        self._bundle(bundle_id)
        rows = self.store.conn.execute("SELECT proposal_id FROM coi_confirmations WHERE bundle_id = ?",
                                       (bundle_id,)).fetchall()
        return frozenset(r[0] for r in rows)

    def withdraw_conflict(self, bundle_id: str, proposal_id: str) -> None:
        self._require_proposal(bundle_id, proposal_id)
        with write_transaction(self.store) as conn:
            row = conn.execute("SELECT reason FROM conflicts WHERE bundle_id = ? AND proposal_id = ?",
                               (bundle_id, proposal_id)).fetchone()
            if row is None:
                raise WorkspaceError("workspace.no_conflict", bundle=bundle_id, proposal=proposal_id)
            conn.execute("DELETE FROM conflicts WHERE bundle_id = ? AND proposal_id = ?", (bundle_id, proposal_id))
            append_event(conn, at=now_iso(), field="conflict", old=row[0], new=None,
                         bundle_id=bundle_id, proposal_id=proposal_id)

    def set_justification(self, bundle_id: str, text: str) -> None:
        """Why the 視点2 distribution is off the round's targets; exported with the results."""
        text = clean_text(text, "justification")
        self.round_info(bundle_id)
        with write_transaction(self.store) as conn:
            row = conn.execute("SELECT text FROM justifications WHERE bundle_id = ?", (bundle_id,)).fetchone()
            old = row[0] if row else None
            if old == text:
                return
            at = now_iso()
            conn.execute(
                "INSERT INTO justifications (bundle_id, text, recorded_at) VALUES (?,?,?)"
                " ON CONFLICT (bundle_id) DO UPDATE SET text = excluded.text, recorded_at = excluded.recorded_at",
                (bundle_id, text, at),
            )
            append_event(conn, at=at, field="justification", old=old, new=text, bundle_id=bundle_id)
            _check_export_budget(conn, bundle_id)

    def justification(self, bundle_id: str) -> str:
        row = self.store.conn.execute("SELECT text FROM justifications WHERE bundle_id = ?", (bundle_id,)).fetchone()
        return row[0] if row else ""
