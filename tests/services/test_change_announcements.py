"""Every write announces what it changed once it has committed, whichever use case or path made it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from services_kit import Household

from caseworker_app.domain import Task
from caseworker_app.domain.errors import ValidationError
from caseworker_app.services import attendance, changes, referrals, tasks, visits
from caseworker_app.services.changes import Changes
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot


@pytest.fixture
def heard() -> Iterator[list[Changes]]:
    found: list[Changes] = []
    stop = changes.listen(found.append)
    yield found
    stop()


def test_each_use_case_announces_its_kinds_and_case_after_commit(
    store: LocalStore, household: Household, heard: list[Changes]
) -> None:
    case_id = household.case.id
    draft = visits.start_visit(store, case_id)
    assert heard[-1].touches(case_id=case_id, kinds=["Visit"]) and heard[-1].touches(case_id=case_id, kinds=["Note"])
    assert changes.OUTBOX in heard[-1].kinds  # the count of unsynced changes moved too
    assert not heard[-1].touches(case_id="another-case", kinds=["Visit"])

    visits.update_draft(store, draft.visit.id, {"narrative": "Met Rosa at the door."}, seen=draft)
    assert heard[-1].touches(case_id=case_id, kinds=["Note"])

    task = tasks.add_task(store, case_id, "Call the school nurse", date(2026, 12, 1))
    assert heard[-1].kinds >= {"Task"} and heard[-1].cases == {case_id}
    tasks.complete_task(store, task.id)
    assert heard[-1].touches(case_id=case_id, kinds=["Task"])

    referrals.add_referral(store, case_id, "food_backpack", referred_on=date(2026, 11, 2))
    assert heard[-1].touches(case_id=case_id, kinds=["Referral"])

    attendance.record_attendance(store, household.ana.id, "2026-11", days_enrolled=20, days_absent=1)
    assert heard[-1].touches(case_id=case_id, kinds=["AttendanceRecord"])


def test_a_failed_write_announces_nothing(store: LocalStore, household: Household, heard: list[Changes]) -> None:
    with pytest.raises(ValidationError):
        tasks.add_task(store, household.case.id, " ", date(2026, 12, 1))
    with pytest.raises(ValidationError), store.repo.unit() as uow:
        uow.add(Task(case_id=household.case.id, title="Rolled back", due_on=date(2026, 12, 1)))
        raise ValidationError("title", "rolled back on purpose")
    assert heard == []


def test_a_bulk_write_such_as_a_first_pull_announces_its_kinds_for_every_case(
    store: LocalStore, household: Household, heard: list[Changes]
) -> None:
    import_snapshot(store.db, [Task(case_id=household.case.id, title="From the server", due_on=date(2026, 12, 1))])
    assert heard and heard[-1].touches(case_id=household.case.id, kinds=["Task"])
    assert heard[-1].touches(case_id="any-other-case", kinds=["Task"])  # a bulk statement names no rows
