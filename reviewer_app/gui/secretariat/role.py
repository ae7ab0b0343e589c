"""The role switch: the application opens the reviewer's start screen or the secretariat's workspace.

The choice is the ``role`` setting (remembered across starts) and a checkable pair of actions
in the Settings menu. The secretariat's home is built the first time it is shown and kept in
the window's stack; an open reviewer round is closed (its edits committed) before switching.
In the secretariat's role the File menu offers 「フォルダから審査回を登録…」 where the reviewer's
「バンドルを追加…」 was (a clerk looking in the File menu used to find only greyed-out entries).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup

from ...i18n import tr

ROLES = ("reviewer", "secretariat")


class RoleSwitch(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.secretariat_home: Any = None
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        window.settings_menu.addSeparator()
        for role in ROLES:
            a = QAction(self)
            a.setObjectName(f"role_{role}")
            a.setCheckable(True)
            a.triggered.connect(lambda _c=False, r=role: self.switch(r))
            self.group.addAction(a)
            window.settings_menu.addAction(a)
            self.actions[role] = a
        self.register_action = QAction(self)
        self.register_action.setObjectName("registerRound")
        self.register_action.triggered.connect(self._register)
        window.file_menu.insertAction(window.add_action, self.register_action)
        self.retranslate()
        role = window.settings.value("role")
        self.switch(role if role in ROLES else "reviewer", remember=False)

    def retranslate(self) -> None:
        for role, a in self.actions.items():
            a.setText(tr(f"gui.secretariat.role.{role}"))
        self.register_action.setText(tr("gui.secretariat.role.register"))

    def _register(self) -> None:
        if self.secretariat_home is not None:
            self.secretariat_home.open_setup()

    @property
    def role(self) -> str:
        return "secretariat" if self.secretariat_home is not None and \
            self.window.stack.currentWidget() is self.secretariat_home else "reviewer"

    def switch(self, role: str, *, remember: bool = True) -> None:
        w = self.window
        if role == "secretariat":
            if w.round_view is not None:
                w.close_round()
                if w.round_view is not None:  # the open round could not commit its edits: stay
                    self.actions["reviewer"].setChecked(True)
                    return
            if self.secretariat_home is None:
                from .home import SecretariatHome

                self.secretariat_home = SecretariatHome(w)
                w.stack.addWidget(self.secretariat_home)
            w.stack.setCurrentWidget(self.secretariat_home)
        else:
            w.stack.setCurrentWidget(w.home)
        w.add_action.setEnabled(role == "reviewer")
        w.add_action.setVisible(role == "reviewer")
        self.register_action.setVisible(role == "secretariat")
        w.role = role
        self.actions[role].setChecked(True)
        if remember:
            w.settings.set("role", role)
