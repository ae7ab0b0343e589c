"""The PySide6 desktop front end. Widgets call services only, never storage or crypto.

Importing this package first protects the interpreter from PySide6 6.12.0's lost reference
to ``None`` on CPython 3.11 (see :mod:`.qtcompat`), before any Qt call can be made.
"""

from .qtcompat import protect_none

protect_none()
