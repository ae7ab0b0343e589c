"""Where the export and the printed sheets go: a path field, a file dialog, and the rules.

One rule for every file the reviewer names (``core.atomic.check_output_path``, with
``core.output.prepare_output`` trying that a file can be created there at all): never
replace anything that is not a regular file, replace a regular file only after the reviewer
said yes, never create folders. The question is ours, not the file dialog's, so a path typed
into the field is asked about exactly like one picked in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget

from ...core.errors import OutputPathError
from ...core.output import prepare_output
from ...i18n import tr

#: Opens a file or folder in the system's viewer (injectable: tests must not launch one).
Opener = Callable[[QUrl], bool]


def default_opener(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class OutputLocation(QWidget):
    """A path field with a 「参照…」 button that opens a save dialog."""

    changed = Signal(str)

    def __init__(self, name_filter_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter_key = name_filter_key
        self.field = QLineEdit(self)
        self.field.setObjectName("outputPath")
        self.field.textChanged.connect(self.changed)
        self.browse_button = QPushButton(self)
        self.browse_button.clicked.connect(self.browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.browse_button)
        self.retranslate()

    def path(self) -> Path | None:
        text = self.field.text().strip()
        if not text:
            return None
        p = Path(text).expanduser()
        return p if p.is_absolute() else documents_folder() / p

    def set_path(self, path: Path) -> None:
        self.field.setText(str(path))

    def browse(self) -> None:
        start = self.path() or documents_folder()
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr("gui.output.choose_title"), str(start), tr(self._filter_key),
            options=QFileDialog.Option.DontConfirmOverwrite,  # we ask ourselves, for typed paths too
        )
        if chosen:
            self.set_path(Path(chosen))

    def retranslate(self) -> None:
        self.browse_button.setText(tr("gui.output.browse"))
        self.field.setAccessibleName(tr("gui.output.path_name"))
        self.browse_button.setAccessibleName(tr("gui.output.browse_name"))


def confirmed_output(parent: QWidget | None, path: Path) -> tuple[Path, bool]:
    """Ask before replacing a regular file; refuse anything else that exists.

    Returns (path, overwrite). Raises ``OutputPathError`` for a refusal (shown by the caller
    with ``show_error``) and ``OutputCancelled`` when the reviewer says no.
    """
    overwrite = False
    if path.is_file() and not path.is_symlink():
        answer = QMessageBox.question(
            parent, tr("gui.output.replace_title"), tr("gui.output.replace", path=str(path)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            raise OutputCancelled
        overwrite = True
    return prepare_output(path, overwrite=overwrite), overwrite


class OutputCancelled(Exception):
    """The reviewer chose not to replace the existing file."""


__all__ = ["Opener", "OutputCancelled", "OutputLocation", "OutputPathError", "confirmed_output", "default_opener",
           "documents_folder"]
