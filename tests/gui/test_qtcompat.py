"""The app survives a long session on every supported Python/PySide6 pair (none_dealloc)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from reviewer_app.gui import qtcompat

LOOP = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.argv[1] == "protected":
        import reviewer_app.gui  # noqa: F401  (applies the workaround)
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    class Editor(QObject):
        edited = Signal(str)           # emit() returns True: the call that loses a True

    app = QApplication([])
    label = QLabel()
    editor = Editor()
    editor.edited.connect(label.setText)
    for i in range(int(sys.argv[2])):
        label.setText(str(i % 7))      # returns nothing: the call that loses a None
        editor.edited.emit("x")        # as every keystroke in a comment box does
        if i % 10 == 0:
            app.processEvents()        # another void call, as pytest-qt's waiting makes
    label.show()
    print("survived", flush=True)
    """
)


def _run(mode: str, calls: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LOOP, mode, str(calls)], capture_output=True, text=True, timeout=600)


def test_fifty_thousand_void_qt_calls_and_signal_emits_do_not_abort_the_process() -> None:
    proc = _run("protected", 50_000)
    assert proc.returncode == 0, proc.stderr
    assert "survived" in proc.stdout


def test_the_workaround_is_what_keeps_it_alive_where_the_bug_exists() -> None:
    """Without the workaround the same loop aborts on an affected pair, so the test above means something."""
    proc = _run("bare", 50_000)
    if qtcompat.needs_protection() and proc.returncode != 0:
        assert "none_dealloc" in proc.stderr or "bool_dealloc" in proc.stderr
    else:
        # Python 3.12+ (immortal None) or a fixed PySide6: nothing to protect against.
        assert proc.returncode == 0, proc.stderr


def test_protection_is_idempotent_and_gated_on_the_interpreter() -> None:
    before = [sys.getrefcount(obj) for obj in qtcompat.PROTECTED]
    applied = qtcompat.protect_none()
    assert applied == qtcompat.needs_protection()
    # Calling again adds nothing more (the counts only move by ordinary use in between).
    after = [sys.getrefcount(obj) for obj in qtcompat.PROTECTED]
    assert all(abs(a - b) < qtcompat.EXTRA_REFERENCES // 2 for a, b in zip(after, before))
    if applied:
        assert all(count > qtcompat.EXTRA_REFERENCES for count in after)
