"""Decisions: 表1 ○/× (then 表2 a–d, 表3 ○/△/×, 表4 ○/×) per proposal with a note, the live balance, the history.

The tables and their options come from the round's rubric; which proposals a later table may
decide is the service's rule (an ineligible one is refused with a sentence saying why), and the
list shows only those a table may decide, saying which earlier decision lets them in. Beside
the list, the 地域 and 国公私 balance of the selected set is recomputed after every record, and
the selected proposal's history in this table shows who recorded what and when.

Made to be used in the meeting, by keyboard too: the option buttons stay in place while the
table is the same (Alt+O ○, Alt+X ×, Alt+T △, Alt+A–D for a–d, the CLI's letters), and after a
record the focus goes back to the list, so ↓ and Alt+O record the next one. Selecting a proposal
puts its current note in the note field, so changing a mark does not silently drop the note.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.rubric import DecisionTable
from ...core.secretariat.decisions import Balance, Decision, prerequisite
from ...i18n import tr
from ...services.secretariat import Secretariat
from ..errors import show_error
from .common import cell_text, fit_rows, local_time, make_table
from .keys import KeyProvider

#: The access key of an option: the letters the CLI accepts for ○ × △, and a–d themselves.
ACCESS_KEYS = {"○": "O", "×": "X", "△": "T", "a": "A", "b": "B", "c": "C", "d": "D"}


def option_text(code: str, label: str) -> str:
    """「○ ヒアリングを実施する を記録(&O)」: the rubric's label without its closing 「。」, and the access key."""
    text = tr("gui.secretariat.decisions.record", option=code, label=label.rstrip("。"))
    key = ACCESS_KEYS.get(code)
    return text + tr("gui.secretariat.decisions.access_key", key=key) if key else text


