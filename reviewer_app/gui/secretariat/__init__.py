"""The secretariat's windows (issue 12): run a round from a setup folder to the decision tables.

Every screen calls ``reviewer_app.services.secretariat.Secretariat`` only (never the store or
the crypto). ``home.SecretariatHome`` is the workspace; ``role.install_role_switch`` hooks it
into the application window as the second role.
"""
