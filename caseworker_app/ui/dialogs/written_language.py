"""Which language written material is in: the export dialog's "Language:" row, and the list a
case or a member records the family's language with.

A family's copy starts in the family's language, every other copy in the worker's (the window's).
Only languages with a catalog are offered; a family whose language has none is told so, with the
choices, instead of receiving a half-translated document.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from caseworker_app.i18n import _
from caseworker_app.services.written_language import (
    FAMILY_LANGUAGES,
    base_language,
    default_language,
    language_name,
    untranslated_message,
    written_languages,
)


class LanguageChoice(QWidget):
    """A list of the languages a PDF can be written in, and a note when the family's is missing."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(_("Language of the PDF"))
        for code in written_languages():
            self.combo.addItem(language_name(code), code)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("Language note"))
        self.note.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.combo)
        column.addWidget(self.note)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def code(self) -> str:
        return str(self.combo.currentData())

    def follow(self, for_family: bool, family_language: str) -> None:
        """Select the copy's default language; say so when the family's language has no catalog."""
        wanted = default_language(for_family, family_language)
        missing = for_family and bool(family_language) and wanted not in written_languages()
        if missing:
            wanted = default_language(False, "")
        self.note.setText(untranslated_message(family_language) if missing else "")
        self.note.setVisible(missing)
        index = self.combo.findData(base_language(wanted))
        self.combo.setCurrentIndex(index if index >= 0 else 0)


def preferred_language_combo(current: str) -> QComboBox:
    """"Not recorded" and the usual languages by name (in the window's language), `current` selected."""
    combo = QComboBox()
    combo.setAccessibleName(_("Language for written material"))
    combo.addItem(_("Not recorded"), "")
    codes = list(FAMILY_LANGUAGES) + ([current] if current and current not in FAMILY_LANGUAGES else [])
    for code in codes:
        combo.addItem(language_name(code), code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo
