"""``reviewer-app gui BUNDLE…`` and a bare bundle path (what file associations pass) open the window with it."""

from __future__ import annotations

import pytest

from reviewer_app import cli


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    calls: list[dict] = []

    def fake_run(**kwargs):  # the window itself is tested in tests/gui
        calls.append(kwargs)
        return 0

    import reviewer_app.gui.app

    monkeypatch.setattr(reviewer_app.gui.app, "run", fake_run)
    return calls


@pytest.mark.parametrize("argv", [
    ["gui", "受領/審査.rvb", "b.RVB"],
    ["受領/審査.rvb", "b.RVB"],            # the file manager or the OS hands over just the files
    ["--lang", "en", "受領/審査.rvb", "b.RVB"],
])
def test_bundles_given_on_the_command_line_reach_the_window(started, argv):
    assert cli.main(argv) == 0
    (call,) = started
    assert call["files"] == ["受領/審査.rvb", "b.RVB"] and not call["demo"]


def test_no_argument_opens_the_window_without_files(started):
    assert cli.main([]) == 0
    assert started[0]["files"] == []


def test_another_word_is_still_a_usage_error(started, capsys):
    assert cli.main(["notes.txt"]) == cli.EXIT_USAGE
    assert started == []


def test_the_cli_knows_the_bundle_suffix_the_services_write():
    from reviewer_app.services.bundles import BUNDLE_SUFFIX

    assert cli.BUNDLE_SUFFIX == BUNDLE_SUFFIX
