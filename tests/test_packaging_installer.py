"""packaging/build_installer.py: the staged tree Briefcase builds from, and the shipped font.

Briefcase itself is not run here (it needs minutes and the package index); CI builds and
checks the .deb with packaging/build_installer.py and packaging/check_deb.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import tarfile
import tomllib
import uuid
from pathlib import Path
from types import ModuleType

import pytest

import reviewer_app

ROOT = Path(reviewer_app.__file__).resolve().parent.parent
TRUETYPE = b"\x00\x01\x00\x00" + b"\x00" * 60
LICENSE_TEXT = "IPA Font License Agreement v1.0\n"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bi() -> ModuleType:
    return _load("build_installer")


@pytest.fixture
def font(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "f.ttf").write_bytes(TRUETYPE)
    (tmp_path / "f.txt").write_text(LICENSE_TEXT, encoding="utf-8")
    return tmp_path / "f.ttf", tmp_path / "f.txt"


@pytest.fixture
def staged(bi: ModuleType, font: tuple[Path, Path], tmp_path: Path) -> Path:
    return bi.stage(*font, out=tmp_path / "stage", dist=tmp_path / "dist")


def _app(pyproject: dict) -> dict:
    return pyproject["tool"]["briefcase"]["app"]["reviewer-app"]


def test_staged_pyproject_is_the_project_plus_briefcase_toml_with_a_static_version(bi: ModuleType) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    briefcase = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))
    staged = tomllib.loads(bi.staged_pyproject(reviewer_app.__version__))
    # Briefcase would otherwise run a PEP 517 build (and fetch hatchling) just to learn the version.
    assert staged["project"]["version"] == reviewer_app.__version__
    assert "dynamic" not in staged["project"]
    assert staged["project"]["dependencies"] == project["project"]["dependencies"]
    assert staged["tool"]["briefcase"] == briefcase["tool"]["briefcase"]
    assert staged["tool"]["pytest"] == project["tool"]["pytest"]  # `briefcase dev --test` runs with the same settings


def test_the_version_is_read_from_the_package(bi: ModuleType) -> None:
    assert bi.project_version() == reviewer_app.__version__


def test_staged_tree_has_everything_the_briefcase_config_names(staged: Path) -> None:
    pyproject = tomllib.loads((staged / "pyproject.toml").read_text(encoding="utf-8"))
    app = _app(pyproject)
    for source in app["sources"] + app["test_sources"]:
        assert (staged / source).is_dir(), source
    for license_file in pyproject["project"]["license-files"]:
        assert (staged / license_file).is_file()
    assert (staged / "CHANGELOG.md").is_file()  # the .deb's changelog.gz
    for suffix in (".ico", ".icns", ".svg", "-16.png", "-512.png"):
        assert (staged / f"{app['icon']}{suffix}").is_file(), suffix
    system = app["linux"]["system"]
    assert (staged / system["template"] / "cookiecutter.json").is_file()
    assert (staged / system["man_page"]).is_file()
    assert (staged / "tests" / "reviewer_app.py").is_file()  # the test entry point of `dev --test`


def test_linux_files_are_staged_with_the_version_and_date_filled(staged: Path) -> None:
    folder = staged / "packaging" / "linux"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in (ROOT / "packaging" / "linux").iterdir())
    for path in folder.iterdir():
        assert "@VERSION@" not in path.read_text(encoding="utf-8") and "@DATE@" not in path.read_text(encoding="utf-8")
    metainfo = (folder / "jp.example.reviewer.reviewer-app.metainfo.xml").read_text(encoding="utf-8")
    assert re.search(rf'<release version="{re.escape(reviewer_app.__version__)}" date="\d{{4}}-\d{{2}}-\d{{2}}"/>', metainfo)
    assert f"reviewer-app {reviewer_app.__version__}" in (folder / "reviewer-app.1").read_text(encoding="utf-8")


def test_the_font_and_its_licence_go_into_the_staged_resources_only(staged: Path, font: tuple[Path, Path]) -> None:
    fonts = staged / "resources" / "fonts"
    assert (fonts / "ipaexg.ttf").read_bytes() == TRUETYPE
    assert (fonts / "IPAexfont-LICENSE.txt").read_text(encoding="utf-8") == LICENSE_TEXT
    assert (staged / "resources" / "rubrics").is_dir()
    assert not (ROOT / "resources" / "fonts" / "ipaexg.ttf").exists()  # the checkout is never written


def test_staging_again_keeps_briefcase_outputs(bi: ModuleType, staged: Path, font: tuple[Path, Path], tmp_path: Path) -> None:
    (staged / "build").mkdir()
    (staged / "build" / "kept").write_text("x")
    bi.stage(*font, out=staged, dist=tmp_path / "dist")
    assert (staged / "build" / "kept").read_text() == "x"
    assert (staged / "resources" / "fonts" / "ipaexg.ttf").is_file()


def test_without_a_font_only_dev_may_stage(bi: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bi, "SYSTEM_FONT", tmp_path / "none.ttf")
    monkeypatch.setattr(bi, "FONT_CACHE", tmp_path / "no-cache")
    with pytest.raises(bi.BuildError, match="fetch-font"):  # an installer without the font is never built
        bi.stage(out=tmp_path / "stage", dist=tmp_path / "dist")
    staged = bi.stage(out=tmp_path / "stage", dist=tmp_path / "dist", require_font=False)
    assert (staged / "pyproject.toml").is_file() and not (staged / "resources" / "fonts" / "ipaexg.ttf").exists()


def test_briefcase_test_entry_point_runs_the_suite_unless_given_a_path() -> None:
    from tests.reviewer_app import pytest_arguments

    assert pytest_arguments([], ROOT) == ["-p", "no:cacheprovider", "-q", "tests"]
    assert pytest_arguments(["-x", "-k", "rubric"], ROOT) == ["-p", "no:cacheprovider", "-x", "-k", "rubric", "tests"]
    assert pytest_arguments(["tests/core", "-x"], ROOT) == ["-p", "no:cacheprovider", "tests/core", "-x"]
    assert pytest_arguments(["tests/test_i18n.py::test_x"], ROOT)[-1] == "tests/test_i18n.py::test_x"


def test_a_cff_font_is_refused(bi: ModuleType, font: tuple[Path, Path]) -> None:
    font[0].write_bytes(b"OTTO" + b"\x00" * 60)  # CFF outlines: reportlab cannot embed them
    with pytest.raises(bi.BuildError, match="not a TrueType font"):
        bi.find_font(*font)


def test_a_font_without_its_licence_is_refused(bi: ModuleType, font: tuple[Path, Path]) -> None:
    font[1].write_text("MIT License\n", encoding="utf-8")
    with pytest.raises(bi.BuildError, match="IPA Font License"):
        bi.find_font(*font)
    with pytest.raises(bi.BuildError, match="go together"):
        bi.find_font(font[0], None)


def _deb_with(members: dict[str, bytes]) -> bytes:
    """A minimal Debian package (an ar archive) whose data.tar.xz holds ``members``."""
    payload = io.BytesIO()
    with tarfile.open(fileobj=payload, mode="w:xz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    out.write(b"!<arch>\n")
    for name, data in (("debian-binary", b"2.0\n"), ("data.tar.xz", payload.getvalue())):
        out.write(f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode())
        out.write(data + (b"\n" if len(data) % 2 else b""))
    return out.getvalue()


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def test_fetch_font_unpacks_the_pinned_debian_package(bi: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deb = _deb_with(dict(zip(bi.FONT_DEB_MEMBERS, [TRUETYPE, LICENSE_TEXT.encode()])))
    monkeypatch.setattr(bi, "FONT_DEB_SHA256", hashlib.sha256(deb).hexdigest())
    monkeypatch.setattr(bi.urllib.request, "urlopen", lambda url, timeout: _Response(deb))
    dest = bi.fetch_font(tmp_path / "fonts")
    assert bi.find_font(dest / bi.FONT_NAME, dest / bi.FONT_LICENSE_NAME) == (dest / "ipaexg.ttf", dest / "IPAexfont-LICENSE.txt")


def test_fetch_font_refuses_a_package_with_another_digest(bi: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deb = _deb_with(dict(zip(bi.FONT_DEB_MEMBERS, [TRUETYPE, LICENSE_TEXT.encode()])))
    monkeypatch.setattr(bi.urllib.request, "urlopen", lambda url, timeout: _Response(deb))
    with pytest.raises(bi.BuildError, match="SHA-256"):
        bi.fetch_font(tmp_path / "fonts")
    assert not (tmp_path / "fonts").exists()


def test_windows_and_macos_configuration_is_complete() -> None:
    bc = tomllib.loads((ROOT / "briefcase.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]
    app = bc["app"]["reviewer-app"]
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+)+", bc["bundle"]) and app["formal_name"]
    assert uuid.UUID(app["windows"]["guid"])
    assert (ROOT / f"{app['icon']}.ico").is_file() and (ROOT / f"{app['icon']}.icns").is_file()
    assert tuple(map(int, app["macOS"]["min_os_version"].split("."))) >= (14, 0)  # PySide6-Pdf's wheel tag


def test_installer_workflow_bundles_python_3_12_or_later() -> None:
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    versions = re.findall(r"python-version:\s*['\"]?(\d+)\.(\d+)", workflow)
    assert versions and all((int(a), int(b)) >= (3, 12) for a, b in versions)
    assert "NOT run on these machines" in workflow
    assert re.search(r"target: windows\b", workflow) and re.search(r"target: macOS\b", workflow)
    for step in ("build_installer.py fetch-font", "build_installer.py package ${{ matrix.target }}",
                 "check_wheel.py", '"$app" selfcheck', '-ArgumentList "selfcheck"'):
        assert step in workflow, step


def test_check_deb_reads_a_depends_field() -> None:
    check_deb = _load("check_deb")
    names = check_deb.depends_names("libc6 (>= 2.36), libpython3.11, fonts-ipaexfont | fonts-ipafont-gothic, libgl1:amd64")
    assert names == {"libc6", "libpython3.11", "fonts-ipaexfont", "fonts-ipafont-gothic", "libgl1"}


def test_the_linux_package_is_byte_compiled_for_its_interpreter(bi: ModuleType, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The launcher never writes __pycache__, so the package must carry bytecode that stays valid."""
    import sys

    monkeypatch.setattr(bi, "briefcase_python", lambda: sys.executable)
    lib = tmp_path / "bundle" / "debian" / "bookworm" / "reviewer-app-1.0" / "usr" / "lib" / "reviewer-app"
    (lib / "app" / "pkg").mkdir(parents=True)
    (lib / "app_packages").mkdir()
    (lib / "app" / "pkg" / "mod.py").write_text("X = 1\n", encoding="utf-8")
    (lib / "app_packages" / "dep.py").write_text("Y = 2\n", encoding="utf-8")
    (lib / "app_packages" / "recipe.tmpl.py").write_text("{% if x %}\n", encoding="utf-8")  # not Python
    bi.compile_bytecode(tmp_path / "bundle")
    tag = sys.implementation.cache_tag
    for pyc in (lib / "app" / "pkg" / "__pycache__" / f"mod.{tag}.pyc", lib / "app_packages" / "__pycache__" / f"dep.{tag}.pyc"):
        flags = int.from_bytes(pyc.read_bytes()[4:8], "little")
        assert flags == 0b01  # hash-based and never checked against the source's mtime
        assert str(pyc.parent.parent.relative_to(lib.parents[1])).encode() in pyc.read_bytes()  # installed path
    assert not list((lib / "app_packages" / "__pycache__").glob("recipe*"))


def test_byte_compiling_an_unexpected_bundle_layout_is_an_error(bi: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "bundle" / "elsewhere").mkdir(parents=True)
    with pytest.raises(bi.BuildError):
        bi.compile_bytecode(tmp_path / "bundle")
