"""A whole round, scripted end to end through the services, every figure checked against the test's own arithmetic.

Set up from the example folder (5 reviewers × 8 proposals, two conflicts of interest), issue
bundles, let five reviewers score in their own workspaces (an unjudgeable entry, a declared
conflict, figures, a second revision), import them together with a tampered file, a replay,
a duplicate, a result for another round, a revision signed by a stranger's key after a genuine
first revision, and validly signed results whose content is wrong; aggregate, decide, export
and read the exports back.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from reviewer_app.core.bundle.result import open_result
from reviewer_app.core.errors import SecretariatError
from reviewer_app.core.keys import ReviewerKey
from reviewer_app.i18n import tr
from reviewer_app.services import bundles as bundle_service
from reviewer_app.services.secretariat import ImportStatus, Secretariat
from tests.services.secretariat import oracle as orc
from tests.services.secretariat.forge import as_doc, complete_payload, signed_result
from tests.services.secretariat.round_fixtures import (
    FAST_KDF,
    ROUND,
    PassphraseLog,
    ReviewerPlan,
    copy_example,
    make_plan,
    new_keys,
    play_reviewer,
)

pytestmark = pytest.mark.slow


def _close(a: Decimal | float | None, b: Fraction | float, tol: float = 1e-9) -> bool:
    return a is not None and abs(float(a) - float(b)) <= tol


def _exact(a: Decimal | None, b: Fraction) -> bool:
    """Equal up to the 28 significant digits a Decimal carries (a mean like 1/3 cannot be closer)."""
    return a is not None and abs(Fraction(a) - b) <= Fraction(1, 10**20)


@pytest.fixture(scope="module")
def round_run(tmp_path_factory):
    """Everything up to the imports, done once for the module's checks."""
    import os

    base = tmp_path_factory.mktemp("round")
    sec_home = base / "secretariat-home"
    sec_home.mkdir()
    old_home = os.environ.get("REVIEWER_APP_HOME")
    os.environ["REVIEWER_APP_HOME"] = str(sec_home)
    try:
        yield _run(base)
    finally:
        if old_home is not None:
            os.environ["REVIEWER_APP_HOME"] = old_home