class DecisionsPanel(QWidget):
    round_data_changed = Signal()

    def __init__(self, sec: Secretariat, keys: KeyProvider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatDecisions")
        self.sec = sec
        self.round_id: str | None = None
        self._buttons_table: str | None = None
        self.table_label = QLabel(self)
        self.table_box = QComboBox(self)
        self.table_box.setObjectName("decisionTable")
        self.table_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table_label.setBuddy(self.table_box)
        self.scope = QLabel(self)
        self.scope.setObjectName("decisionScope")
        self.scope.setWordWrap(True)
        self.view, self.model, self.proxy = make_table(self, "decisionProposals", sortable=True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._proposal_changed())
        self.note_label = QLabel(self)
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("decisionNote")
        self.note_label.setBuddy(self.note_edit)
        self.by_label = QLabel(self)
        self.by_edit = QLineEdit(self)
        self.by_edit.setObjectName("decisionBy")
        self.by_edit.setText(sec.actor)
        self.by_label.setBuddy(self.by_edit)
        self.option_row = QHBoxLayout()
        self.option_buttons: dict[str, QPushButton] = {}
        self.status = QLabel(self)
        self.status.setObjectName("decisionStatus")
        self.status.setWordWrap(True)
        self.balance_title = QLabel(self)
        self.balance_title.setObjectName("balanceTitle")
        self.balance_title.setWordWrap(True)
        self.region_view, self.region_model, _ = make_table(self, "balanceRegion")
        self.type_view, self.type_model, _ = make_table(self, "balanceType")
        for v in (self.region_view, self.type_view):
            v.horizontalHeader().setStretchLastSection(False)  # four short columns, not one stretched to the edge
        self.history_title = QLabel(self)
        self.history_title.setWordWrap(True)
        self.history = QListWidget(self)
        self.history.setObjectName("decisionHistory")
        self.history.setWordWrap(True)
        self.history_title.setBuddy(self.history)

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.table_label)
        head.addWidget(self.table_box, 1)
        ll.addLayout(head)
        ll.addWidget(self.scope)
        ll.addWidget(self.view, 1)
        fields = QGridLayout()
        fields.addWidget(self.note_label, 0, 0)
        fields.addWidget(self.note_edit, 0, 1)
        fields.addWidget(self.by_label, 1, 0)
        fields.addWidget(self.by_edit, 1, 1)
        ll.addLayout(fields)
        ll.addLayout(self.option_row)
        ll.addWidget(self.status)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.balance_title)
        rl.addWidget(self.region_view)
        rl.addWidget(self.type_view)
        rl.addWidget(self.history_title)
        rl.addWidget(self.history, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 420])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.setTabOrder(self.table_box, self.view)
        self.setTabOrder(self.view, self.note_edit)
        self.setTabOrder(self.note_edit, self.by_edit)
        self.retranslate()

    def retranslate(self) -> None:
        self.table_label.setText(tr("gui.secretariat.decisions.table"))
        self.note_label.setText(tr("gui.secretariat.decisions.note"))
        self.note_edit.setPlaceholderText(tr("gui.secretariat.decisions.note_hint"))
        self.by_label.setText(tr("gui.secretariat.decisions.by"))
        self.history_title.setText(tr("gui.secretariat.decisions.history"))
        self.status.setText("")
        self._buttons_table = None  # the option buttons' texts are rebuilt in the new language
        self._fill_tables()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_round(self, round_id: str | None) -> None:
        if round_id != self.round_id:
            self.status.setText("")
        self.round_id = round_id
        self._fill_tables()
        self.refresh()

    def _fill_tables(self) -> None:
        current = self.table_id
        self.table_box.blockSignals(True)
        self.table_box.clear()
        if self.round_id is not None:
            for t in self.sec.rubric(self.round_id).decision_tables:
                self.table_box.addItem(tr("gui.secretariat.decisions.table_item", table=t.title, stage=t.stage), t.id)
            n = self.table_box.findData(current)
            if n >= 0:
                self.table_box.setCurrentIndex(n)
        self.table_box.blockSignals(False)

    @property
    def table_id(self) -> str | None:
        data = self.table_box.currentData()
        return str(data) if data else None

    def _table(self) -> DecisionTable | None:
        if self.round_id is None or self.table_id is None:
            return None
        return next((t for t in self.sec.rubric(self.round_id).decision_tables if t.id == self.table_id), None)

    # --- the list -----------------------------------------------------------------

    def refresh(self) -> None:
        rid, table = self.round_id, self._table()
        self._build_buttons(table)
        if rid is None or table is None:
            self.model.set_rows([], [])
            self.scope.setText("")
            self._show_balance(None)
            self._proposal_changed()
            return
        tid = table.id
        now = {(d.proposal_id, d.table_id): d for d in self.sec.decisions(rid)}
        gate = prerequisite(self.sec.rubric(rid), tid)
        agg = {s.proposal_id: s for s in self.sec.aggregate(rid).proposals}
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        rows = []
        proposals = self.sec.proposals(rid)
        for p in proposals:
            m, s, d = p.meta, agg.get(p.meta.proposal_id), now.get((p.meta.proposal_id, tid))
            if gate is not None and d is None:
                before = now.get((m.proposal_id, gate[0].id))
                if before is None or before.code not in gate[1]:
                    continue  # not (yet) let in by the earlier table
            rows.append([m.proposal_id, m.institution, m.region, m.institution_type,
                         s.total.mean if s else None, s.rank if s else None, d.code if d else "", d.note if d else ""])
        selected = self._current_proposal()
        self.model.set_rows([c("proposal"), c("institution"), c("region"), c("type"), c("mean"), c("rank"),
                             c("decision"), c("note")], rows)
        self.view.resizeColumnsToContents()
        self._show_scope(gate, len(rows), len(proposals))
        if selected is not None:
            self.select(selected)
        for b in self.option_buttons.values():
            b.setEnabled(bool(rows))
        selecting = tid in self.sec.selecting_tables(rid)
        self._show_balance(self.sec.balance(rid, tid) if selecting else None)
        self._proposal_changed()

    def _show_scope(self, gate: tuple[DecisionTable, tuple[str, ...]] | None, shown: int, total: int) -> None:
        if gate is None:
            self.scope.setText(tr("gui.secretariat.decisions.scope_all", count=total))
        elif shown:
            self.scope.setText(tr("gui.secretariat.decisions.scope_gate", gate=gate[0].title,
                                  codes="・".join(gate[1]), count=shown))
        else:
            self.scope.setText(tr("gui.secretariat.decisions.scope_none", gate=gate[0].title,
                                  codes="・".join(gate[1])))

    def _build_buttons(self, table: DecisionTable | None) -> None:
        """One button per option of the table; kept while the table stays (focus and access keys with them)."""
        tid = table.id if table is not None else None
        if tid == self._buttons_table and (tid is None or self.option_buttons):
            return
        for b in self.option_buttons.values():
            self.option_row.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.option_buttons = {}
        self._buttons_table = tid
        if table is None:
            return
        previous: QWidget = self.by_edit
        for o in table.options:
            b = QPushButton(option_text(o.code, o.label), self)
            b.setObjectName(f"decide_{o.code}")
            b.clicked.connect(lambda _c=False, code=o.code: self.record(code))
            self.option_row.addWidget(b)
            b.show()  # at once, not on the layout's queued show: its access key works from the first moment
            self.option_buttons[o.code] = b
            self.setTabOrder(previous, b)
            previous = b

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
        if rid is None or tid is None:
            return
        if pid is None:
            self.status.setText(tr("gui.secretariat.decisions.pick_first"))
            self.view.setFocus()
            return
        if not self.by_edit.text().strip():
            self.status.setText(tr("gui.secretariat.decisions.no_recorder"))
            self.by_edit.setFocus()
            return
        try:
            d = self.sec.record_decision(rid, pid, tid, code, note=self.note_edit.text(), by=self.by_edit.text())
        except Exception as exc:  # a refusal (not eligible, note too long, no recorder) is explained; nothing was recorded
            show_error(self, exc)
            return
        self.refresh()
        table = self._table()
        self.status.setText(tr("gui.secretariat.decisions.recorded", proposal=pid,
                               table=table.title if table else tid, code=d.code))
        self.view.setFocus()  # ↓ and the next access key record the next proposal
        self.round_data_changed.emit()

    # --- beside the list ------------------------------------------------------------

    def _show_balance(self, bal: Balance | None) -> None:
        c = lambda k: tr(f"gui.secretariat.col.{k}")  # noqa: E731
        if bal is None:
            self.balance_title.setText(tr("gui.secretariat.decisions.no_balance"))
            self.region_model.set_rows([], [])
            self.type_model.set_rows([], [])
            self.region_view.hide()
            self.type_view.hide()
            return
        self.balance_title.setText(tr("gui.secretariat.decisions.balance", codes="・".join(bal.codes),
                                      selected=bal.selected, applicants=bal.applicants))

        def rows(items: tuple[Any, ...]) -> list[list[object]]:
            return [[r.key, r.selected, f"{cell_text(r.share * 100)}%", r.applicants] for r in items]

        self.region_model.set_rows([c("region"), c("selected"), c("share"), c("applicants")], rows(bal.by_region))
        self.type_model.set_rows([c("type"), c("selected"), c("share"), c("applicants")], rows(bal.by_type))
        for v in (self.region_view, self.type_view):
            v.show()
            v.resizeColumnsToContents()
            fit_rows(v)

    def _proposal_changed(self) -> None:
        """The note field and the history follow the selected proposal."""
        self.history.clear()
        rid, tid, pid = self.round_id, self.table_id, self._current_proposal()
        current: Decision | None = None
        if rid is not None and tid is not None and pid is not None:
            for d in self.sec.decisions(rid, history=True):
                if d.proposal_id == pid and d.table_id == tid:
                    current = d
                    self.history.addItem(tr("gui.secretariat.decisions.history_entry", at=local_time(d.recorded_at),
                                            by=d.recorded_by, code=d.code, note=d.note or "—"))
            if current is None:
                self.history.addItem(tr("gui.secretariat.decisions.history_none"))
        self.note_edit.setText(current.note if current is not None else "")
