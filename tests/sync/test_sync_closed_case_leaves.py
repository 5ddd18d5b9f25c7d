"""A closed case leaves the laptop N days after closing, and the laptop's unsent work on it goes first."""

from __future__ import annotations

import json
from datetime import date, timedelta

from caseworker_app.domain import Task
from caseworker_app.store import queries
from caseworker_server.changelog import ChangeSet
from caseworker_server.config import Settings
from caseworker_server.models import Record, utcnow
from caseworker_server.retention import ClosedCaseSweep


def test_the_unsent_work_of_a_closed_case_is_sent_before_the_case_leaves(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine")
    task = Task(case_id=agency.case_id, title="Send the closing letter", due_on=date(2026, 12, 1))
    device.store.repo.save(task)  # written offline, not yet sent
    agency.server.app.state.closed_case_sweep = ClosedCaseSweep(Settings(closed_case_sweep_seconds=0))

    def close(session) -> None:  # type: ignore[no-untyped-def]
        record = session.get(Record, ("case", agency.case_id))
        fields = {
            **json.loads(record.fields),
            "stage": "closed",
            "closed_on": (utcnow().date() - timedelta(days=31)).isoformat(),
        }
        changes = ChangeSet()
        changes.write(session, "case", agency.case_id, agency.case_id, fields, existing=record)
        changes.stamp(session)

    agency.admin(close)
    report = device.sync()

    assert report.results == {"applied": 1}  # the work went up first ...
    assert report.revoked == [agency.case_id]  # ... then the case left this laptop
    assert queries.outbox_size(device.store.db) == 0
    with agency.server.db.read() as session:
        assert session.get(Record, ("task", task.id)) is not None
