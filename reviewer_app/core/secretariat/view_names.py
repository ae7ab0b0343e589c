"""The names of the tabular views (exports, ``round export --view``): kept apart so the CLI parser loads nothing heavy."""

from __future__ import annotations

VIEWS = ("proposals", "reviews", "reviewers", "decisions", "decision_history", "not_returned", "imports")
