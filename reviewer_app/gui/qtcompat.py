"""Work around PySide6 6.12.0's lost references to ``None``, ``True`` and ``False`` on CPython < 3.12.

The bug: every Qt call that returns nothing (``setText``, ``show``, ``processEvents`` …)
returns ``None`` from shiboken without the matching ``Py_INCREF``, so each call takes one
reference to ``None`` away from its owners. On CPython 3.11 ``None`` is an ordinary object
whose reference count starts near 5,000: after about that many calls it reaches zero and the
interpreter aborts with ``Fatal Python error: none_dealloc``. A reviewer scoring for an hour
makes far more calls than that.

The same bug hits ``True``: every Python-side ``Signal.emit(...)`` returns ``True`` without a
reference, so after a few hundred to a few thousand emits (one per keystroke in an editor
that emits on change) the process aborts with ``Fatal Python error: bool_dealloc``. ``False``
is protected the same way, since the same code paths can return it.

CPython 3.12 made ``None`` immortal (PEP 683): its count is no longer decremented, so the
bug is harmless there. This module gives 3.11 the same property, in the same spirit: it adds
2**40 to the reference counts of ``None``, ``True`` and ``False`` once, at start-up. At one lost reference per Qt call that
is more calls than a process can make in years; ``None`` is never freed in any case, so the
extra count changes nothing else (nor are the two bools). On 3.12+ the function does nothing.

Why this and not a dependency pin to 6.11: before 6.12 QtPdf ships only in the large
PySide6-Addons wheel (not in ``PySide6-Pdf``), 6.11.3 has its own ``QTest.qWait`` variant of
the bug, and a pin would hold back every later 6.12.x release whether or not it is fixed.
The workaround is gated on the interpreter, not on the PySide6 version, because it is
harmless where the bug is absent and needed wherever a build with the bug meets 3.11.

Call :func:`protect_none` before the first Qt call (``gui/__init__`` does, so importing
anything from the GUI package is enough, and the tests' pytest-qt waiting is covered too).
"""

from __future__ import annotations

import ctypes
import sys

#: Added once to each protected singleton's reference count on CPython < 3.12.
EXTRA_REFERENCES = 1 << 40

_done = False


def needs_protection() -> bool:
    """True on CPython before 3.12, where these singletons can be deallocated by a refcount bug."""
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


#: The singletons PySide6 6.12.0 returns without a reference (``None`` from void calls,
#: ``True``/``False`` from ``Signal.emit``).
PROTECTED: tuple[object, ...] = (None, True, False)


def protect_none() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal on CPython < 3.12; idempotent."""
    global _done
    if _done or not needs_protection():
        return _done
    # PyObject starts with ``Py_ssize_t ob_refcnt`` in every non-debug CPython 3.x build;
    # ``id(obj)`` is its address. Writing the field directly is what Py_INCREF does.
    for obj in PROTECTED:
        ctypes.c_ssize_t.from_address(id(obj)).value += EXTRA_REFERENCES
    _done = True
    return True
