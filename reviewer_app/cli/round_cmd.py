"""``reviewer-app round …``: the secretariat's round, from a setup folder to the decision tables.

This module has setup, status, issuing and importing; ``round_results_cmd`` adds aggregation,
decisions, exports and documents to the same ``round`` group. Every command is a thin call
of ``services.secretariat``; typed errors become messages through ``run_guarded``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core.errors import RoundSetupError
from ..i18n import tr
from ._common import EXIT_INPUT, EXIT_NEGATIVE, EXIT_OK, add_command, add_group, add_output, print_json, say
from .secretariat_cmd import add_key_arguments, load_keys


def register(sub: Any) -> None:
    from . import round_results_cmd

    g = add_group(sub, "round", "cli.round.help")
    p = add_command(g, "check", "cli.round.check_help", cmd_check)
    p.add_argument("folder", type=Path, help=tr("cli.round.folder_arg"))
    p = add_command(g, "setup", "cli.round.setup_help", cmd_setup)
    p.add_argument("folder", type=Path, help=tr("cli.round.folder_arg"))
    p.add_argument("--update", action="store_true", help=tr("cli.round.update_arg"))
    p = add_command(g, "list", "cli.round.list_help", cmd_list)
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "status", "cli.round.status_help", cmd_status)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "issue", "cli.round.issue_help", cmd_issue)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    add_output(p, "cli.round.issue_output_arg", required=True)
    p.add_argument("--letters", type=Path, help=tr("cli.round.letters_arg"))
    p.add_argument("--reviewer", action="append", default=[], help=tr("cli.round.reviewer_arg"))
    p.add_argument("--reissue", action="store_true", help=tr("cli.round.reissue_arg"))
    add_key_arguments(p)
    p = add_command(g, "import", "cli.round.import_help", cmd_import)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("paths", nargs="+", type=Path, help=tr("cli.round.paths_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    add_key_arguments(p)
    round_results_cmd.add_commands(g)


def open_secretariat() -> Any:
    from ..services.secretariat import Secretariat

    return Secretariat()


def _print_problems(problems: Any) -> None:
    from ..core.text import for_terminal
    from ..services.secretariat.messages import describe_problem

    for p in problems:
        print(for_terminal(describe_problem(p)), file=sys.stderr if p.is_error else sys.stdout)


def cmd_check(args: argparse.Namespace) -> int:
    from ..services.secretariat.rounds import check_setup

    check, _setup = check_setup(args.folder)
    _print_problems(check.problems)
    if not check.ok:
        say("cli.round.check_failed", errors=len(check.errors), warnings=len(check.warnings), err=True)
        return EXIT_NEGATIVE
    say("cli.round.check_ok", round=check.round_id, proposals=check.proposals, reviewers=check.reviewers,
             assignments=check.assignments, conflicts=check.conflicts, warnings=len(check.warnings))
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    with open_secretariat() as sec:
        try:
            out = sec.setup_round(args.folder, update=args.update)
        except RoundSetupError as exc:
            _print_problems(exc.params.get("problems", ()))
            say("cli.round.check_failed", errors=exc.params.get("count", 0),
                     warnings=sum(1 for p in exc.params.get("problems", ()) if not p.is_error), err=True)
            return EXIT_INPUT
    _print_problems(out.check.warnings)
    key = "cli.round.updated" if out.updated else "cli.round.created"
    say(key, round=out.round_id, proposals=out.check.proposals, reviewers=out.check.reviewers,
             assignments=out.check.assignments, conflicts=out.check.conflicts)
    if out.needs_reissue:
        say("cli.round.needs_reissue", reviewers=", ".join(out.needs_reissue), round=out.round_id)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_secretariat() as sec:
        rounds = sec.rounds()
    if args.json:
        print_json([r.__dict__ for r in rounds])
        return EXIT_OK
    if not rounds:
        say("cli.round.no_rounds")
    for r in rounds:
        say("cli.round.list_line", round=r.round_id, title=r.title, deadline=r.deadline or "—", proposals=r.proposals,
                 reviewers=r.reviewers, issued=r.issued, returned=r.returned, decisions=r.decisions)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    with open_secretariat() as sec:
        ov = sec.overview(args.round)
    if args.json:
        print_json({"round": ov.summary.__dict__, "reviewers": [{**r.__dict__, "state": r.state.value} for r in ov.reviewers]})
        return EXIT_OK
    s = ov.summary
    say("cli.round.list_line", round=s.round_id, title=s.title, deadline=s.deadline or "—", proposals=s.proposals,
             reviewers=s.reviewers, issued=s.issued, returned=s.returned, decisions=s.decisions)
    for r in ov.reviewers:
        state = tr(f"secretariat.state.{r.state.value}")
        if r.revision is not None and r.state.value == "returned":
            state = tr("cli.round.returned_revision", revision=r.revision)
        late = tr("cli.round.overdue") if r.overdue else ""
        say("cli.round.reviewer_line", reviewer=r.reviewer_id, name=r.name, assigned=r.assigned, state=state,
                 overdue=late)
    return EXIT_OK


def _progress(kind: str) -> Any:
    """Progress on stderr only when a person watches (a terminal); scripts get clean output."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print("\r" + tr(kind, done=done, total=total), end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def cmd_issue(args: argparse.Namespace) -> int:
    keys = load_keys(args)
    with open_secretariat() as sec:
        report = sec.issue_bundles(args.round, args.output, keys, letters_dir=args.letters, reviewers=args.reviewer,
                                   reissue=args.reissue, overwrite=args.force, progress=_progress("cli.round.issuing"))
    say("cli.round.signed_by", fingerprint=report.signing_fingerprint)
    for item in report.items:
        state = tr(f"secretariat.issue_state.{item.state.value}")
        if item.bundle_path is not None:
            say("cli.round.issued_line", reviewer=item.reviewer_id, state=state, bundle=str(item.bundle_path),
                     letter=str(item.letter_path), proposals=item.proposals)
        else:
            say("cli.round.issue_skip_line", reviewer=item.reviewer_id, state=state)
        for code, params in item.warnings:
            say("warning." + code, err=True, **params)
    say("cli.round.letters_note")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ..services.secretariat import ImportStatus
    from ..services.secretariat.messages import describe_file_report

    keys = load_keys(args)
    with open_secretariat() as sec:
        report = sec.import_results(args.round, args.paths, keys, progress=_progress("cli.round.importing"))
    if args.json:
        print_json({"round": report.round_id, "cancelled": report.cancelled, "files": [
            {"path": str(f.path), "status": f.status.value, "code": f.code, "reason": describe_file_report(f) if f.code else "",
             "bundle_id": f.bundle_id, "reviewer_id": f.reviewer_id, "revision": f.revision,
             "reviewer_key": f.reviewer_key, "file_sha256": f.file_digest} for f in report.files]})
    else:
        for f in report.files:
            say("cli.round.import_line", status=tr(f"secretariat.import_status.{f.status.value}"), path=str(f.path),
                     detail=describe_file_report(f))
        say("cli.round.import_summary", imported=report.count(ImportStatus.IMPORTED),
                 history=report.count(ImportStatus.HISTORY), duplicate=report.count(ImportStatus.DUPLICATE),
                 rejected=report.count(ImportStatus.REJECTED))
    return EXIT_NEGATIVE if report.count(ImportStatus.REJECTED) else EXIT_OK
