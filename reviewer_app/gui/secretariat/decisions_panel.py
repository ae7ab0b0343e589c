"""Decisions: 表1 ○/× (then 表2 a–d, 表3 ○/△/×, 表4 ○/×) per proposal with a note, the live balance, the history.

The tables and their options come from the round's rubric; which proposals a later table may
decide is the service's rule (an ineligible one is refused with a sentence saying why). Beside
the list, the 地域 and 国公私 balance of the selected set is recomputed after every record, and
the selected proposal's history in this table shows who recorded what and when.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.secretariat.decisions import Balance
from ...i18n import tr
from ...services.secretariat import Secretariat
from ..errors import show_error
from .common import cell_text, make_table
from .keys import KeyProvider


class DecisionsPanel(QWidget):
    round_data_changed = Signal()

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatDecisions")
        self.sec = sec
        self.round_id: str | None = None
        self.table_box = QComboBox(self)
        self.table_box.setObjectName("decisionTable")
        self.table_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view, self.model, self.proxy = make_table(self, "decisionProposals", sortable=True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_history())
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("decisionNote")
        self.option_row = QHBoxLayout()
        self.option_buttons: dict[str, QPushButton] = {}
        self.balance_title = QLabel(self)
        self.balance_title.setWordWrap(True)
        self.region_view, self.region_model, _ = make_table(self, "balanceRegion")
        self.type_view, self.type_model, _ = make_table(self, "balanceType")
        self.history_title = QLabel(self)
        self.history = QListWidget(self)
        self.history.setObjectName("decisionHistory")
        self.table_label = QLabel(self)
        self.note_label = QLabel(self)

        left = QWidget(self)
        ll = QVBoxLayout(left)
        head = QHBoxLayout()
        head.addWidget(self.table_label)
        head.addWidget(self.table_box, 1)
        ll.addLayout(head)
        ll.addWidget(self.view, 1)
        note = QHBoxLayout()
        note.addWidget(self.note_label)
        note.addWidget(self.note_edit, 1)
        ll.addLayout(note)
        ll.addLayout(self.option_row)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.balance_title)
        rl.addWidget(self.region_view, 1)
        rl.addWidget(self.type_view, 1)
        rl.addWidget(self.history_title)
        rl.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 400])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.retranslate()

    def retranslate(self) -> None:
        self.table_label.setText(tr("gui.secretariat.decisions.table"))
        self.note_label.setText(tr("gui.secretariat.decisions.note"))
        self.history_title.setText(tr("gui.secretariat.decisions.history"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        self.round_id = round_id
        self.table_box.blockSignals(True)
        self.table_box.clear()
        if round_id is not None:
            for t in self.sec.rubric(round_id).decision_tables:
                self.table_box.addItem(t.title, t.id)
        self.table_box.blockSignals(False)
        self.refresh()

    @property
    def table_id(self) -> str | None:
        data = self.table_box.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        rid, tid = self.round_id, self.table_id
        for b in self.option_buttons.values():
            self.option_row.removeWidget(b)
            b.deleteLater()
        self.option_buttons = {}
        if rid is None or tid is None:
            self.model.set_rows([], [])
            self._show_balance(None)
            return
        table = next(t for t in self.sec.rubric(rid).decision_tables if t.id == tid)
        for o in table.options:
            b = QPushButton(tr("gui.secretariat.decisions.record", option=o.code, label=o.label), self)
            b.setObjectName(f"decide_{o.code}")
            b.clicked.connect(lambda _c=False, code=o.code: self.record(code))
            self.option_row.addWidget(b)
            self.option_buttons[o.code] = b
        current = {d.proposal_id: d for d in self.sec.decisions(rid) if d.table_id == tid}
        agg = {s.proposal_id: s for s in self.sec.aggregate(rid).proposals}
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        rows = []
        for p in self.sec.proposals(rid):
            m, s, d = p.meta, agg.get(p.meta.proposal_id), current.get(p.meta.proposal_id)
            rows.append([m.proposal_id, m.institution, m.region, m.institution_type,
                         s.total.mean if s else None, s.rank if s else None, d.code if d else "", d.note if d else ""])
        selected = self._current_proposal()
        self.model.set_rows([c("proposal"), c("institution"), c("region"), c("type"), c("mean"), c("rank"),
                             c("decision"), c("note")], rows)
        self.view.resizeColumnsToContents()
        if selected is not None:
            self.select(selected)
        selecting = tid in self.sec.selecting_tables(rid)
        self._show_balance(self.sec.balance(rid, tid) if selecting else None)
        self._show_history()

    def _current_proposal(self) -> str | None:
        idx = self.view.currentIndex()
        return str(self.proxy.index(idx.row(), 0).data()) if idx.isValid() else None

    def select(self, proposal_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data() == proposal_id:
                self.view.setCurrentIndex(self.proxy.index(row, 0))
                return

    def record(self, code: str) -> None:
        rid, tid, pid = self.round_id, self.table_id, self._current_proposal()
        if rid is None or tid is None or pid is None:
            return
        try:
            self.sec.record_decision(rid, pid, tid, code, note=self.note_edit.text())
        except Exception as exc:  # a refusal (not eligible, note too long) is explained; nothing was recorded
            show_error(self, exc)
            return
        self.note_edit.clear()
        self.refresh()
        self.round_data_changed.emit()

    def _show_balance(self, bal: Balance | None) -> None:
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        if bal is None:
            self.balance_title.setText(tr("gui.secretariat.decisions.no_balance"))
            self.region_model.set_rows([], [])
            self.type_model.set_rows([], [])
            return
        self.balance_title.setText(tr("gui.secretariat.decisions.balance", codes="・".join(bal.codes),
                                      selected=bal.selected, applicants=bal.applicants))

        def rows(items: tuple) -> list[list[object]]:
            return [[r.key, r.selected, f"{cell_text(r.share * 100)}%", r.applicants] for r in items]

        self.region_model.set_rows([c("region"), c("selected"), c("share"), c("applicants")], rows(bal.by_region))
        self.type_model.set_rows([c("type"), c("selected"), c("share"), c("applicants")], rows(bal.by_type))

    def _show_history(self) -> None:
        self.history.clear()
        rid, tid, pid = self.round_id, self.table_id, self._current_proposal()
        if rid is None or tid is None or pid is None:
            return
        for d in self.sec.decisions(rid, history=True):
            if d.proposal_id == pid and d.table_id == tid:
                self.history.addItem(tr("gui.secretariat.decisions.history_entry", at=d.recorded_at, by=d.recorded_by,
                                        code=d.code, note=d.note or "—"))
