"""Qt-free domain code: rubric, scoring, bundles, storage, keys, sheets. No PySide6 here."""
