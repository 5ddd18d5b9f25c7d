"""Dates, times and numbers as a language writes them (Babel), with the zone abbreviation kept.

One place for the window, the terminal and the PDFs: `language=None` means the language in use
(`i18n.current_language()`); a PDF for a family passes the family's language. Instants are stored
in UTC and shown in this computer's zone; its abbreviation (EST, CDT) is kept as written, since the
same abbreviation is what a person reads on a clock or a letter in either language.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from caseworker_app import i18n
from caseworker_app.domain.clock import to_local


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of a language code ('en', and the pseudo language, are written as in the United States)."""
    code = language or i18n.current_language()
    return "en_US" if code.split("_")[0] == "en" or code == i18n.PSEUDO else code


@lru_cache(maxsize=8192)  # lists show thousands of rows over a few hundred distinct days
def _day(day: date, locale: str, width: str) -> str:
    from babel.dates import format_date  # loaded on first use, off the start-up path

    return format_date(day, width, locale=locale)


def day_text(day: date | None, language: str | None = None, width: str = "medium") -> str:
    """'Nov 3, 2026' / '3 nov 2026' (width 'long': 'November 3, 2026' / '3 de noviembre de 2026')."""
    return _day(day, babel_locale(language), width) if day else ""


def time_text(moment: datetime, language: str | None = None) -> str:
    """Local time with the zone's abbreviation: '3:30 PM EST' / '15:30 EST'."""
    from babel.dates import format_time

    here = to_local(moment)
    # CLDR puts a narrow no-break space before AM/PM; a plain no-break space is in every font
    text = format_time(here.replace(tzinfo=None), "short", locale=babel_locale(language)).replace("\u202f", "\xa0")
    zone = here.tzname()
    return f"{text} {zone}" if zone else text


def moment_text(moment: datetime | None, language: str | None = None) -> str:
    """A local date and time with the zone: 'Nov 3, 2026 3:30 PM EST' / '3 nov 2026 15:30 EST'."""
    if moment is None:
        return ""
    return f"{day_text(to_local(moment).date(), language)} {time_text(moment, language)}"


def month_text(year: int, month: int, language: str | None = None) -> str:
    """An attendance period: 'Mar 2025' / 'mar 2025'."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMM", date(year, month, 1), locale=babel_locale(language))


def number_text(n: int | float, language: str | None = None) -> str:
    """A count or figure: '12,000' / '12.000'."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=babel_locale(language))
