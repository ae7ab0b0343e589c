"""Print: score sheets (one proposal or all) and the reviewer summary, as a PDF to open and print.

The sheets come from the same services as ``reviewer-app review sheets`` (``printing``
builds them from the workspace, ``sheets.write_pdf`` writes atomically), so paper and CLI
agree. A sheet proves a submission only when it matches the last export; otherwise the
service prints a draft. The dialog says which it will be before printing (from the export
history) and afterwards repeats what the service found, so a reviewer never signs a draft
believing it is final. The PDF is opened through an injectable opener (QDesktopServices by
default), so tests never launch a viewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ReviewerAppError
from ...i18n import tr
from ...services import sheets as sheet_service
from ...services.workspace.printing import WorkspaceSheet, workspace_sheets, workspace_summary
from ..errors import show_error
from .output_location import Opener, OutputCancelled, OutputLocation, confirmed_output, default_opener, documents_folder
from .passphrase_prompt import run_with_secret

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

CURRENT, ALL, SUMMARY = "current", "all", "summary"


@dataclass(frozen=True)
class Printed:
    sheet: WorkspaceSheet
    path: Path
    warnings: tuple[str, ...]


class PrintDialog(QDialog):
    """Choose what to print and where; the PDF is written off the UI thread, then opened."""

    def __init__(self, workspace: Any, bundle_id: str, current_proposal_id: str | None, parent: QWidget | None = None,
                 *, opener: Opener | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printDialog")
        self.workspace = workspace
        self.bundle_id = bundle_id
        self.current_proposal_id = current_proposal_id
        self.opener: Opener = opener or default_opener
        self.printed: Printed | None = None
        self._auto_name = ""

        self.what_box = QGroupBox(self)
        self.current_radio = QRadioButton(self.what_box)
        self.all_radio = QRadioButton(self.what_box)
        self.summary_radio = QRadioButton(self.what_box)
        self.choice = QButtonGroup(self)
        for r in (self.current_radio, self.all_radio, self.summary_radio):
            self.choice.addButton(r)
        wl = QVBoxLayout(self.what_box)
        for r in (self.current_radio, self.all_radio, self.summary_radio):
            wl.addWidget(r)
        self.current_radio.setEnabled(current_proposal_id is not None)
        (self.current_radio if current_proposal_id is not None else self.all_radio).setChecked(True)
        self.choice.buttonToggled.connect(lambda _b, on: on and self._suggest_name())

        self.draft_label = QLabel(self)
        self.draft_label.setObjectName("printDraftState")
        self.draft_label.setWordWrap(True)

        self.where_box = QGroupBox(self)
        self.location = OutputLocation("gui.print.file_filter", self.where_box)
        self.open_after = QCheckBox(self.where_box)
        self.open_after.setChecked(True)
        pl = QVBoxLayout(self.where_box)
        pl.addWidget(self.location)
        pl.addWidget(self.open_after)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("printResult")
        self.result_label.setWordWrap(True)
        self.result_label.setVisible(False)

        self.print_button = QPushButton(self)
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_pdf)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_pdf)
        self.open_button.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.what_box)
        layout.addWidget(self.draft_label)
        layout.addWidget(self.where_box)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self.retranslate()
        self._suggest_name()

    # --- choices --------------------------------------------------------------------

    def kind(self) -> str:
        if self.current_radio.isChecked():
            return CURRENT
        return SUMMARY if self.summary_radio.isChecked() else ALL

    def _file_name(self) -> str:
        info = self.workspace.round_info(self.bundle_id)
        stem = f"{_SAFE.sub('_', info.round_id)}_{_SAFE.sub('_', info.reviewer_id)}"
        kind = self.kind()
        if kind == CURRENT and self.current_proposal_id is not None:
            return f"{stem}_{_SAFE.sub('_', self.current_proposal_id)}_sheet.pdf"
        return f"{stem}_summary.pdf" if kind == SUMMARY else f"{stem}_sheets.pdf"

    def _suggest_name(self) -> None:
        """Follow the choice with the file name, unless the reviewer typed their own."""
        current = self.location.path()
        if current is not None and current.name != self._auto_name:
            return
        folder = current.parent if current is not None else documents_folder()
        self._auto_name = self._file_name()
        self.location.set_path(folder / self._auto_name)

    def draft_state(self) -> str:
        """What the sheets will be, from the export history (the service decides for good)."""
        history = self.workspace.export_history(self.bundle_id)
        if not history:
            return tr("gui.print.draft_never")
        last = history[-1]
        if self.workspace.changed_since_export(self.bundle_id):
            return tr("gui.print.draft_changed", revision=last.revision)
        return tr("gui.print.final", revision=last.revision)

    # --- printing -------------------------------------------------------------------

    def print_pdf(self) -> None:
        path = self.location.path()
        if path is None:
            self.location.browse()
            path = self.location.path()
            if path is None:
                return
        try:
            target, overwrite = confirmed_output(self, path)
        except OutputCancelled:
            return
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        ws, bundle, kind, pid = self.workspace, self.bundle_id, self.kind(), self.current_proposal_id

        def work(secret: str | None) -> Printed:
            if kind == SUMMARY:
                sheet = workspace_summary(ws, bundle, secret)
            else:
                sheet = workspace_sheets(ws, bundle, [pid] if kind == CURRENT and pid else [], secret)
            written = sheet_service.write_pdf(sheet.pdf, target, overwrite=overwrite)  # checks the path again
            return Printed(sheet, written, tuple(sheet_service.warning_messages(sheet.pdf)))

        self.print_button.setEnabled(False)
        run_with_secret(self, work, busy=tr("gui.print.busy"), success=self._printed, failure=self._failed,
                        cancelled=lambda: self.print_button.setEnabled(True))

    def _failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        show_error(self, exc)

    def _printed(self, printed: Printed) -> None:
        self.printed = printed
        self.print_button.setEnabled(True)
        self._show_result()
        self.open_button.setVisible(True)
        self._auto_name = ""  # the written file is not replaced silently by a later choice
        if self.open_after.isChecked():
            self.open_pdf()

    def _show_result(self) -> None:
        if self.printed is None:
            return
        sheet = self.printed.sheet
        lines = [tr("gui.print.written", path=str(self.printed.path), pages=sheet.pdf.pages)]
        if sheet.draft:
            lines.append(tr("gui.print.was_draft"))
        else:
            lines.append(tr("gui.print.was_final", revision=sheet.revision, digest=sheet.digest,
                            fingerprint=sheet.key_fingerprint or "—"))
        lines.extend(tr("warning." + n.code, **n.params) for n in sheet.notices)
        lines.extend(self.printed.warnings)
        self.result_label.setText("\n".join(lines))
        self.result_label.setVisible(True)
        self.adjustSize()  # room for the result, without squeezing the choices above it

    def open_pdf(self) -> None:
        if self.printed is not None:
            self.opener(QUrl.fromLocalFile(str(self.printed.path)))

    # --- language -------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.print.title"))
        self.what_box.setTitle(tr("gui.print.what"))
        if self.current_proposal_id is not None:
            self.current_radio.setText(tr("gui.print.current", proposal=self.current_proposal_id))
        else:
            self.current_radio.setText(tr("gui.print.current_none"))
        self.all_radio.setText(tr("gui.print.all", count=len(self.workspace.proposal_ids(self.bundle_id))))
        self.summary_radio.setText(tr("gui.print.summary"))
        self.draft_label.setText(self.draft_state())
        self.where_box.setTitle(tr("gui.print.where"))
        self.location.retranslate()
        self.open_after.setText(tr("gui.print.open_after"))
        self.print_button.setText(tr("gui.print.button"))
        self.open_button.setText(tr("gui.print.open"))
        self._show_result()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
