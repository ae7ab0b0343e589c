"""Export: check, justify, choose where, write the signed result bundle, show what was written.

The dialog refuses what the service refuses, and says so before the reviewer gets that far:
blocking findings are listed (each one jumps to its item), a distribution over the round's
targets asks for the justification the export will carry, and the output file follows the
one rule for output paths (``output_location``). The export itself — key, signature,
encryption, atomic write — is ``Workspace.export`` on the worker thread. Afterwards the
reviewer sees what the secretariat will see: the file, its revision, its SHA-256 and the
fingerprint of the key that signed it, with buttons to open the folder and to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ReviewerAppError
from ...core.rubric import format_points
from ...core.scoring import FindingCode
from ...i18n import tr
from ...services import bundles as bundle_api
from ...services.rubrics import finding_params
from ..errors import show_error
from .output_location import Opener, OutputCancelled, OutputLocation, confirmed_output, default_opener, documents_folder
from .passphrase_prompt import run_with_secret


@dataclass(frozen=True)
class ExportResult:
    outcome: Any  # services.workspace.ExportOutcome
    fingerprint: str


def _pct(share: Decimal) -> str:
    return format_points((share * 100).quantize(Decimal("0.1")))


class ExportDialog(QDialog):
    """Modal; emits ``finding_activated`` (and closes) when the reviewer picks a finding to fix."""

    #: (proposal id, item id) of a blocking finding the reviewer wants to fix.
    finding_activated = Signal(str, str)
    #: The ExportOutcome, once the file is written.
    exported = Signal(object)

    def __init__(self, workspace: Any, bundle_id: str, parent: QWidget | None = None, *,
                 opener: Opener | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.workspace = workspace
        self.bundle_id = bundle_id
        self.opener: Opener = opener or default_opener
        self.export_result: ExportResult | None = None
        self._over: list[Any] = []
        self._blocking: list[Any] = []

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.last_export = QLabel(self)
        self.last_export.setWordWrap(True)

        self.findings_box = QGroupBox(self)
        self.findings_label = QLabel(self.findings_box)
        self.findings_label.setWordWrap(True)
        self.findings_list = QListWidget(self.findings_box)
        self.findings_list.setObjectName("exportFindings")
        self.findings_list.itemActivated.connect(self._finding_chosen)
        fl = QVBoxLayout(self.findings_box)
        fl.addWidget(self.findings_label)
        fl.addWidget(self.findings_list)

        self.justify_box = QGroupBox(self)
        self.justify_label = QLabel(self.justify_box)
        self.justify_label.setWordWrap(True)
        self.justification = QPlainTextEdit(self.justify_box)
        self.justification.setObjectName("exportJustification")
        self.justification.setTabChangesFocus(True)
        self.justification.setMaximumHeight(110)
        self.justification.textChanged.connect(self._update_state)
        jl = QVBoxLayout(self.justify_box)
        jl.addWidget(self.justify_label)
        jl.addWidget(self.justification)

        self.where_box = QGroupBox(self)
        self.location = OutputLocation("gui.export.file_filter", self.where_box)
        self.location.changed.connect(lambda _t: self._update_state())
        self.where_note = QLabel(self.where_box)
        self.where_note.setWordWrap(True)
        wl = QVBoxLayout(self.where_box)
        wl.addWidget(self.location)
        wl.addWidget(self.where_note)

        self.state_label = QLabel(self)
        self.state_label.setObjectName("exportState")
        self.state_label.setWordWrap(True)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.check_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.check_buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.check_buttons.rejected.connect(self.reject)

        check_page = QWidget(self)
        cl = QVBoxLayout(check_page)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.intro)
        cl.addWidget(self.last_export)
        cl.addWidget(self.findings_box, 1)
        cl.addWidget(self.justify_box)
        cl.addWidget(self.where_box)
        cl.addWidget(self.state_label)
        cl.addWidget(self.check_buttons)

        self.done_page = self._build_done_page()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(check_page)
        self.pages.addWidget(self.done_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(640)

        self.location.set_path(self._suggested_path())
        self.justification.setPlainText(workspace.justification(bundle_id))
        self.retranslate()  # also reads the findings and the distribution (refresh)

    def _build_done_page(self) -> QWidget:
        page = QWidget(self)
        self.done_title = QLabel(page)
        self.done_title.setObjectName("exportDoneTitle")
        font = self.done_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.done_title.setFont(font)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.path_value = QLabel(page)
        self.revision_value = QLabel(page)
        self.digest_value = QLabel(page)
        self.digest_value.setFont(mono)
        self.fingerprint_value = QLabel(page)
        self.fingerprint_value.setFont(mono)
        for v in (self.path_value, self.revision_value, self.digest_value, self.fingerprint_value):
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            v.setWordWrap(True)
        self.path_value.setObjectName("exportPath")
        self.digest_value.setObjectName("exportDigest")
        self.fingerprint_value.setObjectName("exportFingerprint")
        self.revision_value.setObjectName("exportRevision")
        self.done_form = QFormLayout()
        self.done_labels: dict[str, QLabel] = {}
        for key, value in (("path", self.path_value), ("revision", self.revision_value),
                           ("digest", self.digest_value), ("fingerprint", self.fingerprint_value)):
            self.done_labels[key] = QLabel(page)
            self.done_labels[key].setBuddy(value)
            self.done_form.addRow(self.done_labels[key], value)
        self.done_note = QLabel(page)
        self.done_note.setWordWrap(True)
        self.notices_label = QLabel(page)
        self.notices_label.setWordWrap(True)
        self.notices_label.setObjectName("exportNotices")

        self.open_folder_button = QPushButton(page)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.print_button = QPushButton(page)
        self.print_button.clicked.connect(self.print_sheets)
        self.copy_button = QPushButton(page)
        self.copy_button.clicked.connect(self.copy_details)
        self.done_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, page)
        for b in (self.open_folder_button, self.print_button, self.copy_button):
            self.done_buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.done_buttons.rejected.connect(self.accept)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done_title)
        layout.addLayout(self.done_form)
        layout.addWidget(self.done_note)
        layout.addWidget(self.notices_label)
        layout.addStretch(1)
        layout.addWidget(self.done_buttons)
        return page

    # --- the check page -------------------------------------------------------------

    def _suggested_path(self) -> Path:
        """Where the last export went (replacing it is the usual step), else the Documents folder."""
        history = self.workspace.export_history(self.bundle_id)
        if history and Path(history[-1].path).parent.is_dir():
            return Path(history[-1].path)
        return documents_folder() / self.workspace.default_export_path(self.bundle_id).name

    def refresh(self) -> None:
        """Read the findings and the distribution again (the reviewer may have fixed things)."""
        ws, bundle = self.workspace, self.bundle_id
        rubric = ws.round_info(bundle).rubric
        self._blocking = ws.blocking_findings(bundle)
        self.findings_list.clear()
        # Grades not given yet are one line per proposal (jumping to the first), not one per item:
        # a half-graded proposal would otherwise bury the entries that really need fixing.
        missing: dict[str, list[str]] = {}
        for pf in self._blocking:
            if pf.finding.code is FindingCode.MISSING_GRADE:
                missing.setdefault(pf.proposal_id, []).append(pf.finding.item_id)
        shown_missing: set[str] = set()
        for pf in self._blocking:
            if pf.finding.code is FindingCode.MISSING_GRADE:
                if pf.proposal_id in shown_missing:
                    continue
                shown_missing.add(pf.proposal_id)
                items = missing[pf.proposal_id]
                first = rubric.display_label(rubric.item(items[0]))
                text = tr("gui.export.missing_line", proposal=pf.proposal_id, count=len(items), first=first)
            else:
                params = finding_params(rubric, pf.finding)
                text = tr("gui.export.finding_line", proposal=pf.proposal_id, item=params["item"],
                          message=tr("finding." + pf.finding.code.value, **params))
            row = QListWidgetItem(text, self.findings_list)
            row.setData(Qt.ItemDataRole.UserRole, (pf.proposal_id, pf.finding.item_id))
            row.setToolTip(tr("gui.export.finding_tip"))
        self.findings_box.setVisible(bool(self._blocking))
        dist = ws.distribution(bundle)
        self._over = list(dist.over_target)
        self.justify_box.setVisible(bool(self._over))
        history = ws.export_history(bundle)
        if history:
            last = history[-1]
            key = "gui.export.last_unchanged" if not ws.changed_since_export(bundle) else "gui.export.last_changed"
            self.last_export.setText(tr(key, revision=last.revision, at=last.exported_at[:16].replace("T", " ")))
        else:
            self.last_export.setText(tr("gui.export.never"))
        self._retranslate_check()
        self._update_state()

    def _update_state(self) -> None:
        problem = ""
        if self._blocking:
            problem = tr("gui.export.refused_findings", count=len(self._blocking))
        elif self._over and not self.justification.toPlainText().strip():
            problem = tr("gui.export.refused_justification")
        elif self.location.path() is None:
            problem = tr("gui.export.choose_location")
        self.state_label.setText(problem)
        self.state_label.setVisible(bool(problem))
        self.export_button.setEnabled(not problem)

    def _finding_chosen(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.finding_activated.emit(*target)
            self.reject()  # the round view takes the reviewer to the item

    # --- exporting ------------------------------------------------------------------

    def export(self) -> None:
        self.refresh()
        if not self.export_button.isEnabled():
            return
        if self._over:
            text = self.justification.toPlainText().strip()
            if text != self.workspace.justification(self.bundle_id).strip():
                try:
                    self.workspace.set_justification(self.bundle_id, text)
                except ReviewerAppError as exc:
                    show_error(self, exc)
                    return
        path = self.location.path()
        assert path is not None
        try:
            target, overwrite = confirmed_output(self, path)
        except OutputCancelled:
            return
        except ReviewerAppError as exc:
            show_error(self, exc)
            return
        ws, bundle = self.workspace, self.bundle_id

        def work(secret: str | None) -> ExportResult:
            # The service checks the path again (time passed since the question) before it reserves a revision.
            outcome = ws.export(bundle, target, secret, overwrite=overwrite)
            fingerprint = bundle_api.inspect_bundle(outcome.path).signer_fingerprint
            return ExportResult(outcome, fingerprint)

        self.export_button.setEnabled(False)
        run_with_secret(self, work, busy=tr("gui.export.busy"), success=self._exported, failure=self._failed,
                        cancelled=self._update_state)

    def _failed(self, exc: BaseException) -> None:
        self.refresh()  # an ExportBlockedError means something changed: show the current findings
        show_error(self, exc)

    def _exported(self, result: ExportResult) -> None:
        self.export_result = result
        self._show_result()
        self.pages.setCurrentWidget(self.done_page)
        self.adjustSize()
        self.exported.emit(result.outcome)

    def _show_result(self) -> None:
        if self.export_result is None:
            return
        out = self.export_result.outcome
        self.path_value.setText(str(out.path))
        self.revision_value.setText(tr("gui.export.revision_value", revision=out.revision))
        self.digest_value.setText(out.digest)
        self.fingerprint_value.setText(self.export_result.fingerprint)
        notices = [tr("warning." + n.code, **n.params) for n in out.notices]
        self.notices_label.setText("\n".join(notices))
        self.notices_label.setVisible(bool(notices))

    # --- after the export -----------------------------------------------------------

    def open_folder(self) -> None:
        if self.export_result is not None:
            self.opener(QUrl.fromLocalFile(str(Path(self.export_result.outcome.path).parent)))

    def print_sheets(self) -> None:
        from .print_dialog import PrintDialog

        dialog = PrintDialog(self.workspace, self.bundle_id, None, self, opener=self.opener)
        dialog.exec()

    def copy_details(self) -> None:
        if self.export_result is None:
            return
        out = self.export_result.outcome
        QGuiApplication.clipboard().setText(tr(
            "gui.export.copied_text", path=str(out.path), revision=out.revision, digest=out.digest,
            fingerprint=self.export_result.fingerprint))
        self.copy_button.setText(tr("gui.export.copied"))

    # --- language -------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(tr("gui.export.title"))
        info = self.workspace.round_info(self.bundle_id)
        self.intro.setText(tr("gui.export.intro", round=info.title or info.round_id, reviewer=info.reviewer_name))
        self.findings_box.setTitle(tr("gui.export.findings_title"))
        self.findings_list.setAccessibleName(tr("gui.export.findings_title"))
        self.justify_box.setTitle(tr("gui.export.justify_title"))
        self.justification.setAccessibleName(tr("gui.export.justify_title"))
        self.justification.setPlaceholderText(tr("gui.export.justify_placeholder"))
        self.where_box.setTitle(tr("gui.export.where_title"))
        self.where_note.setText(tr("gui.export.where_note"))
        self.location.retranslate()
        self.export_button.setText(tr("gui.export.button"))
        self.done_title.setText(tr("gui.export.done_title"))
        for key, label in self.done_labels.items():
            label.setText(tr(f"gui.export.{key}_label"))
            label.buddy().setAccessibleName(tr(f"gui.export.{key}_label"))
        self.done_note.setText(tr("gui.export.done_note"))
        self.open_folder_button.setText(tr("gui.export.open_folder"))
        self.print_button.setText(tr("gui.export.print"))
        self.copy_button.setText(tr("gui.export.copy"))
        self.refresh()  # the findings' and last export's sentences, in the new language
        self._show_result()

    def _retranslate_check(self) -> None:
        self.findings_label.setText(tr("gui.export.findings_intro", count=len(self._blocking)))
        lines = [tr("gui.export.over_line", band=r.label, count=r.count, allowed=r.allowed,
                    share=_pct(r.target_share) if r.target_share is not None else "—", over=r.over_by)
                 for r in self._over]
        self.justify_label.setText(tr("gui.export.justify_intro") + "\n" + "\n".join(lines))
        self._update_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
