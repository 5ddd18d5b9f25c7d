"""Attendance periods are months, one spelling each: "Nov" never becomes a period of its own."""

from __future__ import annotations

import pytest
from services_kit import Household

from caseworker_app.domain import ValidationError
from caseworker_app.domain.entities import AttendanceRecord
from caseworker_app.services import attendance
from caseworker_app.store.local_store import LocalStore


@pytest.mark.parametrize("period", ["Nov", "November 2026", "2026-13", "2026-00", "26-11", "2026/11", "2026-1", ""])
def test_anything_but_a_real_month_is_refused_with_a_clear_message(
    store: LocalStore, household: Household, period: str
) -> None:
    with pytest.raises(ValidationError, match=r"is not a month\..*for example 2026-11") as refused:
        attendance.record_attendance(store, household.ana.id, period, days_enrolled=20, days_absent=3)
    assert refused.value.field == "period"
    assert store.repo.for_case(AttendanceRecord, household.case.id) == []  # nothing stored


def test_a_month_is_stored_once_however_it_is_padded(store: LocalStore, household: Household) -> None:
    attendance.record_attendance(store, household.ana.id, "2026-11", days_enrolled=20, days_absent=3)
    result = attendance.record_attendance(store, household.ana.id, " 2026-11 ", days_enrolled=20, days_absent=1)
    assert [(r.period, r.days_absent) for r in result.records] == [("2026-11", 1)]
