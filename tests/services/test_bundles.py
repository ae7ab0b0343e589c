"""Reviewer-side services: adding a bundle keeps an encrypted copy in the app folder only."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.core.errors import BundleFormatError
from reviewer_app.services import bundles as svc
from reviewer_app.services.bundle_description import load_assignment_description
from tests.core.bundle.conftest import PASS, issued, registry, sec_keys  # noqa: F401  (shared fixtures)


def test_store_copy_then_reopen(issued, _isolated_home: Path) -> None:  # noqa: F811
    header, copy = svc.store_assignment_copy(issued[0])
    assert copy.parent == svc.bundles_dir() and copy.is_relative_to(_isolated_home)
    assert copy.read_bytes() == issued[0].read_bytes()
    assert svc.open_assignment(copy, PASS).bundle_id == header.bundle_id
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]


def test_store_copy_refuses_non_bundle(tmp_path: Path) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(BundleFormatError):
        svc.store_assignment_copy(f)
    assert list(svc.bundles_dir().iterdir()) == []


def test_description_rejects_unknown_keys(tmp_path: Path) -> None:
    f = tmp_path / "d.toml"
    f.write_text('[round]\nid="R"\ntitle="t"\ncolour="red"\n[reviewer]\nid="a"\nname="b"\n[[proposals]]\n', encoding="utf-8")
    with pytest.raises(BundleFormatError) as e:
        load_assignment_description(f)
    assert "colour" in e.value.params["detail"]
