"""Reconcile repairs a local copy that drifted; refused changes stay visible; a run can be cancelled."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import delete, update

from caseworker_app.domain import Note, Person, Task
from caseworker_app.services.sync import rejected_changes
from caseworker_app.store import models, queries
from caseworker_app.sync.errors import Cancelled


def test_reconcile_restores_missing_and_stale_rows_drops_extras_and_keeps_the_outbox(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("drifted", "liaison")
    with device.store.db.transaction(remote=True) as session:  # damage behind the app's back
        session.execute(delete(models.PersonRow).where(models.PersonRow.id == agency.child_id))
        session.execute(
            update(models.PersonRow)
            .where(models.PersonRow.id == agency.caregiver_id)
            .values(version=99, first_name="Wrong")
        )
        session.add(
            models.TaskRow(
                id="00000000-0000-4000-8000-00000000abcd",
                case_id=agency.case_id,
                version=3,
                title="Not on the server",
                due_on="2026-12-01",
                status="open",
                assigned_to="",
            )
        )
    pending = Task(case_id=agency.case_id, title="Written offline", due_on=date(2026, 12, 2))
    device.store.repo.save(pending)

    engine = device.engine()
    repaired = engine.reconcile()
    engine.transport.close()
    assert repaired == 3
    assert device.store.repo.get(Person, agency.child_id).first_name == "Linh"
    assert device.store.repo.get(Person, agency.caregiver_id).first_name == "Mai"
    assert {t.title for t in device.store.repo.all(Task)} == {"Written offline"}
    assert queries.outbox_size(device.store.db) == 1
    assert device.sync().results == {"applied": 1}


def test_a_record_arriving_without_its_case_triggers_a_repair(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("drifted", "liaison")
    with device.store.db.transaction(remote=True) as session:
        session.execute(delete(models.CaseRow).where(models.CaseRow.id == agency.case_id))
    other = laptop("desk", "supervisor")
    other.store.repo.save(Task(case_id=agency.case_id, title="New follow-up", due_on=date(2026, 12, 3)))
    other.sync()
    report = device.sync()
    assert report.repaired > 0
    assert device.store.repo.get(Person, agency.child_id).first_name == "Linh"
    assert "New follow-up" in {t.title for t in device.store.repo.all(Task)}


def test_a_refused_change_stays_listed_with_the_reason_and_blocks_nothing(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    bad = Note(
        case_id=agency.case_id,
        author="liaison",
        narrative="Correction.",
        written_at=datetime(2026, 11, 2),
        addendum_to="00000000-0000-4000-8000-000000000000",
    )  # points at no note on the server
    device.store.repo.save(bad)
    good = Task(case_id=agency.case_id, title="Call the school nurse", due_on=date(2026, 12, 1))
    device.store.repo.save(good)
    report = device.sync()
    assert report.results == {"rejected": 1, "applied": 1}
    (refused,) = rejected_changes(device.store)
    assert refused["row_id"] == bad.id and "addendum" in refused["reason"]
    assert device.sync().results == {}  # not resent by itself; still listed
    assert len(rejected_changes(device.store)) == 1
    assert device.store.repo.get(Note, bad.id).narrative == "Correction."  # nothing lost locally


def test_a_cancelled_run_stops_between_steps_and_keeps_everything(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    device.store.repo.save(Task(case_id=agency.case_id, title="Pending", due_on=date(2026, 12, 1)))
    cancel = threading.Event()
    cancel.set()
    engine = device.engine()
    with pytest.raises(Cancelled, match="nothing was lost"):
        engine.run(cancel=cancel)
    engine.transport.close()
    assert queries.outbox_size(device.store.db) == 1
    assert device.sync().results == {"applied": 1}
