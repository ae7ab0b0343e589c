"""The PySide6 desktop front end. Widgets call services only, never storage or crypto."""
