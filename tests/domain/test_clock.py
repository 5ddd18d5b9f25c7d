"""One clock: instants stored in UTC with their offset, shown in local time with the zone's name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from helpers import local_zone

from caseworker_app.domain import ChildSeen, Note, Person, Visit
from caseworker_app.domain.clock import as_utc, from_local, local_date, local_text
from caseworker_app.domain.codec import encode
from caseworker_app.domain.rules import visits_due
from caseworker_app.domain.vocabulary import ContactType, PersonRole

EASTERN = timezone(timedelta(hours=-5))
BERLIN_WINTER = timezone(timedelta(hours=1))


def visit_at(moment: datetime) -> Visit:
    return Visit(case_id="c", contact_type=ContactType.HOME_VISIT, occurred_at=moment)


def test_visits_recorded_in_two_zones_are_stored_in_utc_and_sort_as_text() -> None:
    # 10:00 in New York is 15:00 UTC, later than 14:30 in Berlin (13:30 UTC): as text, "10:00" sorted first.
    new_york = visit_at(datetime(2026, 11, 2, 10, 0, tzinfo=EASTERN))
    berlin = visit_at(datetime(2026, 11, 2, 14, 30, tzinfo=BERLIN_WINTER))
    stored = [encode(v)["occurred_at"] for v in (new_york, berlin)]
    assert stored == ["2026-11-02T15:00:00+00:00", "2026-11-02T13:30:00+00:00"]
    assert sorted(stored) == [encode(v)["occurred_at"] for v in sorted((new_york, berlin), key=lambda v: v.occurred_at)]
    note = Note(case_id="c", author="a", written_at=datetime(2026, 11, 2, 9, 0, tzinfo=EASTERN))
    assert encode(note)["written_at"] == "2026-11-02T14:00:00+00:00"


def test_a_naive_instant_is_utc_whatever_the_computers_zone() -> None:
    with local_zone("Asia/Tokyo"):
        assert as_utc(datetime(2026, 11, 2, 10, 0)) == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
        assert encode(visit_at(datetime(2026, 11, 2, 10, 0)))["occurred_at"] == "2026-11-02T10:00:00+00:00"


def test_times_people_type_are_local_and_shown_back_with_the_zone_across_a_dst_change() -> None:
    with local_zone("America/New_York"):
        # 2026-03-08 02:00 EST the clocks go forward to 03:00 EDT
        before = visit_at(from_local(datetime(2026, 3, 8, 1, 30)))
        after = visit_at(from_local(datetime(2026, 3, 8, 3, 30)))
        assert after.occurred_at - before.occurred_at == timedelta(hours=1)
        assert encode(before)["occurred_at"] == "2026-03-08T06:30:00+00:00"
        assert encode(after)["occurred_at"] == "2026-03-08T07:30:00+00:00"
        assert local_text(before.occurred_at) == "2026-03-08 01:30 EST"
        assert local_text(after.occurred_at) == "2026-03-08 03:30 EDT"
    with local_zone("Europe/Berlin"):
        assert local_text(after.occurred_at) == "2026-03-08 08:30 CET"


def test_the_monthly_visit_counts_on_the_local_day() -> None:
    kid = Person(case_id="c", role=PersonRole.CHILD, first_name="Ana", last_name="Silva")
    with local_zone("America/Los_Angeles"):
        # 23:30 on Nov 30 in California is already Dec 1 in UTC; the visit is November's
        late = visit_at(from_local(datetime(2026, 11, 30, 23, 30)))
        late.children = [ChildSeen(person_id=kid.id, seen=True)]
        assert late.occurred_at.date() == date(2026, 12, 1) and local_date(late.occurred_at) == date(2026, 11, 30)
        (due,) = visits_due([kid], [late], today=date(2026, 12, 2))
        assert due.due and due.last_seen == date(2026, 11, 30)
