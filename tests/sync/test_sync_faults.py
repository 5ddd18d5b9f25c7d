"""Networks fail in the field: resets, lost answers, restarts, 500s. Afterwards every edit is on the
server exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from caseworker_app.domain import Note, Person, Task
from caseworker_app.store import models, queries
from caseworker_app.sync import engine as engine_module
from caseworker_app.sync.errors import Offline, ServerFault
from caseworker_server.models import MutationRecord, Record, RecordHistory


def pending_mutations(device) -> set[str]:  # type: ignore[no-untyped-def]
    with device.store.db.reading() as session:
        return set(session.scalars(select(models.OutboxEntry.mutation_id)))


def write_offline(device, agency, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    ids = []
    for i in range(n):
        note = Note(case_id=agency.case_id, author="liaison", narrative=f"Offline note {i}.",
                    written_at=datetime.now(UTC))
        device.store.repo.save(note)
        ids.append(note.id)
    child = device.store.repo.get(Person, agency.child_id)
    child.grade = str(int(child.grade or 3) + 1)
    device.store.repo.save(child)
    return ids


def sync_until_done(device, attempts: int = 10):  # type: ignore[no-untyped-def]
    for _ in range(attempts):
        try:
            return device.sync()
        except (Offline, ServerFault):
            continue
    raise AssertionError("sync never completed")


def assert_exactly_once(agency, mutation_ids: set[str], note_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    with agency.server.db.read() as session:
        recorded = set(session.scalars(select(MutationRecord.mutation_id).where(
            MutationRecord.mutation_id.in_(mutation_ids))))
        history = Counter(session.scalars(select(RecordHistory.mutation_id).where(
            RecordHistory.mutation_id.in_(mutation_ids))))
        notes = session.scalars(select(Record.id).where(Record.entity == "note", Record.id.in_(note_ids))).all()
    assert recorded == mutation_ids
    assert all(count == 1 for count in history.values()), history
    assert sorted(notes) == sorted(note_ids)


@pytest.mark.parametrize("fault", ["reset_request", "lose_response", "http_500"])
def test_a_broken_push_recovers_with_every_edit_once(agency, laptop, fault: str) -> None:  # type: ignore[no-untyped-def]
    device = laptop("field", "liaison", via_proxy=True)
    note_ids = write_offline(device, agency, 5)
    sent = pending_mutations(device)
    proxy = agency.through_proxy()
    for _ in range(3):
        proxy.inject(fault, "/v1/sync/push")
    sync_until_done(device)
    assert sum(f.endswith("/v1/sync/push") for f in proxy.injected) == 3
    assert queries.outbox_size(device.store.db) == 0
    assert_exactly_once(agency, sent, note_ids)


@pytest.mark.parametrize("fault", ["reset_request", "lose_response", "http_500"])
def test_a_broken_pull_resumes_without_losing_or_repeating(agency, laptop, monkeypatch, fault: str) -> None:  # type: ignore[no-untyped-def]
    writer = laptop("writer", "liaison")
    for i in range(12):
        writer.store.repo.save(Task(case_id=agency.case_id, title=f"Follow-up {i}",
                                    due_on=datetime(2026, 12, 1).date()))
    writer.sync()
    monkeypatch.setattr(engine_module, "PULL_PAGE", 3)
    reader = laptop("reader", "supervisor", via_proxy=True, first_sync=False)
    proxy = agency.through_proxy()
    for _ in range(4):
        proxy.inject(fault, "/v1/sync/pull")
    sync_until_done(reader)
    titles = sorted(t.title for t in reader.store.repo.all(Task))
    assert titles == sorted(f"Follow-up {i}" for i in range(12))
    assert len(proxy.injected) == 4


def test_a_server_restart_during_a_run_loses_nothing(agency, laptop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    writer = laptop("writer", "liaison")
    for i in range(10):
        writer.store.repo.save(Task(case_id=agency.case_id, title=f"Task {i}", due_on=datetime(2026, 12, 1).date()))
    note_ids = write_offline(writer, agency, 3)
    sent = pending_mutations(writer)
    monkeypatch.setattr(engine_module, "PUSH_BATCH", 4)
    batches = []

    def stop_at_second_batch(_fraction: float, message: str) -> None:
        if message.startswith("Sending"):
            batches.append(message)
            if len(batches) == 2:
                agency.server.stop()  # the first batch is in; the server goes down mid-run

    engine = writer.engine()
    try:
        with pytest.raises(Offline):
            engine.run(progress=stop_at_second_batch)
    finally:
        engine.transport.close()
    assert 0 < queries.outbox_size(writer.store.db) < len(sent)  # part went through, the rest waits
    agency.server.restart()
    sync_until_done(writer)
    assert queries.outbox_size(writer.store.db) == 0
    assert_exactly_once(agency, sent, note_ids)

    reader = laptop("reader", "supervisor")
    assert sorted(t.title for t in reader.store.repo.all(Task)) == sorted(f"Task {i}" for i in range(10))
