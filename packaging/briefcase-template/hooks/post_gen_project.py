"""Complete the package root: its lib folder, the desktop entry, AppStream metadata, file type and scalable icon.

Cookiecutter renders this file (the quoted ``cookiecutter`` values below) and runs it in the
generated bundle folder. The files come from the project, not from this template: the app's
``freedesktop_files`` setting names the folder holding ``<bundle id>.desktop`` and
``<bundle id>.metainfo.xml`` and, if present, ``<bundle id>.mime.xml`` (a shared-mime-info
file type; packaging/build_installer.py stages them with the version and
release date filled in), ``icon`` names the icon whose ``.svg`` is the scalable one.
Paths are relative to the project folder: the nearest parent holding a pyproject.toml with
a ``[tool.briefcase]`` table.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

APP_ID = "{{ cookiecutter.bundle_identifier }}"
ROOT_DIR = "{{ cookiecutter.app_name }}-{{ cookiecutter.version }}"
FREEDESKTOP_FILES = "{{ cookiecutter.freedesktop_files }}"
ICON = "{{ cookiecutter.icon }}"
PLACEHOLDERS = ("@VERSION@", "@DATE@")


def project_dir() -> Path:
    for folder in Path.cwd().parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.briefcase" in candidate.read_text(encoding="utf-8"):
            return folder
    sys.exit("post_gen_project: no pyproject.toml with [tool.briefcase] above " + str(Path.cwd()))


def install(source: Path, target: Path) -> None:
    if not source.is_file():
        sys.exit(f"post_gen_project: {source} is missing")
    if source.suffix in (".desktop", ".xml"):
        text = source.read_text(encoding="utf-8")
        left = [p for p in PLACEHOLDERS if p in text]
        if left:
            sys.exit(f"post_gen_project: {source} still holds {', '.join(left)}: build from the staged tree")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)


def main() -> None:
    base = project_dir()
    usr = Path.cwd() / ROOT_DIR / "usr"
    # Briefcase creates app/ and app_packages/ (the [paths] in briefcase.toml) but not their parent.
    (usr / "lib" / "{{ cookiecutter.app_name }}").mkdir(parents=True, exist_ok=True)
    if FREEDESKTOP_FILES:
        folder = base / FREEDESKTOP_FILES
        install(folder / f"{APP_ID}.desktop", usr / "share" / "applications" / f"{APP_ID}.desktop")
        install(folder / f"{APP_ID}.metainfo.xml", usr / "share" / "metainfo" / f"{APP_ID}.metainfo.xml")
        mime = folder / f"{APP_ID}.mime.xml"  # the bundle file type (optional)
        if mime.is_file():
            install(mime, usr / "share" / "mime" / "packages" / f"{APP_ID}.xml")
    if ICON and (base / f"{ICON}.svg").is_file():
        install(base / f"{ICON}.svg", usr / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")


if __name__ == "__main__":
    main()
