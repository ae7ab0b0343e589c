"""The reviewer's reason for a distribution over the targets reaches the secretariat, from the current result."""

from __future__ import annotations

from dataclasses import replace

from reviewer_app.core.keys import ReviewerKey
from reviewer_app.services import bundles as bundle_service
from tests.services.secretariat.forge import complete_payload
from tests.services.secretariat.round_fixtures import ROUND


def returned(issued_round, reviewer: str, out, revision: int, justification: str, key: ReviewerKey) -> object:
    opened = issued_round.target(reviewer)
    payload = complete_payload(opened.result_target(), opened.rubric, revision)
    bundle_service.build_result_bundle(opened, replace(payload, distribution_justification=justification), key, out)
    return out


def test_the_current_results_justification_per_reviewer(issued_round, tmp_path):
    sec, keys = issued_round.sec, issued_round.keys
    assert sec.justifications(ROUND) == {}  # nothing returned yet
    key = ReviewerKey.generate()
    first = returned(issued_round, "R01", tmp_path / "r01-1.rvb", 1, "上位の申請が多かったため。", key)
    other = returned(issued_round, "R02", tmp_path / "r02-1.rvb", 1, "担当分の水準が高かった。", ReviewerKey.generate())
    sec.import_results(ROUND, [first, other], keys)
    assert sec.justifications(ROUND) == {"R01": "上位の申請が多かったため。", "R02": "担当分の水準が高かった。"}

    second = returned(issued_round, "R01", tmp_path / "r01-2.rvb", 2, "第2版の理由。", key)
    sec.import_results(ROUND, [second], keys)
    assert sec.justifications(ROUND)["R01"] == "第2版の理由。"  # the current revision's, not the first one's

    newer = returned(issued_round, "R03", tmp_path / "r03-2.rvb", 2, "新しい版の理由。", key := ReviewerKey.generate())
    stale = returned(issued_round, "R03", tmp_path / "r03-1.rvb", 1, "古い版の理由。", key)
    sec.import_results(ROUND, [newer, stale], keys)  # revision 1 arrives after 2: kept as history only
    assert sec.justifications(ROUND)["R03"] == "新しい版の理由。"
