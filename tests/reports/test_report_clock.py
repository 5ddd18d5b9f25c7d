"""Reports read one clock: visits recorded in different zones order by time and print in local time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from helpers import local_zone

from caseworker_app.services.reports import case_history_data

EASTERN = timezone(timedelta(hours=-5))
ATHENS = timezone(timedelta(hours=2))


def test_case_history_orders_visits_from_several_zones_by_the_instant(family: Any, agency: Any) -> None:
    source = family.source()
    # 09:00 in New York (14:00 UTC) came after 15:00 in Athens (13:00 UTC); one time carries no zone (UTC)
    new_york = replace(family.visit, id="new-york", occurred_at=datetime(2025, 3, 10, 9, 0, tzinfo=EASTERN))
    athens = replace(family.visit, id="athens", occurred_at=datetime(2025, 3, 10, 15, 0, tzinfo=ATHENS))
    no_zone = replace(family.visit, id="no-zone", occurred_at=datetime(2025, 3, 10, 13, 30))
    source.add(new_york, athens, no_zone)
    with local_zone("America/New_York"):
        data = case_history_data(source, family.case.id, date(2025, 3, 1), date(2025, 3, 31), agency)
    assert [c.visit.id for c in data.contacts if c.visit.id in {"new-york", "athens", "no-zone"}] == [
        "athens",
        "no-zone",
        "new-york",
    ]


def test_a_visit_late_in_the_evening_belongs_to_its_local_day(family: Any, agency: Any) -> None:
    source = family.source()
    # 21:30 on Mar 31 in New York is Apr 1 in UTC; the March report must hold it
    late = replace(family.visit, id="late", occurred_at=datetime(2025, 3, 31, 21, 30, tzinfo=EASTERN))
    source.add(late)
    with local_zone("America/New_York"):
        march = case_history_data(source, family.case.id, date(2025, 3, 1), date(2025, 3, 31), agency)
        april = case_history_data(source, family.case.id, date(2025, 4, 1), date(2025, 4, 30), agency)
    assert "late" in {c.visit.id for c in march.contacts}
    assert "late" not in {c.visit.id for c in april.contacts}
