"""The scoring form, generated from the rubric: 視点 by 視点, group by group, item by item.

Built once per rubric (one :class:`ItemEditor` per 審査項目, nothing named in code) and
re-filled for each proposal. Above the items: the proposal, the live totals per 視点, the
total and the 視点2 band, all as the service computed them. Below: the reviewer's private
note, which stays on this computer and is never exported or printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import Group, Item, Rubric, Viewpoint, format_points, iter_item_tree
from ...core.scoring import Entry, ProposalResult, Severity
from ...i18n import tr
from . import theme
from .item_editor import COMMENT, GRADE, ItemEditor, TextBox
from .wrap_label import WrapLabel

OPEN, CONFLICT, UNCONFIRMED, EMPTY = "open", "conflict", "unconfirmed", "empty"


class ScoringForm(QWidget):
    note_edited = Signal(str)
    note_left = Signal()
    confirm_requested = Signal()  # ask the conflict-of-interest question now
    declare_requested = Signal()  # declare a conflict for the shown proposal
    withdraw_requested = Signal()

    def __init__(self, rubric: Rubric, status_widget: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric = rubric
        self.setObjectName("formRoot")
        self.fonts = theme.FontRoles()
        self._zoom = 0
        self._styled = False  # the style sheet is applied once the form is placed (see event())
        self.proposal_id: str | None = None
        self.mode = EMPTY
        self._conflict_reason = ""

        # --- header: the proposal, totals and the saved indicator -------------------------
        header = QFrame()
        header.setObjectName("proposalHeader")
        self._pid = QLabel()
        self.fonts.set(self._pid, 1.25, bold=True)
        self._ptitle = WrapLabel()
        self.fonts.set(self._ptitle, 1.1, bold=True)
        self._pmeta = WrapLabel()
        self._pmeta.setObjectName("muted")
        self._declare = QPushButton()
        self._declare.setAutoDefault(False)
        self._declare.clicked.connect(self.declare_requested)
        self._vp_totals: dict[str, QLabel] = {}
        totals = QHBoxLayout()
        totals.setSpacing(18)
        for v in rubric.viewpoints:
            lab = QLabel()
            self.fonts.set(lab, 1.0, bold=False)
            self._vp_totals[v.id] = lab
            totals.addWidget(lab)
        self._total = QLabel()
        self.fonts.set(self._total, 1.1, bold=True)
        self._band = WrapLabel()  # the pane may be narrow: the band wraps rather than widen it
        totals.addWidget(self._total)
        totals.addWidget(self._band, 1)
        top = QHBoxLayout()
        top.addWidget(self._pid)
        top.addWidget(self._ptitle, 1)
        top.addWidget(self._declare, 0, Qt.AlignmentFlag.AlignTop)
        hl = QVBoxLayout(header)
        hl.setContentsMargins(12, 8, 12, 8)
        hl.setSpacing(4)
        meta = QHBoxLayout()
        meta.addWidget(self._pmeta, 1)
        if status_widget is not None:
            meta.addWidget(status_widget)
        hl.addLayout(top)
        hl.addLayout(meta)
        hl.addLayout(totals)

        # --- banner: conflict declared / confirmation needed ------------------------------
        self._banner = QFrame()
        self._banner.setObjectName("banner")
        self._banner_text = WrapLabel()
        self._banner_button = QPushButton()
        self._banner_button.setAutoDefault(False)
        self._banner_button.clicked.connect(self._banner_clicked)
        bl = QHBoxLayout(self._banner)
        bl.setContentsMargins(12, 8, 12, 8)
        bl.addWidget(self._banner_text, 1)
        bl.addWidget(self._banner_button)
        self._banner.hide()

        # --- the items, generated from the rubric ------------------------------------------
        canvas = QWidget()
        canvas.setObjectName("formCanvas")
        self.canvas = canvas
        col = QVBoxLayout(canvas)
        col.setContentsMargins(12, 10, 12, 16)
        col.setSpacing(8)
        # Into the scroll area while still empty: setWidget lays its widget out at once, and
        # laying out every item's wrapped texts here would be wasted (the width is not known yet).
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(canvas)
        self.editors: dict[str, ItemEditor] = {}
        self.order: list[str] = []
        self._section_totals: dict[str, QLabel] = {}
        self._section_titles: list[tuple[QLabel, Viewpoint | Group]] = []
        for depth, node in iter_item_tree(rubric):
            if isinstance(node, Viewpoint):
                col.addSpacing(6)
                col.addWidget(self._section_header(node))
            elif isinstance(node, Group):
                lab = WrapLabel()
                lab.setObjectName("groupHeader")
                lab.setContentsMargins(14 * (depth - 1), 6, 0, 0)
                self.fonts.set(lab, 1.0, bold=True)
                self._section_titles.append((lab, node))
                col.addWidget(lab)
            else:
                assert isinstance(node, Item)
                ed = ItemEditor(rubric, node, self.fonts)
                ed.setContentsMargins(14 * max(0, depth - 2), 0, 0, 0)
                self.editors[node.id] = ed
                self.order.append(node.id)
                col.addWidget(ed)
        col.addSpacing(10)
        col.addWidget(self._note_box())
        col.addStretch(1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(header)
        lay.addWidget(self._banner)
        lay.addWidget(self.scroll, 1)
        self._result: ProposalResult | None = None
        self.set_zoom(100)  # the one style sheet of the form, with its font sizes (applied at first polish)
        self.retranslate()
        self.set_mode(EMPTY)

    def _section_header(self, v: Viewpoint) -> QFrame:
        box = QFrame()
        box.setObjectName("sectionHeader")
        title = WrapLabel()
        self.fonts.set(title, 1.1, bold=True)
        total = QLabel()
        self.fonts.set(total, 1.1, bold=True)
        self._section_titles.append((title, v))
        self._section_totals[v.id] = total
        row = QHBoxLayout(box)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(title, 1)
        row.addWidget(total, 0, Qt.AlignmentFlag.AlignTop)
        return box

    def _note_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("noteBox")
        self._note_title = QLabel()
        self.fonts.set(self._note_title, 1.0, bold=True)
        self._note_hint = WrapLabel()
        self._note_hint.setObjectName("muted")
        self.note = TextBox("noteEdit")
        self.note.textChanged.connect(lambda: self.note_edited.emit(self.note.toPlainText()))
        self.note.left.connect(self.note_left)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(12, 8, 12, 10)
        lay.addWidget(self._note_title)
        lay.addWidget(self._note_hint)
        lay.addWidget(self.note)
        return box

    # --- texts --------------------------------------------------------------------------

    def retranslate(self) -> None:
        for lab, node in self._section_titles:
            lab.setText(tr("gui.review.form.section", label=node.label, title=node.title,
                           points=format_points(node.points)))
        self._note_title.setText("🔒 " + tr("gui.review.form.note_title"))
        self._note_hint.setText(tr("gui.review.form.note_hint"))
        self.note.setAccessibleName(tr("gui.review.form.note_title"))
        self.note.setPlaceholderText(tr("gui.review.form.note_placeholder"))
        self.scroll.setAccessibleName(tr("gui.review.form.a11y"))
        for ed in self.editors.values():
            ed.retranslate()
        self._update_declare_button()
        self._update_banner()
        if self._result is not None:
            self._show_totals(self._result)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_zoom(self, percent: int) -> None:
        """Scale every text of the form (Ctrl +/−, remembered as the ``form_zoom`` setting)."""
        if percent != self._zoom:
            self._zoom = percent
            if self._styled:
                self._apply_style()

    def _apply_style(self) -> None:
        self._styled = True
        self.setStyleSheet(self.fonts.style_sheet(self.objectName(), self._zoom))

    def event(self, event: QEvent) -> bool:
        # A style sheet makes Qt re-polish every one of the form's ~500 widgets each time the
        # form moves to a new parent (into the splitter, the round view, the window), and that
        # was most of the time a round took to open. So the sheet is set once, when the form
        # itself is first polished (just before it is shown, after every move), and before its
        # children are: they are then polished once, already with the sheet.
        if event.type() == QEvent.Type.Polish and not self._styled:
            self._apply_style()
        return super().event(event)

    def zoom(self) -> int:
        return self._zoom

    # --- filling --------------------------------------------------------------------------

    def show_proposal(self, proposal_id: str, meta: object | None, entries: Mapping[str, Entry],
                      result: ProposalResult, findings: Mapping[str, Sequence[tuple[Severity, str]]],
                      note: str, mode: str, conflict_reason: str = "") -> None:
        """Fill every editor for one proposal; no widget is created or destroyed."""
        self.proposal_id = proposal_id
        title = getattr(meta, "title", "") or ""
        self._pid.setText(proposal_id)
        self._ptitle.setText(title)
        parts = [getattr(meta, a, "") or "" for a in ("institution", "institution_type", "region")]
        self._pmeta.setText("・".join(p for p in parts if p))
        figures: Mapping[str, Decimal] = getattr(meta, "figures", {}) or {}
        for item_id, ed in self.editors.items():
            ed.fill(entries.get(item_id), result.item(item_id), figures.get(item_id), findings.get(item_id, ()))
        self.note.set_text_quietly(note)
        self._conflict_reason = conflict_reason
        self.set_mode(mode)
        self._result = result
        self._show_totals(result)
        self.scroll.verticalScrollBar().setValue(0)

    def show_entry(self, entry: Entry) -> None:
        self.editors[entry.item_id].show_entry(entry)

    def show_result(self, result: ProposalResult, findings: Mapping[str, Sequence[tuple[Severity, str]]]) -> None:
        self._result = result
        for r in result.items:
            self.editors[r.item_id].show_result(r, findings.get(r.item_id, ()))
        self._show_totals(result)

    def _show_totals(self, result: ProposalResult) -> None:
        for v in self.rubric.viewpoints:
            got = result.viewpoint_totals.get(v.id, Decimal(0))
            text = tr("gui.review.form.viewpoint_total", label=v.label, points=format_points(got),
                      max=format_points(v.points))
            self._vp_totals[v.id].setText(text)
            self._section_totals[v.id].setText(tr("gui.review.form.section_total", points=format_points(got),
                                                  max=format_points(v.points)))
        self._total.setText(tr("gui.review.form.total", points=format_points(result.total),
                               max=format_points(self.rubric.total_points)))
        bands = self.rubric.bands
        if bands is None:
            self._band.clear()
            return
        label = bands.viewpoint_id and self.rubric.viewpoint(bands.viewpoint_id).label
        if result.band_id is not None:
            band = next(b for b in bands.bands if b.id == result.band_id)
            self._band.setText(tr("gui.review.form.band", viewpoint=label, band=band.label))
        else:
            missing = sum(1 for r in result.items
                          if r.mark is None and not r.unjudgeable
                          and self.rubric.item(r.item_id).viewpoint_id == bands.viewpoint_id)
            self._band.setText(tr("gui.review.form.band_pending", viewpoint=label, missing=missing))

    def total_text(self) -> str:
        return self._total.text()

    def band_text(self) -> str:
        return self._band.text()

    # --- modes: open, conflict declared, confirmation pending ----------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        locked = mode != OPEN
        for ed in self.editors.values():
            ed.set_locked(locked)
        self.note.setReadOnly(mode in (EMPTY, UNCONFIRMED))
        self.canvas.setEnabled(mode != EMPTY)
        self._update_declare_button()
        self._update_banner()

    def _update_declare_button(self) -> None:
        self._declare.setVisible(self.mode == OPEN)
        self._declare.setText(tr("gui.review.form.declare"))
        self._declare.setToolTip(tr("gui.review.form.declare_tip"))

    def _update_banner(self) -> None:
        if self.mode == CONFLICT:
            reason = self._conflict_reason or tr("gui.review.form.no_reason")
            self._banner_text.setText(tr("gui.review.form.conflict_banner", reason=reason))
            self._banner_button.setText(tr("gui.review.form.withdraw"))
            theme.set_property(self._banner, "kind", "conflict")
        elif self.mode == UNCONFIRMED:
            self._banner_text.setText(tr("gui.review.form.confirm_banner"))
            self._banner_button.setText(tr("gui.review.form.confirm"))
            theme.set_property(self._banner, "kind", "confirm")
        self._banner.setVisible(self.mode in (CONFLICT, UNCONFIRMED))
        self._banner_button.setAccessibleName(self._banner_button.text())

    def _banner_clicked(self) -> None:
        if self.mode == CONFLICT:
            self.withdraw_requested.emit()
        elif self.mode == UNCONFIRMED:
            self.confirm_requested.emit()

    def banner_text(self) -> str:
        return self._banner_text.text() if self._banner.isVisibleTo(self) else ""

    # --- focus ------------------------------------------------------------------------

    def focus_item(self, item_id: str, field: str = GRADE) -> None:
        ed = self.editors[item_id]
        target = ed.comment if field == COMMENT else ed
        self.scroll.ensureWidgetVisible(ed, 0, 24)
        if target is not ed:
            self.scroll.ensureWidgetVisible(target, 0, 40)
        ed.focus_field(field)

    def first_open_item(self) -> str:
        """Where keyboard work on this proposal starts: the first item without a grade."""
        if self._result is not None:
            for item_id in self.order:
                r = self._result.item(item_id)
                if r.mark is None and not r.unjudgeable:
                    return item_id
        return self.order[0]

    def neighbour(self, item_id: str, delta: int) -> str | None:
        i = self.order.index(item_id) + delta
        return self.order[i] if 0 <= i < len(self.order) else None
