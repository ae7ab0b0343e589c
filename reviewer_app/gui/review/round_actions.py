"""The round view's commands (menus and keys), built in one place so the shortcut page lists them all.

Every action is also added to the round view itself, so its keys work whether or not the
application window puts it in a menu. Zoom, closing the round and quitting belong to the
application window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from ...i18n import tr

Seq = QKeySequence
Key = QKeySequence.StandardKey


@dataclass
class RoundActions:
    export: QAction
    print: QAction
    overview: QAction
    next_proposal: QAction
    previous_proposal: QAction
    focus_list: QAction
    focus_pdf: QAction
    focus_form: QAction
    find_in_pdf: QAction
    declare_conflict: QAction
    shortcuts: QAction
    _texts: dict[str, str] = field(default_factory=dict)

    def menus(self) -> dict[str, list[QAction]]:
        return {
            "file": [self.export, self.print],
            "view": [self.overview, self.next_proposal, self.previous_proposal, self.focus_list, self.focus_pdf,
                     self.focus_form, self.find_in_pdf, self.declare_conflict],
            "help": [self.shortcuts],
        }

    def all(self) -> list[QAction]:
        return [a for acts in self.menus().values() for a in acts]

    def retranslate(self) -> None:
        for name, key in self._texts.items():
            action: QAction = getattr(self, name)
            action.setText(tr(key))
            action.setToolTip(tr(key).replace("…", ""))


def build_actions(owner: QObject, slots: dict[str, Callable[[], object]]) -> RoundActions:
    def make(name: str, shortcuts: list[QKeySequence]) -> QAction:
        a = QAction(owner)
        a.setObjectName(f"round_{name}")
        a.setShortcuts(shortcuts)
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        slot = slots[name]
        a.triggered.connect(lambda _checked=False: slot())
        return a

    actions = RoundActions(
        export=make("export", [Seq("Ctrl+E")]),
        print=make("print", [Seq(Key.Print)]),
        overview=make("overview", [Seq("Ctrl+Shift+O")]),
        next_proposal=make("next_proposal", [Seq("Ctrl+PgDown"), Seq("Alt+Down")]),
        previous_proposal=make("previous_proposal", [Seq("Ctrl+PgUp"), Seq("Alt+Up")]),
        focus_list=make("focus_list", [Seq("Alt+1")]),
        focus_pdf=make("focus_pdf", [Seq("Alt+2")]),
        focus_form=make("focus_form", [Seq("Alt+3")]),
        find_in_pdf=make("find_in_pdf", [Seq(Key.Find)]),
        declare_conflict=make("declare_conflict", []),
        shortcuts=make("shortcuts", [Seq(Key.HelpContents), Seq("F1")]),
    )
    actions._texts = {name: f"gui.review.action.{name}" for name in slots}
    # F1 is HelpContents on most platforms; avoid listing it twice on those.
    unique: list[QKeySequence] = []
    for s in actions.shortcuts.shortcuts():
        if s not in unique:
            unique.append(s)
    actions.shortcuts.setShortcuts(unique)
    actions.retranslate()
    return actions