def _run(base: Path) -> dict:
    keys = new_keys()
    folder = copy_example(base / "setup")
    # Grade points unlike the rubric file's own, so the totals prove the round's override reached the reviewers.
    rt = folder / "round.toml"
    rt.write_text(rt.read_text("utf-8").replace("b = 75\nc = 50\nd = 25", "b = 70\nc = 40\nd = 10"), "utf-8")
    assert "b = 70" in rt.read_text("utf-8")
    other = copy_example(base / "setup-other")
    toml = other / "round.toml"
    toml.write_text(toml.read_text("utf-8").replace('id = "2009-R1"', 'id = "2009-R2"'), "utf-8")
    sec = Secretariat(actor="事務局 太郎")
    sec.setup_round(folder)
    sec.setup_round(other)
    out = base / "bundles"
    out.mkdir()
    log = PassphraseLog()
    issued = sec.issue_bundles(ROUND, out, keys, kdf=FAST_KDF, passphrases=log)
    bundles = {i.reviewer_id: (i.bundle_path, p) for i, p in zip(issued.written, log.issued, strict=True)}
    rubric = sec.rubric(ROUND)
    items = [(i.id, rubric.scale_of(i).codes) for i in rubric.items]
    assigned: dict[str, list[str]] = {}
    for r, p in sec.assignments(ROUND):
        assigned.setdefault(r, []).append(p)

    plans = {r: make_plan(r, assigned[r], items, seed=n) for n, r in enumerate(sorted(assigned), 1)}
    plans["R01"].unjudgeable[("P-002", "1-3")] = "5-(3) の記載がなく判断できない"
    plans["R01"].figures[("P-001", "1-1")] = Decimal("412")
    plans["R02"].unjudgeable[("P-001", "2-4")] = "事務所の計画が記載されていない"
    plans["R05"].conflicts["P-008"] = "申請大学の共同研究者である"
    work = base / "reviewers"
    returned = base / "returned"
    returned.mkdir()
    for r, plan in plans.items():
        path, pp = bundles[r]
        play_reviewer(work / r, path, pp, plan, returned / f"{r}.rvb")
    # R03 changes one grade and exports a second revision.
    r3 = plans["R03"]
    r3v2 = ReviewerPlan("R03", dict(r3.marks), dict(r3.unjudgeable), dict(r3.conflicts), dict(r3.figures))
    key = ("P-004", "2-1")
    r3v2.marks[key] = "d" if r3.marks[key] != "d" else "a"
    shutil.copy(returned / "R03.rvb", base / "R03-rev1.rvb")
    from tests.services.secretariat.round_fixtures import export_plan, home

    with home(work / "R03"):
        from reviewer_app.services.workspace import Workspace

        with Workspace() as ws:
            bid = ws.bundles()[0].bundle_id
            ws.record_grade(bid, key[0], key[1], r3v2.marks[key])
            export_plan(ws, bid, r3v2, "理由")
            ws.export(bid, base / "R03-rev2.rvb", bundles["R03"][1])

    # Batch A: R01's genuine first revision and R03's second revision.
    first = sec.import_results(ROUND, [returned / "R01.rvb", base / "R03-rev2.rvb"], keys)
    after_first = sec.aggregate(ROUND)

    incoming = base / "incoming"
    incoming.mkdir()
    for r in ("R02", "R04", "R05"):
        shutil.copy(returned / f"{r}.rvb", incoming / f"{r}.rvb")
    shutil.copy(returned / "R02.rvb", incoming / "R02-copy.rvb")  # the same file twice
    shutil.copy(returned / "R01.rvb", incoming / "R01.rvb")  # imported in batch A already
    shutil.copy(base / "R03-rev1.rvb", incoming / "R03-rev1.rvb")  # a replay of the older revision
    tampered = bytearray((returned / "R04.rvb").read_bytes())
    tampered[len(tampered) // 3] ^= 0x01
    (incoming / "R04-tampered.rvb").write_bytes(bytes(tampered))

    # A stranger who got R01's file and passphrase signs "revision 2" with their own key.
    opened = bundle_service.open_assignment(bundles["R01"][0], bundles["R01"][1])
    genuine, _pub, _fp = open_result(returned / "R01.rvb", keys)
    stranger = ReviewerKey.generate()
    bundle_service.build_result_bundle(opened, replace(genuine, revision=2), stranger, incoming / "R01-stranger.rvb")

    # A result for the other round's bundle.
    out2 = base / "bundles-other"
    out2.mkdir()
    log2 = PassphraseLog()
    other_issue = sec.issue_bundles("2009-R2", out2, keys, kdf=FAST_KDF, reviewers=["R01"], passphrases=log2)
    o2 = bundle_service.open_assignment(other_issue.written[0].bundle_path, log2.issued[0]).result_target()
    bundle_service.build_result_bundle(
        bundle_service.open_assignment(other_issue.written[0].bundle_path, log2.issued[0]),
        complete_payload(o2, rubric, 1), ReviewerKey.generate(), incoming / "other-round.rvb")

    # Validly signed, wrong content: R05's assignment (the binding key comes with bundle + passphrase).
    t5 = bundle_service.open_assignment(bundles["R05"][0], bundles["R05"][1]).result_target()
    wrong_key = ReviewerKey.generate()
    base_doc = as_doc(complete_payload(t5, rubric, 2))
    for name, change in _bad_payloads(rubric).items():
        doc = as_doc(complete_payload(t5, rubric, 2 + len(name)))
        doc["revision"] = base_doc["revision"] + len(name)
        change(doc)
        signed_result(t5, doc, wrong_key, incoming / f"bad-{name}.rvb")

    counts_before = _counts(sec)
    second = sec.import_results(ROUND, [incoming], keys)
    counts_after = _counts(sec)
    again = sec.import_results(ROUND, [incoming], keys)
    counts_again = _counts(sec)
    return {"sec": sec, "keys": keys, "plans": plans, "r3v2": r3v2, "first": first, "after_first": after_first,
            "second": second, "again": again, "counts": (counts_before, counts_after, counts_again), "folder": folder,
            "base": base, "rubric": rubric, "assigned": assigned, "passphrases": log.issued + log2.issued}


def _bad_payloads(rubric) -> dict:
    level = next(i.id for i in rubric.items if rubric.scale_of(i).kind == "level")
    grade = next(i.id for i in rubric.items if rubric.scale_of(i).kind == "grade")

    def unknown_item(d):
        d["proposals"][0]["entries"][0]["item_id"] = "9-9"

    def mark_e(d):
        e = next(e for e in d["proposals"][0]["entries"] if e["item_id"] == grade)
        e["mark"] = "e"

    def nan_figure(d):
        e = next(e for e in d["proposals"][0]["entries"] if e["item_id"] == level)
        e["figure"] = "NaN"

    def missing_proposal(d):
        d["proposals"].pop()

    def a_without_comment(d):
        e = next(e for e in d["proposals"][1]["entries"] if e["item_id"] == grade)
        e["mark"], e["comment"] = "a", "  "

    def duplicated_item(d):
        d["proposals"][0]["entries"].append(dict(d["proposals"][0]["entries"][0]))

    return {"unknown-item": unknown_item, "mark-e": mark_e, "nan-figure": nan_figure,
            "missing-proposal": missing_proposal, "a-without-comment": a_without_comment, "duplicated-item": duplicated_item}


def _counts(sec: Secretariat) -> tuple:
    c = sec.conn
    counts = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("results", "result_proposals", "result_entries", "audit", "issued")]
    counts.append(c.execute("SELECT count(payload) FROM results").fetchone()[0])
    pointers = c.execute("SELECT bundle_id, current_revision, pinned_key FROM issued ORDER BY bundle_id").fetchall()
    return (*counts, tuple(pointers))


