"""The language one document is written in: its catalog, its dates and numbers, and its own name.

A family's copy may be Spanish while the window is English, and it is laid out in a background
thread, so report code never uses the process's `_`: it asks the document's `DocumentText`, whose
`_` and `ngettext` methods Babel extracts like the functions (`t._("Visit summary")`).
"""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app import i18n
from caseworker_app.domain.clock import to_local
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.local_format import babel_locale, day_text, month_text, number_text, time_text
from caseworker_app.services.reports.errors import ExportError
from caseworker_app.services.written_language import (
    base_language,
    language_name,
    untranslated_message,
    written_languages,
)

EMPTY = "—"


class DocumentText:
    """Text, dates and numbers of one document, in `language` (English when it has no catalog)."""

    def __init__(self, language: str | None = None) -> None:
        self.language = base_language(language or i18n.current_language())
        self._catalog = i18n.translations(self.language)

    def _(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def words(self, code: str | None) -> str:
        """A code as words in this language ("conditionally_safe" -> "Conditionally safe")."""
        return as_words(code, translate=self._) if code else ""

    def day(self, day: date | None) -> str:
        return day_text(day, self.language) if day else EMPTY

    def time(self, moment: datetime) -> str:
        return time_text(moment, self.language)

    def moment(self, moment: datetime | None) -> str:
        """A date and time with the zone: 'Nov 3, 2026, 3:30 PM EST' / '3 nov 2026, 15:30 EST'."""
        if moment is None:
            return EMPTY
        return f"{self.day(to_local(moment).date())}, {self.time(moment)}"

    def period(self, period: str) -> str:
        """An attendance period: '2025-03' reads 'Mar 2025'; other forms print as stored."""
        head, _sep, tail = period.strip().partition("-")
        if head.isdigit() and len(head) == 4 and tail.isdigit() and len(tail) == 2 and 1 <= int(tail) <= 12:
            return month_text(int(head), int(tail), self.language)
        return period

    def number(self, n: int | float) -> str:
        return number_text(n, self.language)

    def percent(self, fraction: float) -> str:
        """'12.5%' / '12,5 %'."""
        from babel.numbers import format_percent

        return format_percent(fraction, "#,##0.0%", locale=babel_locale(self.language))

    def written_in(self) -> str:
        """What the page says about its language: 'Written in Spanish / Redactado en español'.

        In English too for a worker who does not read the family's language.
        """
        english = "Written in {language}".format(language=language_name(self.language, "en"))
        if self.language == "en":
            return english
        own = self._("Written in {language}").format(language=language_name(self.language, self.language))
        return f"{english} / {own}"

    @property
    def pdf_lang(self) -> str:
        """The document's language for PDF readers and screen readers (/Lang): 'es', 'en-US'."""
        return "en-US" if self.language == "en" else self.language



def check_written_language(code: str) -> str:
    """The language to write in ('es' for 'es-MX'); refuses one without a catalog, never half-translating."""
    language = base_language(code)
    if language not in written_languages():
        raise ExportError(untranslated_message(code))
    return language
