"""Registering rounds: every problem in one typed error, an existing round kept unless updated, the rubric fixed once issued."""

from __future__ import annotations

import pytest

from reviewer_app.core.errors import RoundSetupError, SecretariatError
from reviewer_app.i18n import describe_error
from reviewer_app.services.secretariat import ReviewerState, Secretariat
from tests.services.secretariat.round_fixtures import ROUND, copy_example


def test_a_folder_with_errors_is_not_stored_and_every_problem_travels_with_the_error(tmp_path):
    folder = copy_example(tmp_path / "setup")
    (folder / "proposals" / "P-001.pdf").unlink()
    with (folder / "assignments.csv").open("a", encoding="utf-8") as fh:
        fh.write("R42,P-002\n")
    with Secretariat() as sec:
        with pytest.raises(RoundSetupError) as exc:
            sec.setup_round(folder)
        assert sec.rounds() == []
    problems = exc.value.params["problems"]
    assert {p.code for p in problems if p.is_error} == {"pdf_missing", "unknown_reviewer"}
    assert exc.value.params["count"] == 2 and "2" in describe_error(exc.value)


def test_an_existing_round_is_updated_only_when_asked(tmp_path):
    folder = copy_example(tmp_path / "setup")
    with Secretariat() as sec:
        first = sec.setup_round(folder)
        assert not first.updated and first.check.proposals == 8
        with pytest.raises(SecretariatError) as exc:
            sec.setup_round(folder)
        assert exc.value.code == "secretariat.round_exists"
        (folder / "reviewers.csv").write_text((folder / "reviewers.csv").read_text("utf-8") + "R06,新任 委員,学外\n", "utf-8")
        again = sec.setup_round(folder, update=True)
        assert again.updated and again.check.reviewers == 6
        states = {r.reviewer_id: r.state for r in sec.overview(ROUND).reviewers}
        assert states["R06"] is ReviewerState.NO_ASSIGNMENT and states["R01"] is ReviewerState.NOT_ISSUED
        assert [e.action for e in sec.audit_log(ROUND)] == ["round.created", "round.updated"]


def test_grade_points_cannot_change_once_bundles_are_out(issued_round):
    r = issued_round
    toml = r.folder / "round.toml"
    toml.write_text(toml.read_text("utf-8").replace("b = 75", "b = 70"), "utf-8")
    with pytest.raises(SecretariatError) as exc:
        r.sec.setup_round(r.folder, update=True)
    assert exc.value.code == "secretariat.rubric_changed_after_issue"
    assert r.sec.round(ROUND).grade_points["abcd"]["b"] == 75
