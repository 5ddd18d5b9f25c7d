"""Date and month pickers that write month names in the language in use (a Spanish window shows 'nov', 'noviembre')."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateTimeEdit

from caseworker_app.local_format import babel_locale


def language_locale() -> QLocale:
    """The Qt locale of the language in use ('en' as in the United States)."""
    return QLocale(babel_locale())


def in_language(edit: QDateTimeEdit, display_format: str) -> QDateTimeEdit:
    """Month names in the window's language, not the system's: the format's MMM/MMMM follow the edit's locale."""
    edit.setLocale(language_locale())
    edit.setDisplayFormat(display_format)
    return edit