def _by_name(report) -> dict:
    return {f.path.name: f for f in report.files}


# --- imports ----------------------------------------------------------------------------------


def test_first_batch_imports_and_pins(round_run):
    files = _by_name(round_run["first"])
    assert {n: f.status for n, f in files.items()} == {"R01.rvb": ImportStatus.IMPORTED, "R03-rev2.rvb": ImportStatus.IMPORTED}
    assert round_run["after_first"].not_returned == ("R02", "R04", "R05")


def test_every_file_of_the_mixed_batch_gets_its_own_verdict(round_run):
    files = _by_name(round_run["second"])
    status = {n: f.status for n, f in files.items()}
    # The same file under two names: one is imported, the other is the unchanged duplicate.
    assert sorted([status.pop("R02.rvb"), status.pop("R02-copy.rvb")]) == sorted([ImportStatus.IMPORTED, ImportStatus.DUPLICATE])
    assert status.pop("R04.rvb") is ImportStatus.IMPORTED
    assert status.pop("R05.rvb") is ImportStatus.IMPORTED
    assert status.pop("R01.rvb") is ImportStatus.DUPLICATE
    assert status.pop("R03-rev1.rvb") is ImportStatus.HISTORY
    assert set(status.values()) == {ImportStatus.REJECTED}
    codes = {n: files[n].code for n in status}
    assert codes["R04-tampered.rvb"].startswith("bundle.")
    assert codes["R01-stranger.rvb"] == "secretariat.import.key_not_pinned"
    assert files["R01-stranger.rvb"].params["pinned"] == _by_name(round_run["first"])["R01.rvb"].reviewer_key
    assert codes["other-round.rvb"] == "secretariat.import.wrong_round"
    payload = "secretariat.import.payload."
    assert codes["bad-unknown-item.rvb"] == payload + "unknown_item"
    assert codes["bad-mark-e.rvb"] == payload + "unknown_mark"
    assert codes["bad-missing-proposal.rvb"] == payload + "missing_proposal"
    assert codes["bad-a-without-comment.rvb"] == payload + "comment_required"
    # NaN and a repeated item break the payload grammar: the bundle reader or the content check refuses them,
    # each naming the field.
    assert codes["bad-nan-figure.rvb"] in (payload + "bad_figure", "bundle.format.malformed")
    assert "figure" in str(files["bad-nan-figure.rvb"].params)
    assert codes["bad-duplicated-item.rvb"] in (payload + "duplicate_item", "bundle.format.malformed")
    assert "item" in str(files["bad-duplicated-item.rvb"].params)


def test_rejections_are_explained_in_words_in_both_languages(round_run, monkeypatch):
    from reviewer_app import i18n
    from reviewer_app.services.secretariat.messages import describe_file_report

    for lang in ("ja", "en"):
        monkeypatch.setattr(i18n, "_current", lang)
        for f in round_run["second"].files:
            text = describe_file_report(f)
            assert text and "{" not in text and "Error" not in text and "secretariat.import" not in text


def test_importing_the_same_folder_twice_changes_nothing(round_run):
    before, after, again = round_run["counts"]
    assert before != after  # the first import of the folder did change things
    assert after == again
    second, third = _by_name(round_run["second"]), _by_name(round_run["again"])
    for name, f in third.items():
        if second[name].status in (ImportStatus.IMPORTED, ImportStatus.HISTORY, ImportStatus.DUPLICATE):
            assert f.status is ImportStatus.DUPLICATE, name
        else:
            assert (f.status, f.code) == (second[name].status, second[name].code), name


def test_the_newer_revision_stays_current_and_the_older_is_history(round_run):
    sec = round_run["sec"]
    hist = [h for h in sec.result_history(ROUND) if h.reviewer_id == "R03"]
    assert [(h.revision, h.current) for h in hist] == [(1, False), (2, True)]
    r3 = {r.proposal_id: r for r in sec.reviews(ROUND) if r.reviewer_id == "R03"}
    changed = r3["P-004"].entries[[e.item_id for e in r3["P-004"].entries].index("2-1")]
    assert changed.mark == round_run["r3v2"].marks[("P-004", "2-1")]
    assert {r.revision for r in r3.values()} == {2}


# --- aggregation against the oracle ----------------------------------------------------------


def _expected(run) -> dict:
    o = orc.load_oracle(run["folder"] / "round.toml")
    plans: dict[str, ReviewerPlan] = dict(run["plans"])
    plans["R03"] = run["r3v2"]
    reviews: dict[tuple[str, str], dict] = {}
    for r, plan in plans.items():
        for pid in run["assigned"][r]:
            if pid in plan.conflicts:
                reviews[(r, pid)] = {"coi": True}
                continue
            marks = {}
            for item_id in o.item_order:
                if (pid, item_id) in plan.unjudgeable:
                    marks[item_id] = o.forced[o.scale[item_id]]
                else:
                    marks[item_id] = plan.marks[(pid, item_id)]
            vps: dict[str, Fraction] = {}
            for item_id, m in marks.items():
                vps[o.viewpoint[item_id]] = vps.get(o.viewpoint[item_id], Fraction(0)) + o.item_points(item_id, m)
            reviews[(r, pid)] = {"coi": False, "marks": marks, "vps": vps, "total": sum(vps.values(), Fraction(0)),
                                 "band": orc.band_of(o, vps[o.banded])}
    return {"o": o, "reviews": reviews}


def test_every_review_total_matches_the_rubric_arithmetic(round_run):
    exp = _expected(round_run)
    agg = round_run["sec"].aggregate(ROUND)
    seen = 0
    for s in agg.proposals:
        for r in s.reviews:
            e = exp["reviews"][(r.reviewer_id, s.proposal_id)]
            assert r.coi == e["coi"]
            if e["coi"]:
                assert r.total is None
                continue
            assert r.total == e["total"]
            assert {k: Fraction(v) for k, v in r.viewpoint_totals.items()} == e["vps"]
            assert r.band_id == e["band"]
            seen += 1
    assert seen == sum(1 for e in exp["reviews"].values() if not e["coi"]) == 37


def test_item_grades_points_comments_and_flags_are_those_entered(round_run):
    exp = _expected(round_run)
    o = exp["o"]
    plans = dict(round_run["plans"])
    plans["R03"] = round_run["r3v2"]
    for rev in round_run["sec"].reviews(ROUND):
        e = exp["reviews"][(rev.reviewer_id, rev.proposal_id)]
        plan = plans[rev.reviewer_id]
        if e["coi"]:
            assert rev.coi and rev.entries == () and rev.coi_reason == plan.conflicts[rev.proposal_id]
            continue
        assert [x.item_id for x in rev.entries] == o.item_order
        for x in rev.entries:
            assert x.mark == e["marks"][x.item_id]
            assert x.points == o.item_points(x.item_id, x.mark)
            assert x.comment == plan.comment(rev.proposal_id, x.item_id)
            assert x.unjudgeable == ((rev.proposal_id, x.item_id) in plan.unjudgeable)
            assert x.reason == plan.unjudgeable.get((rev.proposal_id, x.item_id), "")
            assert x.figure == plan.figures.get((rev.proposal_id, x.item_id))


def test_per_proposal_statistics_and_both_rankings(round_run):
    exp = _expected(round_run)
    reviews = exp["reviews"]
    agg = round_run["sec"].aggregate(ROUND)
    # Standardized (T) scores per reviewer over their own counted totals.
    by_r: dict[str, list[Fraction]] = {}
    for (r, _p), e in reviews.items():
        if not e["coi"]:
            by_r.setdefault(r, []).append(e["total"])
    t = {}
    for (r, p), e in reviews.items():
        if not e["coi"]:
            m, sd = orc.mean(by_r[r]), orc.pstdev(by_r[r])
            t[(r, p)] = 50 + 10 * float(e["total"] - m) / sd
    means, std_means = {}, {}
    for s in agg.proposals:
        counted = {r: e for (r, p), e in reviews.items() if p == s.proposal_id and not e["coi"]}
        totals = [e["total"] for e in counted.values()]
        assert s.assigned == sum(1 for (r, p) in reviews if p == s.proposal_id)
        assert s.returned == s.assigned  # everyone returned by now
        assert s.coi == sum(1 for (r, p), e in reviews.items() if p == s.proposal_id and e["coi"])
        assert s.total.n == len(totals)
        assert _exact(s.total.mean, orc.mean(totals))
        assert s.total.median == orc.median(totals)
        assert (s.total.minimum, s.total.maximum) == (min(totals), max(totals))
        assert s.total.spread == max(totals) - min(totals)
        assert _close(s.total.sd, orc.pstdev(totals))
        for vp in ("1", "2"):
            assert _exact(s.viewpoint_means[vp], orc.mean([e["vps"][vp] for e in counted.values()]))
        assert s.band_of_mean == orc.band_of(exp["o"], orc.mean([e["vps"]["2"] for e in counted.values()]))
        expected_std = sum(t[(r, s.proposal_id)] for r in counted) / len(counted)
        assert _close(s.standardized_mean, expected_std, 1e-6)
        for r in s.reviews:
            if not r.coi:
                assert _close(r.standardized, t[(r.reviewer_id, s.proposal_id)], 1e-6)
        plans = {**round_run["plans"], "R03": round_run["r3v2"]}
        assert s.unjudgeable == sum(1 for r in counted for (pid, _i) in plans[r].unjudgeable if pid == s.proposal_id)
        means[s.proposal_id] = orc.mean(totals)
        std_means[s.proposal_id] = expected_std
    ranks = orc.competition_ranks(means)
    assert {s.proposal_id: s.rank for s in agg.proposals} == ranks
    assert [s.proposal_id for s in agg.ranking] == sorted(means, key=lambda p: (-means[p], p))
    std_ranks = orc.competition_ranks({p: round(v, 9) for p, v in std_means.items()})
    assert {s.proposal_id: s.standardized_rank for s in agg.proposals} == std_ranks


def test_per_reviewer_distribution_and_leniency(round_run):
    exp = _expected(round_run)
    reviews = exp["reviews"]
    agg = round_run["sec"].aggregate(ROUND)
    targets = {"190+": Fraction(1, 4), "140-189": Fraction(1, 2), "90-139": Fraction(1, 2), "0-89": Fraction(1, 4)}
    for rv in agg.reviewers:
        mine = {p: e for (r, p), e in reviews.items() if r == rv.reviewer_id and not e["coi"]}
        assert rv.counted == len(mine) and rv.returned
        assert _exact(rv.total.mean, orc.mean([e["total"] for e in mine.values()]))
        offsets = []
        for p, e in mine.items():
            others = [x["total"] for (r, q), x in reviews.items() if q == p and r != rv.reviewer_id and not x["coi"]]
            if others:
                offsets.append(e["total"] - orc.mean(others))
        assert _exact(rv.leniency, orc.mean(offsets)) and rv.leniency_n == len(offsets)
        rows = {b.band_id: b for b in rv.distribution.rows}
        for band, share in targets.items():
            count = sum(1 for e in mine.values() if e["band"] == band)
            assert rows[band].count == count
            assert rows[band].allowed == int(share * len(mine))  # floor of share × n
            assert rows[band].over_by == max(0, count - int(share * len(mine)))


