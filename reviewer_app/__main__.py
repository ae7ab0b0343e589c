"""``python -m reviewer_app`` runs the same entry point as the ``reviewer-app`` command."""

import sys

from reviewer_app.cli import main

sys.exit(main())
