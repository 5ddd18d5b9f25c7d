"""Business rules: visits due, chronic absenteeism, note immutability."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseworker_app.domain.clock import local_date
from caseworker_app.domain.entities import AttendanceRecord, Note, Person, Visit
from caseworker_app.domain.errors import FinalizedNoteError, ValidationError
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.i18n import _

CHRONIC_ABSENCE_RATE = 0.10
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a school year outside these is a typing slip


def attendance_month(period: str) -> str:
    """An attendance period as the store keeps it, "2026-11"; anything but a real month raises ValidationError.

    One spelling per month, so "Nov" and "2026-11" can never count as two periods.
    """
    text = period.strip()
    year, dash, month = text.partition("-")
    if (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()
            and FIRST_YEAR <= int(year) <= LAST_YEAR and 1 <= int(month) <= 12):
        return text
    raise ValidationError(
        "period",
        _("“{period}” is not a month. Choose the month the counts cover, written as year and month "
          "(for example 2026-11).").format(period=text),
    )


def is_chronically_absent(records: Iterable[AttendanceRecord]) -> bool:
    """Chronic absenteeism: 10% or more of enrolled school days missed over the records given."""
    enrolled = absent = 0
    for record in records:
        enrolled += record.days_enrolled
        absent += record.days_absent
    return enrolled > 0 and absent / enrolled >= CHRONIC_ABSENCE_RATE


def absence_rate(record: AttendanceRecord) -> float:
    return record.days_absent / record.days_enrolled if record.days_enrolled else 0.0


@dataclass(frozen=True)
class VisitDue:
    """A child's monthly face-to-face visit status as of a day."""

    child_id: str
    last_seen: date | None
    due: bool


def month_start(day: date) -> date:
    return day.replace(day=1)


def visits_due(children: Iterable[Person], visits: Iterable[Visit], today: date) -> list[VisitDue]:
    """Each child must be seen face to face once per calendar month.

    A completed face-to-face contact where the child was seen meets this month's
    visit; attempted contacts and phone calls do not.
    """
    last_seen: dict[str, date] = {}
    for visit in visits:
        if visit.deleted_at is not None:
            continue
        day = local_date(visit.occurred_at)  # the month a visit counts for is the local one
        if day > today:
            continue
        for child_id in visit.children_seen():
            if child_id not in last_seen or last_seen[child_id] < day:
                last_seen[child_id] = day
    result = []
    for child in children:
        if child.role is not PersonRole.CHILD or child.deleted_at is not None:
            continue
        seen = last_seen.get(child.id)
        due = seen is None or seen < month_start(today)
        result.append(VisitDue(child.id, seen, due))
    return result


def check_note_change(before: Note, after: Note) -> None:
    """Raise if a change would alter a finalized note; addenda are new notes."""
    if not before.is_final:
        return
    changed = [
        name
        for name in (
            "narrative",
            "author",
            "visit_id",
            "status",
            "written_at",
            "finalized_at",
            "addendum_to",
            "case_id",
        )
        if getattr(before, name) != getattr(after, name)
    ]
    if changed or after.deleted_at is not None:
        raise FinalizedNoteError(
            "This note is finalized and cannot be changed. Add an addendum to correct it."
        )