# --- decisions ---------------------------------------------------------------------------------


def test_decisions_follow_the_tables_and_keep_their_history(round_run):
    sec: Secretariat = round_run["sec"]
    agg = sec.aggregate(ROUND)
    top = [s.proposal_id for s in agg.ranking[:4]]
    rest = [s.proposal_id for s in agg.ranking[4:]]
    for pid in top:
        sec.record_decision(ROUND, pid, "表1", "○", note="書面審査上位", by="委員長")
    for pid in rest:
        sec.record_decision(ROUND, pid, "table1", "x", by="委員長")
    with pytest.raises(SecretariatError) as exc:
        sec.record_decision(ROUND, rest[0], "表2", "a", by="委員長")
    assert exc.value.code == "secretariat.decision.not_eligible"
    with pytest.raises(SecretariatError):
        sec.record_decision(ROUND, top[0], "表4", "○", by="委員長")  # 表3 not decided yet
    with pytest.raises(SecretariatError):
        sec.record_decision(ROUND, top[0], "表1", "△", by="委員長")  # not an option of 表1
    sec.record_decision(ROUND, top[0], "表2", "a", note="明確な計画", by="部会")
    sec.record_decision(ROUND, top[0], "表3", "○", by="部会")
    sec.record_decision(ROUND, top[1], "表2", "c", by="部会")
    sec.record_decision(ROUND, top[1], "表3", "△", by="部会")
    sec.record_decision(ROUND, top[0], "表4", "○", by="プログラム委員会")
    sec.record_decision(ROUND, top[1], "表4", "×", by="プログラム委員会")
    # A change of mind on 表1: the earlier record stays in the history.
    sec.record_decision(ROUND, top[3], "表1", "×", note="地域バランスを考慮", by="委員長")
    now = {(d.proposal_id, d.table_id): d for d in sec.decisions(ROUND)}
    assert now[(top[3], "table1")].code == "×" and now[(top[3], "table1")].note == "地域バランスを考慮"
    history = [d for d in sec.decisions(ROUND, history=True) if (d.proposal_id, d.table_id) == (top[3], "table1")]
    assert [d.code for d in history] == ["○", "×"] and history[0].recorded_by == "委員長" and history[0].recorded_at
    assert now[(top[0], "table4")].code == "○" and now[(top[1], "table3")].code == "△"

    rows = list(csv.DictReader((round_run["folder"] / "proposals.csv").open(encoding="utf-8")))
    chosen = [r for r in rows if r["id"] in top[:3]]
    b = sec.balance(ROUND, "表1")
    assert b.selected == 3 and b.applicants == 8
    for row in b.by_region:
        assert row.selected == sum(1 for r in chosen if r["region"] == row.key)
        assert row.applicants == sum(1 for r in rows if r["region"] == row.key)
        assert row.share == Decimal(row.selected) / 3
    for row in b.by_type:
        assert row.selected == sum(1 for r in chosen if r["type"] == row.key)
    b3 = sec.balance(ROUND, "表3")
    assert b3.codes == ("○", "△") and b3.selected == 2


# --- exports ---------------------------------------------------------------------------------------


