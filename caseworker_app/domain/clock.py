"""One clock: every stored instant is UTC with its offset; local time is for display only.

Dates (birthdays, due dates) stay dates. A naive datetime reaching the domain is taken as
UTC, so the rule never depends on the machine it runs on; a time a person types is local
wall-clock time and becomes UTC through `from_local` at the edge (services, window, terminal).
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


def now_iso() -> str:
    """The stamp of system events (audit, outbox, sync bookkeeping): UTC, to the millisecond, sortable as text."""
    return now_utc().isoformat(timespec="milliseconds")


def as_utc(moment: datetime | None) -> datetime | None:
    """The same instant in UTC (a naive one is taken as UTC), so stored text sorts in time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def from_local(moment: datetime) -> datetime:
    """A wall-clock time a person entered on this computer (naive = this computer's zone), in UTC."""
    return (moment if moment.tzinfo is not None else moment.astimezone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """An instant in this computer's zone, for display; tzname() gives the zone's abbreviation (EST, CET)."""
    return (as_utc(moment) or moment).astimezone()


def local_date(moment: datetime) -> date:
    """The calendar day an instant falls on here (a visit at 23:30 local belongs to that day, not UTC's)."""
    return to_local(moment).date()


def local_text(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as local time with the zone abbreviation, for a terminal or a list."""
    here = to_local(moment)
    return f"{here.strftime(fmt)} {here.tzname() or ''}".rstrip()
