"""``reviewer-app review rounds``: every stored round with deadline, progress and last export.

The same summary the application's start screen shows (``Workspace.bundle_summaries``), so a
reviewer, or the helpdesk on the phone, can read it without opening a window.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..i18n import tr
from ._common import EXIT_OK, add_command

if TYPE_CHECKING:  # the services are imported by the handler: building the parser stays cheap
    from ..services.workspace import BundleSummary


def register_into(g: Any) -> None:
    add_command(g, "rounds", "cli.rounds.help", cmd_rounds)


def local_time(iso: str) -> str:
    """An ISO timestamp as local ``YYYY-MM-DD HH:MM`` (what a person compares with a clock)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def describe(s: BundleSummary) -> tuple[str, str]:
    """Two lines: the round, then deadline · progress · last export."""
    if not s.unlocked:
        return tr("cli.rounds.title_line", bundle=s.bundle_id, title=tr("cli.rounds.not_opened")), ""
    deadline = s.deadline or tr("cli.rounds.no_deadline")
    if s.overdue:
        deadline = tr("cli.rounds.overdue", deadline=deadline)
    progress = tr("cli.rounds.progress", complete=s.complete, total=s.proposals - s.conflicts)
    if s.conflicts:
        progress += tr("cli.rounds.conflicts", count=s.conflicts)
    if s.last_export_revision is None:
        export = tr("cli.rounds.never_exported")
    else:
        export = tr("cli.rounds.exported", revision=s.last_export_revision, at=local_time(s.last_exported_at or ""))
        if s.changed_since_export:
            export += tr("cli.rounds.changed_since")
    title = s.title or s.round_id or s.bundle_id
    return (
        tr("cli.rounds.title_line", bundle=s.bundle_id, title=title),
        tr("cli.rounds.detail_line", deadline=deadline, progress=progress, export=export),
    )


def cmd_rounds(args: argparse.Namespace) -> int:
    from ..services.workspace import Workspace

    with Workspace() as ws:
        rows = ws.bundle_summaries()
        if not rows:
            print(tr("cli.review.no_bundles"))
        for s in rows:
            for line in describe(s):
                if line:
                    print(line)
    return EXIT_OK
