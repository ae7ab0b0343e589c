"""Installer assets: one version, icons for every platform, desktop entry and AppStream agree."""

from __future__ import annotations

import configparser
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reviewer_app
from reviewer_app.paths import resource_path

ROOT = Path(reviewer_app.__file__).resolve().parent.parent
ICONS = ROOT / "packaging" / "icons"
LINUX = ROOT / "packaging" / "linux"


def _briefcase() -> dict:
    return tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]


def _app_id() -> str:
    bc = _briefcase()
    (app_name,) = bc["app"]
    return f"{bc['bundle']}.{app_name}"


def test_the_version_is_written_in_one_place_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert "version" not in _briefcase()
    assert re.fullmatch(r"\d+\.\d+\.\d+", reviewer_app.__version__)


def test_briefcase_config_leaves_project_facts_to_the_project_table() -> None:
    bc = _briefcase()
    app = bc["app"]["reviewer-app"]
    assert re.fullmatch(r"[a-z][a-z0-9-]*", bc["project_name"])  # a valid PEP 621 name
    assert "license" not in app and "requires" not in app  # PEP 639 license and dependencies come from [project]
    runtime = set(app["linux"]["system_runtime_requires"])
    assert {"libgl1", "libegl1", "libxcb-cursor0", "fonts-ipaexfont"} <= runtime


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512, 1024])
def test_png_icons_exist_at_every_size(qapp, size: int) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / f"reviewer-app-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


@pytest.mark.parametrize("name", ["reviewer-app.ico", "reviewer-app.icns"])
def test_windows_and_macos_icons_are_readable(qapp, name: str) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / name))
    assert not image.isNull() and image.width() >= 256


def test_the_running_app_finds_its_window_icon(qapp) -> None:
    from PySide6.QtGui import QImage

    assert not QImage(str(resource_path("icons", "reviewer-app.png"))).isNull()


def test_desktop_entry_names_the_installed_command_and_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(LINUX / f"{_app_id()}.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert d["Type"] == "Application"
    assert d["Exec"].split()[0] in scripts
    assert d["Icon"] == _app_id()
    assert d["Name[ja]"] and d["Comment[ja]"]
    assert d["Categories"].endswith(";")


def test_a_bundle_opened_from_the_file_manager_reaches_the_app() -> None:
    """Desktop entry, file type and command line agree: *.rvb (by name or magic) -> reviewer-app gui FILE."""
    from reviewer_app.cli import build_parser
    from reviewer_app.core.bundle.container import MAGIC
    from reviewer_app.services.bundles import BUNDLE_SUFFIX

    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    entry.read(LINUX / f"{_app_id()}.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(LINUX / f"{_app_id()}.mime.xml").getroot().find("m:mime-type", ns)
    assert d["MimeType"] == mime.get("type") + ";"
    assert mime.find("m:glob", ns).get("pattern") == "*" + BUNDLE_SUFFIX
    value = mime.find("m:magic/m:match", ns).get("value")
    assert value.encode("latin-1").decode("unicode_escape").encode("latin-1") == MAGIC
    command, sub, field = d["Exec"].split()
    assert (command, sub, field) == ("reviewer-app", "gui", "%F")  # %F: any number of local files
    assert build_parser().parse_args([sub, "a.rvb", "b.rvb"]).files == ["a.rvb", "b.rvb"]


def test_appstream_metadata_matches_the_desktop_entry() -> None:
    tree = ET.parse(LINUX / f"{_app_id()}.metainfo.xml")
    root = tree.getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == _app_id()
    assert root.find("launchable").text == f"{_app_id()}.desktop"
    assert root.find("releases/release").get("version") == "@VERSION@"  # filled from __version__ at build time
    assert any(n.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja" for n in root.findall("name"))


@pytest.mark.parametrize(("name", "sizes"), [
    ("reviewer-app.ico", [256, 128, 64, 48, 32, 24, 16]),  # the Windows shell picks the size it needs
    ("reviewer-app.icns", [1024, 512, 512, 256, 256, 128, 64, 64, 32, 32, 16]),  # 1x and @2x for macOS
])
def test_windows_and_macos_icons_hold_every_size(qapp, name: str, sizes: list[int]) -> None:
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ICONS / name))
    found = []
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        image = reader.read()
        assert image.width() == image.height() and image.hasAlphaChannel()
        found.append(image.width())
    assert found == sizes
