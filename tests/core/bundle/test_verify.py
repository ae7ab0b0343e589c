"""The secretariat's verdict on result bundles: replay, swap, wrong key, wrong round, not issued."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reviewer_app.core.bundle.model import VerifyOutcome
from reviewer_app.core.errors import ResultRejectedError
from reviewer_app.core.keys import ReviewerKey, SecretariatKeys
from reviewer_app.services import bundles as svc

from .conftest import FAST_KDF, PASS, make_spec, payload_for, with_revision


def _result(opened, key, tmp_path, name="r.rvb", **kw):
    out = tmp_path / name
    svc.build_result_bundle(opened, payload_for(opened, **kw), key, out)
    return out


def test_replay_of_older_revision_is_refused(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    r1 = _result(opened, reviewer_key, tmp_path, "r1.rvb", revision=1)
    r2 = _result(opened, reviewer_key, tmp_path, "r2.rvb", revision=2, comment="改訂")
    assert svc.verify_result_bundle(r1, sec_keys, registry, record=True).ok
    assert svc.verify_result_bundle(r2, sec_keys, registry, record=True).ok
    old = svc.verify_result_bundle(r1, sec_keys, registry, record=True)
    assert old.outcome is VerifyOutcome.STALE_REVISION and old.params == {"revision": 1, "latest": 2}
    assert svc.verify_result_bundle(r2, sec_keys, registry).outcome is VerifyOutcome.DUPLICATE
    assert registry.latest_import(opened.bundle_id)[0] == 2


def test_same_revision_with_other_content_is_refused(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    a = _result(opened, reviewer_key, tmp_path, "a.rvb", comment="一")
    b = _result(opened, reviewer_key, tmp_path, "b.rvb", comment="二")
    assert svc.verify_result_bundle(a, sec_keys, registry, record=True).ok
    assert svc.verify_result_bundle(b, sec_keys, registry).outcome is VerifyOutcome.STALE_REVISION


def test_result_for_another_secretariat_is_wrong_key(opened, reviewer_key, registry, tmp_path) -> None:
    r = _result(opened, reviewer_key, tmp_path)
    assert svc.verify_result_bundle(r, SecretariatKeys.generate(), registry).outcome is VerifyOutcome.WRONG_KEY


def test_not_issued(opened, reviewer_key, sec_keys, tmp_path) -> None:
    r = _result(opened, reviewer_key, tmp_path)
    empty = svc.open_registry(tmp_path / "empty.sqlite")
    assert svc.verify_result_bundle(r, sec_keys, empty).outcome is VerifyOutcome.NOT_ISSUED
    empty.close()


def test_wrong_round_and_reviewer_are_refused(opened, reviewer_key, sec_keys, registry, tmp_path) -> None:
    target = opened.result_target()
    for field, outcome in (("round_id", VerifyOutcome.WRONG_ROUND), ("reviewer_id", VerifyOutcome.WRONG_REVIEWER)):
        t = replace(target, **{field: "other"})
        p = replace(payload_for(opened), **{field: "other"})
        if field == "reviewer_id":  # a real reviewer's key binding names the reviewer; forge it consistently
            from reviewer_app.core.bundle import crypto

            t = replace(t, binding_key=crypto.binding_key(sec_keys.binding_master, opened.bundle_id))
        out = tmp_path / f"{field}.rvb"
        svc.build_result_bundle(t, p, reviewer_key, out)
        assert svc.verify_result_bundle(out, sec_keys, registry).outcome is outcome


def test_substituted_reviewer_key_is_unbound(opened, sec_keys, registry, tmp_path) -> None:
    """A stranger who knows the ids but not the assignment secret cannot get a result accepted."""
    t = replace(opened.result_target(), binding_key=bytes(32))
    out = tmp_path / "s.rvb"
    svc.build_result_bundle(t, payload_for(opened), ReviewerKey.generate(), out)
    assert svc.verify_result_bundle(out, sec_keys, registry).outcome is VerifyOutcome.UNBOUND_KEY


def test_result_swapped_between_reviewers_is_refused(tmp_path, rubric, sec_keys, registry, reviewer_key) -> None:
    """Reviewer B relabels their result as reviewer A's assignment: B cannot bind a key to A's bundle."""
    opened_ = []
    for rv in ("rvA", "rvB"):
        d = tmp_path / rv
        d.mkdir()
        svc.build_assignment_bundle(make_spec(d, rubric.source_bytes, reviewer=rv), sec_keys, d / "a.rvb", PASS,
                                    kdf=FAST_KDF, registry=registry)
        opened_.append(svc.open_assignment(d / "a.rvb", PASS))
    a, b = opened_
    forged_target = replace(a.result_target(), binding_key=b.result_target().binding_key)
    out = tmp_path / "swap.rvb"
    svc.build_result_bundle(forged_target, payload_for(a), reviewer_key, out)
    assert svc.verify_result_bundle(out, sec_keys, registry).outcome is VerifyOutcome.UNBOUND_KEY


def test_writer_refuses_payload_for_other_assignment(opened, reviewer_key, tmp_path) -> None:
    out = tmp_path / "x.rvb"
    with pytest.raises(ResultRejectedError):
        svc.build_result_bundle(opened, replace(payload_for(opened), rubric_digest="0" * 64), reviewer_key, out)
    with pytest.raises(ResultRejectedError):
        svc.build_result_bundle(opened, with_revision(payload_for(opened), 0), reviewer_key, out)
    assert not out.exists()
