"""Modules loaded on first use, so a command pays only for what it runs.

``bundle_api = lazy_module("reviewer_app.services.bundles")`` reads like an import and is used
like one, but the module (and the cryptography and keyring it pulls in) is executed only when
an attribute is first read. Recording a grade never touches it, and so never loads it.
This is the standard library's ``importlib.util.LazyLoader`` recipe.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """``name`` as a module object that executes on first attribute access (at once if already loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