def test_excel_workbook_reads_back_with_numbers_as_numbers(round_run, tmp_path):
    from openpyxl import load_workbook

    sec: Secretariat = round_run["sec"]
    exp = _expected(round_run)
    path = tmp_path / "round.xlsx"
    sec.export_xlsx(ROUND, path)
    wb = load_workbook(path)
    assert wb.sheetnames == [tr(f"secretariat.export.sheet.{v}") for v in
                             ("proposals", "reviews", "reviewers", "decisions", "decision_history", "not_returned", "imports")]
    ws = wb[tr("secretariat.export.sheet.proposals")]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    rows = {r[head.index(tr("secretariat.export.col.proposal"))]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 8
    for pid, row in rows.items():
        totals = [e["total"] for (r, p), e in exp["reviews"].items() if p == pid and not e["coi"]]
        mean = row[head.index(tr("secretariat.export.col.mean"))]
        assert isinstance(mean, (int, float)) and abs(mean - float(orc.mean(totals))) < 1e-4
        assert row[head.index(tr("secretariat.export.col.counted"))] == len(totals)
        assert ws.column_dimensions["A"].width > 0
        # The 視点2 band counts, as the aggregation window shows them: reviews per band.
        bands = [orc.band_of(exp["o"], e["vps"]["2"]) for (r, p), e in exp["reviews"].items() if p == pid and not e["coi"]]
        for b in sec.rubric(ROUND).bands.bands:
            assert row[head.index(tr("secretariat.export.col.band_count", band=b.label))] == bands.count(b.id)
    reviews = wb[tr("secretariat.export.sheet.reviews")]
    rhead = [c.value for c in reviews[1]]
    rrows = list(reviews.iter_rows(min_row=2, values_only=True))
    assert len(rrows) == 38
    item_col = rhead.index(tr("secretariat.export.col.item_points", item="視点2 ①"))
    for row in rrows:
        e = exp["reviews"][(row[1], row[0])]
        if not e["coi"]:
            assert row[item_col] == float(exp["o"].item_points("2-1", e["marks"]["2-1"]))
            assert row[rhead.index(tr("secretariat.export.col.total"))] == float(e["total"])
    decisions = wb[tr("secretariat.export.sheet.decision_history")]
    assert decisions.max_row - 1 == len(sec.decisions(ROUND, history=True))


def test_csv_opens_in_excel_as_japanese_and_matches_the_view(round_run, tmp_path):
    sec: Secretariat = round_run["sec"]
    path = tmp_path / "reviewers.csv"
    written = sec.export_csv(ROUND, "reviewers", path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == [tr("secretariat.export.col.reviewer"), tr("secretariat.export.col.reviewer_name")]
    assert written.rows == len(rows) - 1 == 5
    agg = {r.reviewer_id: r for r in sec.aggregate(ROUND).reviewers}
    for row in rows[1:]:
        assert Decimal(row[6]) == agg[row[0]].total.mean.quantize(Decimal("0.0001")).normalize()


def test_export_refuses_to_replace_unless_asked(round_run, tmp_path):
    from reviewer_app.core.errors import OutputPathError

    sec: Secretariat = round_run["sec"]
    path = tmp_path / "x.csv"
    path.write_text("keep me", "utf-8")
    with pytest.raises(OutputPathError):
        sec.export_csv(ROUND, "proposals", path)
    assert path.read_text("utf-8") == "keep me"
    with pytest.raises(OutputPathError):
        sec.export_xlsx(ROUND, tmp_path)  # a folder is never replaced
    with pytest.raises(OutputPathError):
        sec.panel_pdf(ROUND, tmp_path / "missing-folder" / "p.pdf")
    sec.export_csv(ROUND, "proposals", path, overwrite=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_panel_and_decision_tables_pdfs_carry_the_verified_results(round_run, tmp_path):
    from pypdf import PdfReader

    sec: Secretariat = round_run["sec"]
    panel = sec.panel_pdf(ROUND, tmp_path / "panel.pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(panel.path)).pages)
    for pid in [f"P-00{i}" for i in range(1, 9)]:
        assert pid in text
    assert "5-(3) の記載がなく判断できない" in text  # R01's unjudgeable reason reaches the panel
    tables = sec.decision_tables_pdf(ROUND, tmp_path / "tables.pdf")
    ttext = "".join(p.extract_text() for p in PdfReader(str(tables.path)).pages)
    assert "表1" in ttext and "表4" in ttext and "地域バランスを考慮" in ttext
    assert tables.pages >= 4


def test_the_audit_log_records_every_action_and_verifies(round_run):
    sec: Secretariat = round_run["sec"]
    count, _head = sec.verify_audit()
    actions = [e.action for e in sec.audit_log(ROUND)]
    assert count >= len(actions)
    assert actions.count("bundle.issued") == 5 and "round.created" in actions
    assert actions.count("result.imported") == 5 and actions.count("result.history") == 1
    assert all(e.actor == "事務局 太郎" for e in sec.audit_log(ROUND))
    details = "".join(e.detail or "" for e in sec.audit_log())
    assert round_run["passphrases"] and not any(p in details for p in round_run["passphrases"])
