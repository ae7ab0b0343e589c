"""``reviewer-app review add|unlock|forget|remove|list|read``: the bundles in the workspace.

Kept beside ``review_cmd`` (which registers them, so they sit with the other ``review``
commands) and sharing its helpers for secrets, notices and opening the workspace.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from typing import TYPE_CHECKING

from ..i18n import tr
from ._common import EXIT_NEGATIVE, EXIT_OK, say
from ._passphrase import ask_passphrase, given_passphrase
from .review_cmd import _notices, _open, _with_secret

if TYPE_CHECKING:
    from ..services.workspace import Workspace


def cmd_add(args: argparse.Namespace) -> int:
    from ..core.errors import WorkspaceError
    from ..services.workspace import Workspace

    with Workspace() as ws:
        secret = None
        try:
            out = ws.add_bundle(args.file)
        except WorkspaceError as exc:
            # A damaged stored copy and a different file: it replaces the copy once verified with the passphrase.
            if exc.code != "workspace.replace_needs_passphrase" or not args.unlock:
                raise
            secret = given_passphrase(args) or ask_passphrase(exc.params["bundle"])
            out = ws.add_bundle(args.file, secret)
        _notices(out.notices)
        if args.unlock:
            if out.added:
                say("cli.review.added_unlocking", bundle=out.bundle_id)
            return _unlock(ws, args, out.bundle_id, secret)
        if out.added:
            say("cli.review.added", bundle=out.bundle_id)
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        return _unlock(ws, args, bundle)


def _unlock(ws: Workspace, args: argparse.Namespace, bundle: str, secret: str | None = None) -> int:
    if secret is None:
        secret = given_passphrase(args)
    if secret is None:
        secret = ask_passphrase(bundle)
    out = ws.unlock(bundle, secret, remember=args.remember)
    say("cli.review.unlocked", bundle=out.bundle_id, round=out.round_id, reviewer=out.reviewer_name,
        count=out.proposals, fingerprint=out.secretariat_fingerprint)
    if out.remembered:
        say("cli.review.remembered")
    _notices(out.notices)
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    ws, bundle = _open(args)
    with ws:
        forgotten = ws.forget_passphrase(bundle)
    if forgotten is False:  # nothing was remembered (no keyring, or never asked to remember)
        say("cli.review.nothing_remembered", bundle=bundle)
    else:
        say("cli.review.forgotten", bundle=bundle)
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    """Say exactly what goes, ask (type the id's first 8 characters), then remove; ``--yes`` for scripts."""
    ws, bundle = _open(args)
    with ws:
        s = ws.removal_summary(bundle)
        say("cli.review.remove.what", bundle=bundle, round=s.round_id or "—")
        say("cli.review.remove.copy")
        say("cli.review.remove.entries", proposals=s.proposals, entries=s.entries, comments=s.comments)
        if s.notes or s.conflicts:
            say("cli.review.remove.notes", notes=s.notes, conflicts=s.conflicts)
        if s.justification:
            say("cli.review.remove.justification")
        if s.exports:
            say("cli.review.remove.exports", exports=s.exports)
        if s.unexported_changes and s.entries:
            say("cli.review.remove.unexported", err=True)
        say("cli.review.remove.kept", next=s.last_revision + 1)
        confirmed = args.yes
        if not confirmed and sys.stdin.isatty():
            answer = input(tr("cli.review.remove.confirm", prefix=bundle[:8]) + ": ").strip()
            confirmed = len(answer) >= 8 and bundle.startswith(answer)
            if not confirmed:
                say("cli.review.remove.cancelled")
                return EXIT_NEGATIVE
        ws.remove_bundle(bundle, confirmed=confirmed)  # without a terminal or --yes: a typed refusal
    say("cli.review.remove.removed", bundle=bundle)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ..services.workspace import Workspace

    with Workspace() as ws:
        if args.bundle is None:
            rows = ws.bundles()
            if not rows:
                say("cli.review.no_bundles")
            for b in rows:
                state = tr("cli.review.state_unlocked" if b.unlocked else "cli.review.state_locked")
                say("cli.review.bundle_line", bundle=b.bundle_id, round=b.round_id or "—",
                    reviewer=b.reviewer_name or "—", count=b.proposals, revision=b.result_revision, state=state)
            return EXIT_OK
        bundle = ws.resolve_bundle(args.bundle)
        ws.try_open(bundle)  # titles only when the key is remembered; never prompts
        for r in ws.proposals(bundle):
            say("cli.review.proposal_line", proposal=r.proposal_id, status=tr("workspace.status." + r.status.value),
                graded=r.graded, items=r.items, total=r.total or tr("cli.review.conflict_total"), title=r.title or "")
        _notices(ws.deadline_notices(ws.round_info(bundle)))
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    import hashlib

    from ..core.errors import WorkspaceError

    ws, bundle = _open(args)
    with ws:
        if args.stdout:
            mode = os.fstat(sys.stdout.fileno()).st_mode
            if stat.S_ISREG(mode):  # a redirect into a file would leave the plaintext on disk
                raise WorkspaceError("workspace.pdf_to_file_refused")
        data = _with_secret(args, bundle, lambda s: ws.read_pdf(bundle, args.proposal, s))
        if args.stdout:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return EXIT_OK
        meta = ws.proposal_meta(bundle, args.proposal)
        say("cli.review.read_summary", proposal=meta.proposal_id, title=meta.title, institution=meta.institution,
            type=meta.institution_type, region=meta.region, size=len(data), digest=hashlib.sha256(data).hexdigest())
    return EXIT_OK


