"""``reviewer-app selfcheck``: is this installation complete? One report, exit status 0 or 1."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import tr
from ._common import EXIT_NEGATIVE, EXIT_OK, add_command, print_json


def register(sub: Any) -> None:
    p = add_command(sub, "selfcheck", "selfcheck.help", cmd_selfcheck)
    p.add_argument("--no-qt", action="store_true", help=tr("selfcheck.no_qt_help"))
    p.add_argument("--json", action="store_true", help=tr("selfcheck.json_help"))


def cmd_selfcheck(args: argparse.Namespace) -> int:
    from ..services.selfcheck import run_core_checks, versions

    results = run_core_checks()
    if not args.no_qt:
        # Imported only here: the rest of the CLI never loads Qt.
        from ..gui.selfcheck import run_qt_checks

        results += run_qt_checks()
    ok = all(r.ok for r in results)
    if args.json:
        print_json({"ok": ok, "versions": versions(),
                    "checks": [{"name": r.name, "ok": r.ok, "detail": r.detail} for r in results]})
    else:
        print(tr("selfcheck.title"))
        for name, version in versions().items():
            print(f"  {name}: {version}")
        for r in results:
            mark = tr("selfcheck.ok") if r.ok else tr("selfcheck.failed")
            print(f"  [{mark}] {tr('selfcheck.check.' + r.name)}" + (f" — {r.detail}" if r.detail else ""))
        print(tr("selfcheck.all_ok") if ok else tr("selfcheck.some_failed"))
    return EXIT_OK if ok else EXIT_NEGATIVE
