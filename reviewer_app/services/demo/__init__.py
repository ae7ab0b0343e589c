"""The demo round: a complete, fictional review round a newcomer can try in a minute.

``ensure_demo_round()`` creates it the first time in the demo's own data folder
(``demo_home()``, never the real one) and reuses it afterwards: secretariat keys, eight
generated 構想調書 PDFs of fictional universities, the 2009 rubric, band targets, and one
reviewer's assignment bundle added to that folder's workspace. The passphrase is fixed and
shown to the user (``DEMO_PASSPHRASE``). Qt-free: the GUI (``reviewer-app demo``) and tests call it.
"""

from __future__ import annotations

from .round import DEMO_PASSPHRASE, DEMO_ROUND_ID, DemoRound, demo_home, ensure_demo_round

__all__ = ["DEMO_PASSPHRASE", "DEMO_ROUND_ID", "DemoRound", "demo_home", "ensure_demo_round"]
