"""The benchmark command: ``python -m tests.benchmarks [--long] [name-filter …]``.

Prints one line per case: ``name<TAB>figure<TAB>unit``. Each ``bench_*.py`` module in this
folder defines ``cases(long: bool)`` yielding ``(name, function)`` pairs; a function returns
a list of ``(name, figure, unit)`` rows. These are measurements, never pass/fail tests.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    long = "--long" in argv
    filters = [a for a in argv if not a.startswith("--")]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("REVIEWER_APP_HOME", tempfile.mkdtemp(prefix="reviewer-bench-"))
    package = "tests.benchmarks"
    modules = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    print("case\tfigure\tunit")
    for modname in modules:
        mod = importlib.import_module(f"{package}.{modname}")
        for name, fn in mod.cases(long):
            if filters and not any(f in name for f in filters):
                continue
            for row_name, figure, unit in fn():
                print(f"{row_name}\t{figure:.6g}\t{unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
