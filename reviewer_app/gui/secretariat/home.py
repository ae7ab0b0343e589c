"""The secretariat's workspace: a clearly marked banner, the rounds, and one round's screens as tabs.

Built once per session when the role is 「事務局」. It owns the ``Secretariat`` service (opened
here unless handed in) and the key provider; each tab is a module of its own and gets the
service and the round id, so the home only wires them together.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.keys import SecretariatKeys
from ...i18n import tr
from ...services.secretariat import Secretariat
from .common import column_texts, make_table
from .keys import KeyProvider
from .overview_panel import OverviewPanel
from .setup_dialog import SetupDialog

#: Further tabs (factory(sec, keys, parent) -> widget with set_round(round_id) and retranslate()).
TabFactory = Callable[[Secretariat, KeyProvider, QWidget], QWidget]


class SecretariatHome(QWidget):
    round_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, sec: Secretariat | None = None,
                 keys: SecretariatKeys | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretariatHome")
        self.sec = sec if sec is not None else Secretariat()
        self.keys = KeyProvider(keys)
        self.round_id: str | None = None

        self.banner = QLabel(self)
        self.banner.setObjectName("secretariatBanner")
        self.banner.setStyleSheet("QLabel#secretariatBanner { background: #7a3e00; color: white; font-weight: bold;"
                                  " padding: 6px 10px; }")
        self.rounds_title = QLabel(self)
        self.rounds_view, self.rounds_model, self.rounds_proxy = make_table(self, "roundsTable")
        self.rounds_view.selectionModel().currentRowChanged.connect(self._round_picked)
        # The id, then the title and where the round stands on two wrapped lines: the left pane is
        # narrow, and a third column used to sit out of sight behind a scroll bar.
        self.rounds_view.setWordWrap(True)
        self.rounds_view.horizontalHeader().setStretchLastSection(True)
        self.rounds_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rounds_title.setBuddy(self.rounds_view)
        self.setup_button = QPushButton(self)
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self.open_setup)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.rounds_title)
        ll.addWidget(self.rounds_view, 1)
        ll.addWidget(self.setup_button)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("secretariatTabs")
        self.overview = OverviewPanel(self.sec, self.tabs)
        self.overview.next_requested.connect(self.go_to)
        self.panels: list[QWidget] = [self.overview]
        self.tabs.addTab(self.overview, "")
        for factory in tab_factories():
            panel = factory(self.sec, self.keys, self.tabs)
            self.panels.append(panel)
            self.tabs.addTab(panel, "")
            changed = getattr(panel, "round_data_changed", None)
            if changed is not None:
                changed.connect(self.refresh_round)
            go = getattr(panel, "next_requested", None)  # a tab's own 「次にすること」 button
            if go is not None:
                go.connect(self.go_to)
        self.tabs.currentChanged.connect(lambda _i: self._sync_current())

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([250, 1100])
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.banner)
        body = QHBoxLayout()
        body.addWidget(split)
        lay.addLayout(body, 1)
        self.retranslate()  # also reads the rounds

    # --- texts --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.banner.setText(tr("gui.secretariat.banner"))
        self.rounds_title.setText(tr("gui.secretariat.rounds.title"))
        self.setup_button.setText(tr("gui.secretariat.rounds.setup"))
        for n, panel in enumerate(self.panels):
            self.tabs.setTabText(n, tr(f"gui.secretariat.tab.{panel.objectName()}"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- rounds -------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        select = select or self.round_id
        rows = []
        for s in self.sec.rounds():
            state = tr("gui.secretariat.rounds.state", issued=s.issued, returned=s.returned, reviewers=s.reviewers,
                       decisions=s.decisions)
            rows.append([s.round_id, f"{s.title}\n{state}"])
        self.rounds_model.set_rows([tr("gui.secretariat.col.round"), tr("gui.secretariat.col.round_state")], rows)
        self.rounds_view.resizeColumnToContents(0)
        ids = column_texts(self.rounds_view, 0)
        if select in ids or ids:
            row = ids.index(select) if select in ids else 0
            self.rounds_view.selectRow(row)
            self.rounds_view.setCurrentIndex(self.rounds_proxy.index(row, 0))
            self.set_round(ids[row])
        else:
            self.set_round(None)

    def _round_picked(self, current: object, _previous: object) -> None:
        idx = self.rounds_view.currentIndex()
        if idx.isValid():
            rid = str(self.rounds_proxy.index(idx.row(), 0).data())
            if rid != self.round_id:
                self.set_round(rid)

    def set_round(self, round_id: str | None) -> None:
        changed = round_id != self.round_id
        self.round_id = round_id
        self._loaded: set[int] = set()
        for n in range(1, self.tabs.count()):  # without a round the other tabs have nothing to show or do
            self.tabs.setTabEnabled(n, round_id is not None)
        self._sync_current()
        if changed and round_id:
            self.round_changed.emit(round_id)

    def _sync_current(self) -> None:
        """Only the visible tab reads the round (aggregating a large round is not free)."""
        n = self.tabs.currentIndex()
        if n in getattr(self, "_loaded", set()):
            return
        panel = self.panels[n]
        panel.set_round(self.round_id)  # type: ignore[attr-defined]
        self._loaded.add(n)

    def refresh_round(self) -> None:
        """Something changed the round (issue, import, decision): summaries and the other tabs read it again."""
        rid = self.round_id
        self._loaded = set()
        self.refresh(select=rid)

    def show_tab(self, name: str) -> QWidget:
        for n, panel in enumerate(self.panels):
            if panel.objectName() == name:
                self.tabs.setCurrentIndex(n)
                return panel
        raise KeyError(name)

    def go_to(self, target: str) -> None:
        """Follow the overview's 「次にすること」: open the setup dialog or the tab it names."""
        if target == "setup":
            self.open_setup()
        else:
            self.show_tab(target)

    def open_setup(self) -> SetupDialog:
        dialog = SetupDialog(self.sec, self)
        dialog.registered.connect(lambda rid: self.refresh(select=rid))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def close_service(self) -> None:
        self.sec.close()


def tab_factories() -> list[TabFactory]:
    """The round's screens after the overview, in tab order (imported here so each stays its own module)."""
    from .aggregation_panel import AggregationPanel
    from .decisions_panel import DecisionsPanel
    from .exports_panel import ExportsPanel
    from .import_panel import ImportPanel
    from .issue_panel import IssuePanel

    return [IssuePanel, ImportPanel, AggregationPanel, DecisionsPanel, ExportsPanel]
