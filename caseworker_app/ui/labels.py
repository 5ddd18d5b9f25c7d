"""How codes, dates and times read on screen: 'very_high' -> 'Very high', days and times as the
language in use writes them (local_format), times local with the zone shown.

Lists format thousands of rows: days are cached by local_format, times of day here (a day has only
1,440 minutes), so a refresh never asks Babel again for a text it already made.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from caseworker_app.domain.clock import to_local
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.local_format import babel_locale, day_text


def label(code: str | None) -> str:
    """A code as the window shows it, worded as on the PDFs (domain.vocabulary.as_words)."""
    return as_words(code)


def short_date(day: date | None) -> str:
    """'Nov 3, 2026' / '3 nov 2026'."""
    return day_text(day) if day else ""


@lru_cache(maxsize=4096)
def _time_of_day(hour: int, minute: int, locale: str) -> str:
    from babel.dates import format_time  # loaded on first use, off the start-up path

    # CLDR puts a narrow no-break space before AM/PM; a plain no-break space is in every font
    return format_time(time(hour, minute), "short", locale=locale).replace("\u202f", "\xa0")


def clock(moment: datetime) -> str:
    """The local time of day without the zone: '3:30 PM' / '15:30'."""
    local = to_local(moment)
    return _time_of_day(local.hour, local.minute, babel_locale())


def local_time(moment: datetime | None) -> str:
    """A moment in the computer's time zone, with the zone shown: 'Nov 3, 2026 3:30 PM EST'
    (the same text as local_format.moment_text)."""
    if moment is None:
        return ""
    local = to_local(moment)
    text = f"{day_text(local.date())} {_time_of_day(local.hour, local.minute, babel_locale())}"
    zone = local.tzname()
    return f"{text} {zone}" if zone else text


def weekday(day: date) -> str:
    """'Tuesday' / 'martes'."""
    return day_text(day, width="EEEE")
