"""School attendance per child and period, with the chronic absenteeism flag (10% or more of days missed)."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.domain.entities import AttendanceRecord, Person
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.rules import absence_rate, attendance_month, is_chronically_absent
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore


@dataclass(frozen=True)
class ChildAttendance:
    """One child's records, oldest period first, and whether the child is chronically absent over them."""

    child_id: str
    records: list[AttendanceRecord]
    chronically_absent: bool

    def rate(self, period: str) -> float | None:
        found = [r for r in self.records if r.period == period]
        return absence_rate(found[0]) if found else None


def record_attendance(
    store: LocalStore,
    child_id: str,
    period: str,
    *,
    days_enrolled: int,
    days_absent: int,
    days_tardy: int = 0,
    seen: AttendanceRecord | None = None,
) -> ChildAttendance:
    """Record (or correct) a child's attendance for a month such as "2026-11"; one record per child and month.

    A correction writes only the counts changed since `seen` (the record the form showed).
    Returns the child's attendance with the chronic absenteeism flag. Raises ValidationError.
    """
    child = store.repo.get(Person, child_id)
    if child.role is not PersonRole.CHILD:
        raise ValidationError("child_id", _("Attendance is recorded for children."))
    period = attendance_month(period)  # one spelling per month: "Nov" is refused, never a period of its own
    counts = {"days_enrolled": days_enrolled, "days_absent": days_absent, "days_tardy": days_tardy}
    with store.repo.unit() as uow:
        existing = uow.find(AttendanceRecord, child_id=child.id, period=period.strip())
        if existing:
            uow.update(AttendanceRecord, existing[0].id, counts, seen=seen or existing[0])
        else:
            uow.add(
                AttendanceRecord(
                    case_id=child.case_id,
                    child_id=child.id,
                    period=period.strip(),
                    days_enrolled=days_enrolled,
                    days_absent=days_absent,
                    days_tardy=days_tardy,
                )
            )
    return child_attendance(store, child.id)


def child_attendance(store: LocalStore, child_id: str) -> ChildAttendance:
    child = store.repo.get(Person, child_id)
    records = sorted(
        (r for r in store.repo.for_case(AttendanceRecord, child.case_id) if r.child_id == child.id),
        key=lambda r: r.period,
    )
    return ChildAttendance(child.id, records, is_chronically_absent(records))
