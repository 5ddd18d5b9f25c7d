"""How codes and dates read on screen: 'very_high' -> 'Very high', dates as '3 Nov 2026', times local with zone."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.domain.clock import to_local
from caseworker_app.domain.vocabulary import as_words


def label(code: str | None) -> str:
    """A code as the window shows it, worded as on the PDFs (domain.vocabulary.as_words)."""
    return as_words(code)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: date | None) -> str:
    # not strftime: it is locale-bound and slow enough to matter over a few thousand rows
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def local_time(moment: datetime | None) -> str:
    """A moment in the computer's time zone, with the zone shown."""
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local.day} {local:%b %Y %H:%M %Z}"


def clock(moment: datetime) -> str:
    return f"{to_local(moment):%H:%M}"
