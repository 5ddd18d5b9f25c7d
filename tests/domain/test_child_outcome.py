"""A child not seen (with a reason) is still due the monthly visit; a child seen is not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseworker_app.domain.entities import ChildSeen, Person, Visit
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.rules import visits_due
from caseworker_app.domain.vocabulary import ContactType, PersonRole


def test_a_child_not_seen_stays_due_and_a_child_seen_does_not() -> None:
    ana = Person(case_id="c1", role=PersonRole.CHILD, first_name="Ana", last_name="Silva")
    ben = Person(case_id="c1", role=PersonRole.CHILD, first_name="Ben", last_name="Silva")
    visit = Visit(case_id="c1", contact_type=ContactType.HOME_VISIT, occurred_at=datetime(2026, 11, 10, 16, tzinfo=UTC),
                  children=[ChildSeen(person_id=ana.id, seen=True, seen_alone=True),
                            ChildSeen(person_id=ben.id, not_seen_reason="not_home")])
    visit.validate()
    due = {d.child_id: d for d in visits_due([ana, ben], [visit], date(2026, 11, 20))}
    assert not due[ana.id].due and due[ana.id].last_seen == date(2026, 11, 10)
    assert due[ben.id].due and due[ben.id].last_seen is None


@pytest.mark.parametrize("record", [
    ChildSeen(person_id="p", seen=True, not_seen_reason="refused"),
    ChildSeen(person_id="p", not_seen_reason="on_holiday"),
    ChildSeen(person_id="p", seen_alone=True),
])
def test_contradictory_outcomes_are_refused(record: ChildSeen) -> None:
    with pytest.raises(ValidationError):
        record.validate()
