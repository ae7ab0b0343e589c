"""The secretariat's domain: round setup, its store, result checks, aggregation, decisions and documents.

Modules are imported where used (nothing here), so a command that only lists rounds does not
load reportlab or openpyxl.
"""
