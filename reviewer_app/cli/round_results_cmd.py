"""``reviewer-app round aggregate|proposal|reviewers|decide|decisions|export|panel|tables|audit``.

Added to the ``round`` group by ``round_cmd``. Tables print as tab-separated lines with a
translated header (pipe into a spreadsheet or ``column -t``); ``--json`` gives every figure.
"""

from __future__ import annotations

import argparse
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..core.errors import SecretariatError
from ..i18n import tr
from ._common import EXIT_OK, add_command, add_output, print_json, say


def _row(*cells: object) -> None:
    """One tab-separated line; every cell escaped for the terminal (titles and comments are other people's text)."""
    from ..core.text import for_terminal

    print("\t".join(for_terminal(c).replace("\t", " ") for c in cells))


def add_commands(g: Any) -> None:
    from ..core.secretariat.view_names import VIEWS

    p = add_command(g, "aggregate", "cli.round.aggregate_help", cmd_aggregate)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "proposal", "cli.round.proposal_help", cmd_proposal)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("proposal", help=tr("cli.round.proposal_arg"))
    p = add_command(g, "reviewers", "cli.round.reviewers_help", cmd_reviewers)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "decide", "cli.round.decide_help", cmd_decide)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("proposal", help=tr("cli.round.proposal_arg"))
    p.add_argument("table", help=tr("cli.round.table_arg"))
    p.add_argument("code", help=tr("cli.round.code_arg"))
    p.add_argument("--note", default="", help=tr("cli.round.note_arg"))
    p.add_argument("--by", help=tr("cli.round.by_arg"))
    p = add_command(g, "decisions", "cli.round.decisions_help", cmd_decisions)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    p.add_argument("--history", action="store_true", help=tr("cli.round.history_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "export", "cli.round.export_help", cmd_export)
    p.add_argument("round", help=tr("cli.round.round_arg"))
    add_output(p, "cli.round.export_output_arg", required=True)
    p.add_argument("--view", choices=VIEWS, help=tr("cli.round.view_arg"))
    for name, help_key, handler in (("panel", "cli.round.panel_help", cmd_panel),
                                    ("tables", "cli.round.tables_help", cmd_tables)):
        p = add_command(g, name, help_key, handler)
        p.add_argument("round", help=tr("cli.round.round_arg"))
        add_output(p, "cli.round.pdf_output_arg", required=True)
    p = add_command(g, "audit", "cli.round.audit_help", cmd_audit)
    p.add_argument("round", nargs="?", help=tr("cli.round.round_arg"))


def _sec() -> Any:
    from .round_cmd import open_secretariat

    return open_secretariat()


def _n(value: Decimal | float | int | None, places: str = "0.1") -> str:
    if value is None:
        return "—"
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    q = d.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return format(q.normalize(), "f") if q == q.to_integral_value() else format(q, "f")


def _jd(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def cmd_aggregate(args: argparse.Namespace) -> int:
    with _sec() as sec:
        rubric = sec.rubric(args.round)
        agg = sec.aggregate(args.round)
        metas = {p.meta.proposal_id: p.meta for p in sec.proposals(args.round)}
    if args.json:
        print_json({"ranking": [{
            "proposal": s.proposal_id, "rank": s.rank, "standardized_rank": s.standardized_rank, "assigned": s.assigned,
            "returned": s.returned, "coi": s.coi, "counted": s.total.n, "mean": _jd(s.total.mean),
            "median": _jd(s.total.median), "min": _jd(s.total.minimum), "max": _jd(s.total.maximum),
            "sd": _jd(s.total.sd), "viewpoint_means": {k: _jd(v) for k, v in s.viewpoint_means.items()},
            "band_of_mean": s.band_of_mean, "band_counts": dict(s.band_counts), "standardized_mean": s.standardized_mean,
            "unjudgeable": s.unjudgeable,
            "reviews": [{"reviewer": r.reviewer_id, "coi": r.coi, "total": _jd(r.total),
                         "viewpoints": {k: str(v) for k, v in r.viewpoint_totals.items()}, "band": r.band_id,
                         "standardized": r.standardized, "revision": r.revision} for r in s.reviews]}
            for s in agg.ranking], "not_returned": list(agg.not_returned)})
        return EXIT_OK
    vps = [v.label for v in rubric.viewpoints]
    bands = rubric.bands.bands if rubric.bands else ()
    _row(tr("cli.round.col.rank"), tr("cli.round.col.std_rank"), tr("cli.round.col.proposal"),
         tr("cli.round.col.institution"), tr("cli.round.col.returned"), tr("cli.round.col.mean"),
         tr("cli.round.col.median"), tr("cli.round.col.range"), tr("cli.round.col.sd"), *vps,
         *(tr("secretariat.export.col.band_count", band=b.label) for b in bands), tr("cli.round.col.std_mean"))
    for s in agg.ranking:
        rng = "—" if s.total.minimum is None else f"{_n(s.total.minimum)}〜{_n(s.total.maximum)}"
        _row(s.rank or "—", s.standardized_rank or "—", s.proposal_id, metas[s.proposal_id].institution,
             f"{s.returned - s.coi}/{s.assigned}", _n(s.total.mean), _n(s.total.median), rng, _n(s.total.sd, "0.01"),
             *(_n(s.viewpoint_means[v.id]) for v in rubric.viewpoints), *(s.band_counts.get(b.id, 0) for b in bands),
             _n(s.standardized_mean))
    if agg.not_returned:
        say("cli.round.not_returned", reviewers=", ".join(agg.not_returned))
    return EXIT_OK


def cmd_proposal(args: argparse.Namespace) -> int:
    with _sec() as sec:
        rubric = sec.rubric(args.round)
        metas = {p.meta.proposal_id: p.meta for p in sec.proposals(args.round)}
        if args.proposal not in metas:
            raise SecretariatError("secretariat.unknown_proposal", proposal=args.proposal, round=args.round)
        summary = next(s for s in sec.aggregate(args.round).proposals if s.proposal_id == args.proposal)
        reviews = sec.reviews(args.round, args.proposal)
    m = metas[args.proposal]
    _row(f"{m.proposal_id} {m.institution}（{m.institution_type}・{m.region}）{m.title}")
    say("cli.round.proposal_summary", returned=summary.returned, assigned=summary.assigned, coi=summary.coi,
             mean=_n(summary.total.mean), median=_n(summary.total.median), sd=_n(summary.total.sd, "0.01"))
    scores = {r.reviewer_id: r for r in summary.reviews}
    for r in reviews:
        s = scores.get(r.reviewer_id)
        if r.coi:
            say("cli.round.review_coi", reviewer=r.reviewer_id, reason=r.coi_reason or "—")
            continue
        totals = " ".join(f"{v.label} {_n(s.viewpoint_totals.get(v.id))}" for v in rubric.viewpoints) if s else ""
        say("cli.round.review_head", reviewer=r.reviewer_id, revision=r.revision, totals=totals,
                 total=_n(s.total if s else None), standardized=_n(s.standardized if s else None))
        for e in r.entries:
            item = rubric.item(e.item_id)
            flag = tr("cli.round.unjudgeable_flag", reason=e.reason) if e.unjudgeable else ""
            _row(f"  {rubric.display_label(item)}", e.mark, _n(e.points), f"{flag}{e.comment}".replace("\n", " "))
    return EXIT_OK


def cmd_reviewers(args: argparse.Namespace) -> int:
    with _sec() as sec:
        agg = sec.aggregate(args.round)
        names = {r.reviewer_id: r.name for r in sec.reviewers(args.round)}
    if args.json:
        print_json([{"reviewer": r.reviewer_id, "assigned": r.assigned, "returned": r.returned, "revision": r.revision,
                     "counted": r.counted, "coi": r.coi, "mean": _jd(r.total.mean), "sd": _jd(r.total.sd),
                     "leniency": _jd(r.leniency), "leniency_n": r.leniency_n,
                     "distribution": None if r.distribution is None else [
                         {"band": b.band_id, "count": b.count, "share": str(b.share),
                          "target": None if b.target_share is None else str(b.target_share), "allowed": b.allowed,
                          "over_by": b.over_by} for b in r.distribution.rows]} for r in agg.reviewers])
        return EXIT_OK
    for r in agg.reviewers:
        state = tr("cli.round.returned_revision", revision=r.revision) if r.returned else tr("secretariat.state.issued")
        say("cli.round.reviewer_summary", reviewer=r.reviewer_id, name=names.get(r.reviewer_id, ""), state=state,
                 counted=r.counted, assigned=r.assigned, mean=_n(r.total.mean), sd=_n(r.total.sd, "0.01"),
                 leniency=_n(r.leniency), n=r.leniency_n)
        if r.distribution is not None:
            for b in r.distribution.rows:
                target = "—" if b.target_share is None else f"{_n(b.target_share * 100)}%（{b.allowed}）"
                over = tr("cli.round.over_by", over=b.over_by) if b.over_by else ""
                _row(f"    {b.label}", b.count, f"{_n(b.share * 100)}%", target, over)
    return EXIT_OK


def _print_balance(b: Any) -> None:
    say("secretariat.tables.balance", codes=" ".join(b.codes), selected=b.selected, applicants=b.applicants)
    for title, rows in ((tr("secretariat.tables.by_region"), b.by_region), (tr("secretariat.tables.by_type"), b.by_type)):
        _row("  " + title + "：" + "、".join(f"{r.key} {r.selected}（{_n(r.share * 100)}%）/ {r.applicants}" for r in rows))


def cmd_decide(args: argparse.Namespace) -> int:
    with _sec() as sec:
        d = sec.record_decision(args.round, args.proposal, args.table, args.code, note=args.note, by=args.by)
        table = next(t for t in sec.rubric(args.round).decision_tables if t.id == d.table_id)
        b = sec.balance(args.round, d.table_id) if d.table_id in sec.selecting_tables(args.round) else None
    say("cli.round.decided", proposal=d.proposal_id, table=table.title, code=d.code,
             label=next(o.label for o in table.options if o.code == d.code), by=d.recorded_by, at=d.recorded_at)
    if b is not None:
        _print_balance(b)
    return EXIT_OK


def cmd_decisions(args: argparse.Namespace) -> int:
    with _sec() as sec:
        rubric = sec.rubric(args.round)
        decisions = sec.decisions(args.round, history=args.history)
        balances = [sec.balance(args.round, t) for t in sec.selecting_tables(args.round)]
    titles = {t.id: t.title for t in rubric.decision_tables}
    if args.json:
        print_json([{"id": d.decision_id, "proposal": d.proposal_id, "table": d.table_id, "code": d.code, "note": d.note,
                     "by": d.recorded_by, "at": d.recorded_at} for d in decisions])
        return EXIT_OK
    for d in decisions:
        _row(titles.get(d.table_id, d.table_id), d.proposal_id, d.code, d.recorded_by, d.recorded_at, d.note.replace("\n", " "))
    for b in balances:
        _row(titles.get(b.table_id, b.table_id))
        _print_balance(b)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.output)
    with _sec() as sec:
        if out.suffix.lower() == ".xlsx":
            views = [args.view] if args.view else None
            written = sec.export_xlsx(args.round, out, overwrite=args.force, **({"views": views} if views else {}))
        elif out.suffix.lower() == ".csv":
            written = sec.export_csv(args.round, args.view or "proposals", out, overwrite=args.force)
        else:
            raise SecretariatError("secretariat.export.unknown_format", path=str(out))
    say("cli.round.exported", path=str(written.path), rows=written.rows)
    return EXIT_OK


def _pdf(args: argparse.Namespace, method: str) -> int:
    with _sec() as sec:
        written = getattr(sec, method)(args.round, args.output, overwrite=args.force)
    for w in written.warnings:
        say("cli.sheets.warning", message=w, err=True)
    say("cli.sheets.written", path=str(written.path), pages=written.pages)
    return EXIT_OK


def cmd_panel(args: argparse.Namespace) -> int:
    return _pdf(args, "panel_pdf")


def cmd_tables(args: argparse.Namespace) -> int:
    return _pdf(args, "decision_tables_pdf")


def cmd_audit(args: argparse.Namespace) -> int:
    with _sec() as sec:
        count, head = sec.verify_audit()
        events = sec.audit_log(args.round)
    for e in events:
        _row(e.seq, e.at, e.round_id or "", e.actor, e.action, e.subject or "", e.detail or "")
    say("cli.round.audit_ok", events=count, head=head)
    return EXIT_OK
