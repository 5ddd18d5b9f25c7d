"""How codes and dates read on screen: 'very_high' -> 'Very high', dates as '3 Nov 2026', times local with zone."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.domain.clock import to_local
from caseworker_app.domain.vocabulary import PROTECTIVE_CAPACITIES, SAFETY_THREATS, SERVICE_LABELS, ServiceType


def label(code: str | None) -> str:
    if not code:
        return ""
    if code in SERVICE_LABELS:
        return SERVICE_LABELS[ServiceType(code)]
    if code in SAFETY_THREATS:
        return SAFETY_THREATS[code]
    if code in PROTECTIVE_CAPACITIES:
        return PROTECTIVE_CAPACITIES[code]
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


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
