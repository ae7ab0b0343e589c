"""``reviewer-app bundle …``: build an assignment bundle, inspect any bundle, verify a result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..lazy import lazy_module
from ._common import EXIT_NEGATIVE, EXIT_OK, add_command, add_group, error_message, print_json, say
from .secretariat_cmd import add_key_arguments, load_keys, new_passphrase, read_secret

bundle_service = lazy_module("reviewer_app.services.bundles")  # cryptography: loaded when a command runs


def register(sub: Any) -> None:
    g = add_group(sub, "bundle", "cli.bundle.help")
    p = add_command(g, "build", "cli.bundle.build_help", cmd_build)
    p.add_argument("description", type=Path, help=tr("cli.bundle.description_arg"))
    p.add_argument("-o", "--output", type=Path, help=tr("cli.bundle.output_arg"))
    p.add_argument("--force", action="store_true", help=tr("cli.force_help"))
    p.add_argument("--passphrase-file", type=Path, help=tr("cli.bundle.passphrase_file_arg"))
    add_key_arguments(p)
    p = add_command(g, "inspect", "cli.bundle.inspect_help", cmd_inspect)
    p.add_argument("file", type=Path, help=tr("cli.bundle.file_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "verify", "cli.bundle.verify_help", cmd_verify)
    p.add_argument("file", type=Path, help=tr("cli.bundle.file_arg"))
    p.add_argument("--record", action="store_true", help=tr("cli.bundle.record_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    add_key_arguments(p)


def cmd_build(args: argparse.Namespace) -> int:
    from ..core.output import prepare_output
    from ..services.bundle_description import load_assignment_description

    if args.output is not None:  # before the description is read or a secret is asked for
        prepare_output(args.output, overwrite=args.force)
    spec = load_assignment_description(args.description)
    default_name = f"{spec.settings.round_id}-{spec.reviewer.reviewer_id}{bundle_service.BUNDLE_SUFFIX}"
    out = prepare_output(args.output or args.description.with_name(default_name), overwrite=args.force)
    keys = load_keys(args)
    generated = args.passphrase_file is None
    passphrase = new_passphrase() if generated else read_secret(args.passphrase_file, "cli.bundle.passphrase_prompt",
                                                                new=True)
    registry = bundle_service.open_registry()
    try:
        report = bundle_service.build_assignment_bundle(spec, keys, out, passphrase, registry=registry,
                                                        overwrite=args.force)
    finally:
        registry.close()
    for w in report.warnings:  # a PDF the reviewer could not open: built anyway, named here
        say("warning." + w.code, err=True, **w.params)
    say("cli.bundle.built", path=report.path, bundle_id=report.bundle_id, proposals=len(spec.proposals))
    print(tr("cli.bundle.signed_by", fingerprint=keys.public.signing_fingerprint))
    if generated:
        print(tr("cli.bundle.passphrase_generated", passphrase=passphrase))
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    h = bundle_service.inspect_bundle(args.file)
    recipients = [r.type if not r.key_fingerprint else f"{r.type}:{r.key_fingerprint}" for r in h.recipients]
    if args.json:
        print_json({"format_version": h.format_version, "kind": h.kind.value, "bundle_id": h.bundle_id,
                    "signer": h.signer_fingerprint, "recipients": recipients, "size": h.file_size})
        return EXIT_OK
    print(tr("cli.bundle.kind_" + h.kind.value))
    print(tr("cli.bundle.header", version=h.format_version, bundle_id=h.bundle_id, size=h.file_size))
    print(tr("cli.bundle.claimed_signer", fingerprint=h.signer_fingerprint))
    print(tr("cli.bundle.recipients", recipients=", ".join(recipients)))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..core.errors import ReviewerAppError

    bundle_service.check_bundle_file(args.file, "result")  # a FIFO or a 20 GB file: refused before any key is asked for
    keys = load_keys(args)
    registry = bundle_service.open_registry()
    try:
        report = bundle_service.verify_result_bundle(args.file, keys, registry, record=args.record)
    finally:
        registry.close()
    p = report.payload
    if args.json:
        print_json({"outcome": report.outcome.value, "code": report.code,
                    "bundle_id": p and p.bundle_id, "reviewer_id": p and p.reviewer_id, "round_id": p and p.round_id,
                    "revision": p and p.revision, "reviewer_key": report.reviewer_key_fingerprint,
                    "file_sha256": report.file_digest, "recorded": bool(args.record and report.ok)})
    else:
        print(tr("cli.bundle.outcome." + report.outcome.value))
        if p is not None:
            say("cli.bundle.result_summary", reviewer=p.reviewer_id, round=p.round_id, revision=p.revision,
                proposals=len(p.proposals), fingerprint=report.reviewer_key_fingerprint)
        if not report.ok:
            print(error_message(ReviewerAppError(report.code, **report.params)))
        elif args.record:
            print(tr("cli.bundle.recorded"))
    return EXIT_OK if report.ok else EXIT_NEGATIVE
