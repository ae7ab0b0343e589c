"""``reviewer-app rubric …``: check a rubric file, show it, score entries against it.

The rubric engine is imported by the handlers, so building the parser for another command
costs nothing here.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import tr
from ._common import EXIT_NEGATIVE, EXIT_OK, add_command, add_group, print_json


def register(sub: Any) -> None:
    g = add_group(sub, "rubric", "cli.rubric.help")
    p = add_command(g, "check", "cli.rubric.check_help", cmd_check)
    p.add_argument("rubric", nargs="?", help=tr("cli.rubric.rubric_arg"))
    p = add_command(g, "show", "cli.rubric.show_help", cmd_show)
    p.add_argument("rubric", nargs="?", help=tr("cli.rubric.rubric_arg"))
    p = add_command(g, "score", "cli.rubric.score_help", cmd_score)
    p.add_argument("entries", help=tr("cli.rubric.entries_arg"))
    p.add_argument("--rubric", help=tr("cli.rubric.rubric_arg"))
    p.add_argument("--json", action="store_true", help=tr("cli.json_help"))
    p = add_command(g, "suggest", "cli.rubric.suggest_help", cmd_suggest)
    p.add_argument("item")
    p.add_argument("figure")
    p.add_argument("--rubric", help=tr("cli.rubric.rubric_arg"))


def cmd_check(args: argparse.Namespace) -> int:
    """Validate; print each viewpoint's reachable range and warn about unreachable bands."""
    import sys

    from ..core.reach import unreachable_bands, viewpoint_ranges
    from ..core.rubric import format_points
    from ..services.rubrics import load_rubric_arg

    r = load_rubric_arg(args.rubric)
    print(tr("cli.rubric.valid", title=r.title, items=len(r.items), total=format_points(r.total_points), digest=r.digest[:16]))
    for rng in viewpoint_ranges(r):
        v = r.viewpoint(rng.viewpoint_id)
        print(tr("cli.rubric.range", viewpoint=v.label, lowest=format_points(rng.lowest),
                 highest=format_points(rng.highest), points=format_points(v.points)))
    for u in unreachable_bands(r):
        # A warning, not an error: the file is valid, but a band's target share can never apply.
        print(tr("cli.rubric.unreachable_band", band=u.label, low=format_points(u.low),
                 high="—" if u.high is None else format_points(u.high),
                 viewpoint=r.viewpoint(u.viewpoint_id).label, lowest=format_points(u.lowest),
                 highest=format_points(u.highest)), file=sys.stderr)
    return EXIT_OK


def _check_line(c: Any) -> str:
    from ..core.rubric import format_points

    bound = tr("finding.bound.at_most" if c.compare == "<=" else "finding.bound.at_least",
               level=format_points(c.level), unit=c.unit)
    target = "" if c.target is None else tr("cli.rubric.check_target", target=format_points(c.target), unit=c.unit)
    strict = tr("cli.rubric.check_strict") if c.strict else ""
    return tr("cli.rubric.check_line", title=c.title, bound=bound, target=target, strict=strict, figure=c.figure)


def cmd_show(args: argparse.Namespace) -> int:
    """Everything the criteria say about each item, where a reviewer looks for it."""
    from ..core.rubric import Group, Item, Viewpoint, format_points, iter_item_tree
    from ..services.rubrics import load_rubric_arg

    r = load_rubric_arg(args.rubric)
    print(f"{r.title}（{r.issued} {r.issuer}）")
    for depth, node in iter_item_tree(r):
        pad = "  " * depth
        if isinstance(node, Viewpoint):
            print(f"{pad}{node.label} {node.title}（{format_points(node.points)}点）")
        elif isinstance(node, Group):
            print(f"{pad}{node.label} {node.title}（{format_points(node.points)}点）")
        elif isinstance(node, Item):
            scale = r.scale_of(node)
            print(f"{pad}{node.label} {node.title}（{format_points(node.points)}点・{scale.title}）")
            if node.description:
                print(f"{pad}  {tr('cli.rubric.description', text=node.description)}")
            if node.basis:
                b = node.basis
                print(f"{pad}  {tr('cli.rubric.basis_line', count=format_points(b.count), unit=b.unit, counts=b.counts)}")
            if node.document_refs:
                print(f"{pad}  {tr('cli.rubric.document_refs', refs='、'.join(node.document_refs))}")
            for p in node.perspectives:
                print(f"{pad}  {p.label} {p.text}")
                for c in p.checks:
                    print(f"{pad}    {_check_line(c)}")
            for n in node.notes:
                print(f"{pad}  {n}")
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from ..core.rubric import format_points
    from ..core.scoring import Severity
    from ..services.rubrics import finding_message, finding_params, load_rubric_arg, points_text, score_entries_file

    r = load_rubric_arg(args.rubric)
    _entries, result = score_entries_file(r, args.entries)
    if args.json:
        print_json(
            {
                "total": format_points(result.total),
                "viewpoints": {k: format_points(v) for k, v in result.viewpoint_totals.items()},
                "complete": result.complete,
                "band": result.band_id,
                "items": {
                    i.item_id: {
                        "mark": i.mark, "points": None if i.points is None else format_points(i.points),
                        "unjudgeable": i.unjudgeable, "entered_mark": i.entered_mark, "suggested": i.suggested_mark,
                        "checks": [
                            {"figure": c.check.figure, "perspective": c.check.perspective, "status": c.status.value,
                             "value": None if c.value is None else format_points(c.value),
                             "source": None if c.source is None else c.source.value}
                            for c in i.checks
                        ],
                    }
                    for i in result.items
                },
                "findings": [
                    {"item": f.item_id, "code": f.code.value, "severity": f.severity.value, "detail": dict(f.detail),
                     "message": finding_message(r, f)}
                    for f in result.findings
                ],
            }
        )
    else:
        for item, ir in zip(r.items, result.items):
            flag = tr("cli.rubric.unjudgeable_mark") if ir.unjudgeable else ""
            points = f"{points_text(ir.points)}/{format_points(ir.max_points)}"
            print(f"{r.display_label(item)} {item.title}: {ir.mark or '—'} {points}{flag}")
        for v in r.viewpoints:
            print(f"{v.label}: {points_text(result.viewpoint_totals[v.id])}/{format_points(v.points)}")
        print(tr("cli.rubric.total", total=points_text(result.total), max=format_points(r.total_points)))
        if result.band_id and r.bands:
            band = next(b for b in r.bands.bands if b.id == result.band_id)
            print(tr("cli.rubric.band", band=band.label))
        for f in result.findings:
            params = finding_params(r, f)
            print(f"[{tr('severity.' + f.severity.value)}] {params['item']} {finding_message(r, f)}")
    return EXIT_NEGATIVE if any(f.severity is Severity.BLOCKING for f in result.findings) else EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..core.scoring import suggest_mark
    from ..services.rubrics import load_rubric_arg

    r = load_rubric_arg(args.rubric)
    mark = suggest_mark(r, args.item, args.figure)
    if mark is None:
        print(tr("cli.rubric.no_suggestion"))
        return EXIT_NEGATIVE
    print(mark)
    return EXIT_OK
