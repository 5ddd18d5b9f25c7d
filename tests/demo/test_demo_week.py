"""The demo reads like a real week: a few unfinished drafts, and visits in local working hours."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date

import pytest

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.clock import to_local
from caseworker_app.domain.vocabulary import NoteStatus


@pytest.fixture(params=["America/Chicago", "America/Los_Angeles", "Europe/Berlin"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_a_few_drafts_and_visits_in_local_working_hours(zone: str) -> None:
    load = generate_caseload(today=date(2026, 11, 20))
    drafts = [n for n in load.notes if n.status is NoteStatus.DRAFT]
    assert 1 <= len(drafts) <= 6, f"{len(drafts)} unfinished drafts on Today"
    hours = sorted({to_local(v.occurred_at).hour for v in load.visits})
    assert hours[0] >= 8 and hours[-1] <= 19, f"visits at {hours} o'clock in {zone}"
    for note in load.notes:
        assert note.finalized_at is None or note.finalized_at >= note.written_at
