"""``reviewer-app review …``: the reviewer's whole session, scriptable without a screen.

Every sub-command is one call into :mod:`reviewer_app.services.workspace`; secrets are
read from a prompt, a file (``--passphrase-file``) or the first line of standard input
(``--passphrase-stdin``), never from arguments (they would show in the process list and
shell history). Services are imported inside the handlers: recording a grade loads the
store and the rubric engine, not the bundle cryptography or the PDF renderer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..i18n import tr
from ._common import EXIT_INPUT, EXIT_NEGATIVE, EXIT_OK, add_command, add_group, add_output, hidden_alias, say
from ._passphrase import ask_passphrase, given_passphrase, passphrase_options

if TYPE_CHECKING:
    from ..services.workspace import Notice, ProposalFinding, Workspace

T = TypeVar("T")


def register(sub: Any) -> None:
    # Handlers of the bundle commands live in their own module (they reuse the helpers below).
    from .review_bundles_cmd import cmd_add, cmd_forget, cmd_list, cmd_read, cmd_remove, cmd_unlock
    g = add_group(sub, "review", "cli.review.help")

    p = add_command(g, "add", "cli.review.add_help", cmd_add)
    p.add_argument("file", help=tr("cli.review.file_arg"))
    p.add_argument("--unlock", action="store_true", help=tr("cli.review.unlock_now_help"))
    _secret_args(p)

    p = add_command(g, "unlock", "cli.review.unlock_help", cmd_unlock)
    _bundle_arg(p)
    _secret_args(p)

    p = add_command(g, "forget", "cli.review.forget_help", cmd_forget)
    _bundle_arg(p)

    p = add_command(g, "remove", "cli.review.remove.help", cmd_remove)
    _bundle_arg(p)
    p.add_argument("--yes", action="store_true", help=tr("cli.review.remove.yes_help"))

    p = add_command(g, "list", "cli.review.list_help", cmd_list)
    p.add_argument("bundle", nargs="?", help=tr("cli.review.bundle_arg"))

    p = add_command(g, "read", "cli.review.read_help", cmd_read)
    _bundle_arg(p, proposal=True)
    p.add_argument("--stdout", action="store_true", help=tr("cli.review.stdout_help"))
    passphrase_options(p)

    for name, handler, value in (("grade", cmd_grade, "mark"), ("figure", cmd_figure, "value")):
        p = add_command(g, name, f"cli.review.{name}_help", handler)
        _bundle_arg(p, proposal=True, item=True)
        p.add_argument(value)

    p = add_command(g, "named-figure", "cli.review.named_figure_help", cmd_named_figure)
    _bundle_arg(p, proposal=True)
    p.add_argument("name", help=tr("cli.review.named_figure_name_arg"))
    p.add_argument("value", help=tr("cli.review.named_figure_value_arg"))

    p = add_command(g, "comment", "cli.review.comment_help", cmd_comment)
    _bundle_arg(p, proposal=True, item=True)
    _text_arg(p)

    p = add_command(g, "unjudgeable", "cli.review.unjudgeable_help", cmd_unjudgeable)
    _bundle_arg(p, proposal=True, item=True)
    p.add_argument("--reason", default="", help=tr("cli.review.reason_help"))
    p.add_argument("--clear", action="store_true", help=tr("cli.review.clear_help"))

    p = add_command(g, "note", "cli.review.note_help", cmd_note)
    _bundle_arg(p, proposal=True)
    _text_arg(p)

    p = add_command(g, "coi", "cli.review.coi_help", cmd_coi)
    _bundle_arg(p, proposal=True)
    p.add_argument("--reason", default="", help=tr("cli.review.reason_help"))
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--withdraw", action="store_true", help=tr("cli.review.withdraw_help"))
    answer.add_argument("--none", action="store_true", help=tr("cli.review.none_help"))

    p = add_command(g, "check", "cli.review.check_help", cmd_check)
    _bundle_arg(p)
    p.add_argument("proposal", nargs="?", help=tr("cli.review.proposal_arg"))

    p = add_command(g, "distribution", "cli.review.distribution_help", cmd_distribution)
    _bundle_arg(p)

    p = add_command(g, "justify", "cli.review.justify_help", cmd_justify)
    _bundle_arg(p)
    _text_arg(p)

    p = add_command(g, "export", "cli.review.export_help", cmd_export)
    _bundle_arg(p)
    add_output(p, "cli.review.out_help")
    hidden_alias(p, "--out", "output")  # the spelling before -o/--output was used everywhere
    passphrase_options(p)

    p = add_command(g, "history", "cli.review.history_help", cmd_history)
    _bundle_arg(p)

    add_command(g, "audit", "cli.review.audit_help", cmd_audit)

    from . import review_rounds_cmd, review_sheets_cmd  # their handlers reuse the helpers below

    review_sheets_cmd.register_into(g)
    review_rounds_cmd.register_into(g)


def _bundle_arg(p: argparse.ArgumentParser, *, proposal: bool = False, item: bool = False) -> None:
    p.add_argument("bundle", help=tr("cli.review.bundle_arg"))
    if proposal:
        p.add_argument("proposal", help=tr("cli.review.proposal_arg"))
    if item:
        p.add_argument("item", help=tr("cli.review.item_arg"))


def _secret_args(p: argparse.ArgumentParser) -> None:
    passphrase_options(p)
    p.add_argument("--remember", action="store_true", help=tr("cli.review.remember_help"))


def _text_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="?")
    p.add_argument("--stdin", action="store_true", help=tr("cli.review.stdin_text_help"))


#: Standard input read for a text, at most: far above any text the limit allows (core.text).
_STDIN_TEXT_CAP = 16 * 1024 * 1024


def _text(args: argparse.Namespace, kind: str) -> str | None:
    """The text argument, or standard input with ``--stdin`` (UTF-8 required; a BOM is dropped)."""
    if not args.stdin:
        return args.text
    from ..core.errors import TextError
    from ..core.text import MAX_TEXT_CHARS

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (tests, embedding): already decoded
        raw = sys.stdin.read()
    else:
        data = buffer.read(_STDIN_TEXT_CAP + 1)
        if len(data) > _STDIN_TEXT_CAP:
            raise TextError(f"text.too_long.{kind}", length=len(data.decode("utf-8", "replace")), limit=MAX_TEXT_CHARS)
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TextError("text.not_utf8", field=kind) from None
    return raw.rstrip("\r\n")


def _notices(notices: tuple[Notice, ...]) -> None:
    for n in notices:
        say("warning." + n.code, err=True, **n.params)


def _with_secret(args: argparse.Namespace, bundle_id: str, call: Callable[[str | None], T]) -> T:
    """The passphrase given (file, stdin), else the remembered key, else a prompt at a terminal."""
    from ..core.errors import KeyringUnavailableError, WorkspaceError

    secret = given_passphrase(args)
    if secret is not None:
        return call(secret)
    try:
        return call(None)
    except (WorkspaceError, KeyringUnavailableError) as exc:
        # Nothing remembered (or the signing key is only in its passphrase-sealed file).
        if isinstance(exc, WorkspaceError) and exc.code != "workspace.passphrase_required":
            raise
    return call(ask_passphrase(bundle_id))


def _open(args: argparse.Namespace) -> tuple[Workspace, str]:
    from ..services.workspace import Workspace

    ws = Workspace()
    try:
        return ws, ws.resolve_bundle(args.bundle)
    except BaseException:
        ws.close()
        raise


# --- recording ----------------------------------------------------------------------


def _record(args: argparse.Namespace, call: Callable[[Workspace, str], object]) -> int:
    ws, bundle = _open(args)
    with ws:
        call(ws, bundle)
    say("cli.review.saved")
    return EXIT_OK


def _clear(value: str | None) -> str | None:
    return None if value in (None, "-", "") else value


def cmd_grade(args: argparse.Namespace) -> int:
    return _record(args, lambda ws, b: ws.record_grade(b, args.proposal, args.item, _clear(args.mark)))


def cmd_figure(args: argparse.Namespace) -> int:
    return _record(args, lambda ws, b: ws.record_figure(b, args.proposal, args.item, _clear(args.value)))


def cmd_named_figure(args: argparse.Namespace) -> int:
    return _record(args, lambda ws, b: ws.record_named_figure(b, args.proposal, args.name, _clear(args.value)))


def cmd_comment(args: argparse.Namespace) -> int:
    text = _text(args, "comment") or ""
    return _record(args, lambda ws, b: ws.record_comment(b, args.proposal, args.item, text))


def cmd_unjudgeable(args: argparse.Namespace) -> int:
    if args.clear:
        return _record(args, lambda ws, b: ws.clear_unjudgeable(b, args.proposal, args.item))
    return _record(args, lambda ws, b: ws.set_unjudgeable(b, args.proposal, args.item, args.reason))


def cmd_note(args: argparse.Namespace) -> int:
    text = _text(args, "note")
    if text is None:
        ws, bundle = _open(args)
        with ws:
            note = ws.note(bundle, args.proposal)
        print(_multiline(note) if note else tr("cli.review.note_empty"))
        return EXIT_OK
    return _record(args, lambda ws, b: ws.record_note(b, args.proposal, text))


def _multiline(text: str) -> str:
    from ..core.text import for_terminal

    return for_terminal(text, multiline=True)


def cmd_coi(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        if args.withdraw:
            ws.withdraw_conflict(bundle, args.proposal)
            say("cli.review.conflict_withdrawn", proposal=args.proposal)
        elif args.none:
            ws.confirm_no_conflict(bundle, args.proposal)
            say("cli.review.no_conflict_confirmed", proposal=args.proposal)
        else:
            ws.declare_conflict(bundle, args.proposal, args.reason)
            say("cli.review.conflict_declared", proposal=args.proposal)
    return EXIT_OK


def cmd_justify(args: argparse.Namespace) -> int:
    text = _text(args, "justification") or ""
    return _record(args, lambda ws, b: ws.set_justification(b, text))


# --- checking and export ------------------------------------------------------------


def _print_findings(ws: Workspace, bundle: str, findings: list[ProposalFinding] | tuple[ProposalFinding, ...]) -> None:
    from ..services.rubrics import finding_params

    rubric = ws.round_info(bundle).rubric
    for pf in findings:
        params = finding_params(rubric, pf.finding)
        say("cli.review.finding_line", proposal=pf.proposal_id, item=params["item"],
            severity=tr("severity." + pf.finding.severity.value),
            message=tr("finding." + pf.finding.code.value, **params))


def cmd_check(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        findings = ws.findings(bundle, args.proposal)
        if not findings:
            say("cli.review.no_findings")
        _print_findings(ws, bundle, findings)
        blocking = [f for f in findings if f.finding.severity.value == "blocking"]
        if blocking:
            say("cli.review.blocking_summary", count=len(blocking))
            return EXIT_NEGATIVE
    return EXIT_OK


def _pct(d: Any) -> str:
    from decimal import Decimal

    from ..core.rubric import format_points

    return format_points((d * 100).quantize(Decimal("0.1")))


def cmd_distribution(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        dist = ws.distribution(bundle)
        say("cli.review.dist_header", n=dist.n)
        for r in dist.rows:
            target = (tr("cli.review.dist_no_target") if r.target_share is None
                      else tr("cli.review.dist_target", share=_pct(r.target_share), allowed=r.allowed))
            verdict = tr("cli.review.dist_over", over=r.over_by) if r.over_by else tr("cli.review.dist_ok")
            say("cli.review.dist_line", band=r.label, count=r.count, share=_pct(r.share), target=target, verdict=verdict)
        text = ws.justification(bundle)
        if text:
            print(tr("cli.review.dist_justification", text=_multiline(text)))
        if not dist.within_targets:
            if not text:
                say("cli.review.dist_needs_justification")
            return EXIT_NEGATIVE
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from ..core.errors import ExportBlockedError
    from ._common import error_message

    ws, bundle = _open(args)
    with ws:
        try:
            # The output is checked before any passphrase is asked for (and before a revision is used).
            ws.export_output(bundle, args.output, overwrite=args.force)
            out = _with_secret(args, bundle, lambda s: ws.export(bundle, args.output, s, overwrite=args.force))
        except ExportBlockedError as exc:
            print(error_message(exc), file=sys.stderr)
            _print_findings(ws, bundle, exc.params.get("findings", ()))
            return EXIT_INPUT
        say("cli.review.exported", revision=out.revision, path=out.path, digest=out.digest)
        _notices(out.notices)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        rows = ws.export_history(bundle)
    if not rows:
        say("cli.review.no_history")
    for r in rows:
        say("cli.review.history_line", revision=r.revision, at=r.exported_at, digest=r.digest, path=r.path)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from ..services.workspace import Workspace

    with Workspace() as ws:
        status = ws.verify_audit()
    say("cli.review.audit_ok", events=status.events, head=status.head)
    return EXIT_OK
