"""Offline scoring for the document review (書面審査) of 国際化拠点整備事業 proposals."""

__version__ = "0.1.0"
APP_NAME = "reviewer-app"
