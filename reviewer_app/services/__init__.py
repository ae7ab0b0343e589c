"""Use cases shared by the GUI and the CLI. Qt-free."""
