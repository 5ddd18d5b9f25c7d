"""Field-level writes against the snapshot a form loaded, and several records in one transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from caseworker_app.domain import Case, Note, Task, ValidationError, Visit
from caseworker_app.domain.vocabulary import NoteStatus, RiskLevel
from caseworker_app.store.errors import RecordChanged
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import AuditEvent, CaseRow, NoteRow, OutboxEntry, TaskRow, VisitRow


def outbox(store: LocalStore) -> list[OutboxEntry]:
    with store.db.reading() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def acknowledged_case(store: LocalStore) -> Case:
    """A case as the server sent it: version 1, risk moderate, nothing waiting to sync."""
    case = Case(reference="CW-2026-00042", family_name="Nguyen", risk_level=RiskLevel.MODERATE)
    store.repo.add(case)
    with store.db.transaction(remote=True) as session:
        for entry in session.scalars(select(OutboxEntry)):
            session.delete(entry)
        row = session.get(CaseRow, case.id)
        assert row is not None
        row.version = 1
    return store.repo.get(Case, case.id)


def pulled(store: LocalStore, row_type: Any, row_id: str, **fields: Any) -> None:
    """What a pull writes: the server's values at a newer version, no outbox entry."""
    with store.db.transaction(remote=True) as session:
        row = session.get(row_type, row_id)
        assert row is not None
        for name, value in fields.items():
            setattr(row, name, value)
        row.version += 1


def form_fields(record: Any) -> dict[str, Any]:
    """Everything a form shows, as it sends it back on save."""
    return {k: v for k, v in vars(record).items() if k not in {"id", "case_id", "version", "deleted_at"}}


def test_a_form_left_open_during_a_sync_does_not_undo_the_sync(store: LocalStore) -> None:
    # The reproduction: a form loads the case; a sync brings the supervisor's risk 'high';
    # the person edits only the reference and saves what the form shows.
    loaded = acknowledged_case(store)
    pulled(store, CaseRow, loaded.id, risk_level="high")
    form = form_fields(loaded) | {"reference": "CW-2026-00042-A"}

    saved = store.repo.update(Case, loaded.id, form, seen=loaded)

    (entry,) = outbox(store)
    assert entry.changes == {"reference": {"base": "CW-2026-00042", "new": "CW-2026-00042-A"}}
    assert entry.base_version == 2
    stored = store.repo.get(Case, loaded.id)
    assert (stored.risk_level, stored.reference) == (RiskLevel.HIGH, "CW-2026-00042-A")
    assert saved.record == stored and saved.changed == ("reference",) and saved.conflicts == ()


def test_a_same_field_disagreement_becomes_a_conflict_never_an_overwrite(store: LocalStore) -> None:
    loaded = acknowledged_case(store)
    pulled(store, CaseRow, loaded.id, risk_level="high")

    saved = store.repo.update(Case, loaded.id, {"risk_level": "low"}, seen=loaded)

    # The store keeps the supervisor's value; the person's goes up against what they saw,
    # so the server records a conflict for everyone on the case instead of taking either silently.
    assert store.repo.get(Case, loaded.id).risk_level is RiskLevel.HIGH
    (conflict,) = saved.conflicts
    assert (conflict.field, conflict.seen, conflict.current, conflict.wanted) == (
        "risk_level",
        "moderate",
        "high",
        "low",
    )
    (entry,) = outbox(store)
    assert entry.changes == {"risk_level": {"base": "moderate", "new": "low"}}
    # A later, informed edit of the same field does not fold into the conflict entry.
    store.repo.update(Case, loaded.id, {"risk_level": "very_high"}, seen=store.repo.get(Case, loaded.id))
    assert [e.changes["risk_level"] for e in outbox(store)] == [
        {"base": "moderate", "new": "low"},
        {"base": "high", "new": "very_high"},
    ]


def test_the_same_change_made_meanwhile_is_not_a_conflict(store: LocalStore) -> None:
    loaded = acknowledged_case(store)
    pulled(store, CaseRow, loaded.id, risk_level="high")
    saved = store.repo.update(Case, loaded.id, {"risk_level": RiskLevel.HIGH}, seen=loaded)
    assert saved.changed == () and saved.conflicts == () and outbox(store) == []


def test_autosaves_chain_their_snapshots_without_conflicts(store: LocalStore) -> None:
    case = acknowledged_case(store)
    note = store.repo.add(Note(case_id=case.id, author="liaison", written_at=datetime.now(UTC)))
    seen = note
    for text in ("Arrived", "Arrived at 4", "Arrived at 4 pm; mother home"):
        saved = store.repo.update(Note, note.id, {"narrative": text}, seen=seen)
        assert saved.conflicts == ()
        seen = saved.record
    assert store.repo.get(Note, note.id).narrative == "Arrived at 4 pm; mother home"
    (entry,) = [e for e in outbox(store) if e.entity == "note"]
    assert entry.changes["narrative"]["new"] == "Arrived at 4 pm; mother home"


def test_edits_are_validated_and_bad_input_changes_nothing(store: LocalStore) -> None:
    case = acknowledged_case(store)
    with pytest.raises(ValidationError, match="family name"):
        store.repo.update(Case, case.id, {"family_name": " "}, seen=case)
    with pytest.raises(ValidationError, match="risk level"):
        store.repo.update(Case, case.id, {"risk_level": "extreme"}, seen=case)
    with pytest.raises(ValidationError, match="no field"):
        store.repo.update(Case, case.id, {"favourite_colour": "red"}, seen=case)
    with pytest.raises(ValidationError, match="cannot be edited"):
        store.repo.update(Case, case.id, {"version": 9}, seen=case)
    assert store.repo.get(Case, case.id) == case and outbox(store) == []


def test_a_stale_delete_writes_only_the_tombstone(store: LocalStore) -> None:
    case = acknowledged_case(store)
    task = store.repo.add(Task(case_id=case.id, title="Call school", due_on=date(2026, 12, 1)))
    with store.db.transaction(remote=True) as session:
        for entry in session.scalars(select(OutboxEntry)):
            session.delete(entry)
    pulled(store, TaskRow, task.id, title="Call school nurse")
    store.repo.delete(Task, task.id)
    (entry,) = outbox(store)
    assert set(entry.changes) == {"deleted_at"}
    with store.db.reading() as session:
        row = session.get(TaskRow, task.id)
        assert row is not None and row.title == "Call school nurse" and row.deleted_at is not None


def test_finalizing_writes_status_only_and_refuses_text_changed_since_it_was_read(store: LocalStore) -> None:
    case = acknowledged_case(store)
    note = Note(case_id=case.id, author="liaison", narrative="Seen at home.", written_at=datetime.now(UTC))
    store.repo.add(note)
    with store.db.transaction(remote=True) as session:  # the server acknowledged the draft
        for entry in session.scalars(select(OutboxEntry)):
            session.delete(entry)
    pulled(store, NoteRow, note.id, narrative="Seen at home. Edited on the other laptop.")
    with pytest.raises(RecordChanged, match="read it again"):
        store.repo.finalize_note(note.id, seen=note)
    assert store.repo.get(Note, note.id).status is NoteStatus.DRAFT
    final = store.repo.finalize_note(note.id, seen=store.repo.get(Note, note.id))
    assert final.is_final and final.narrative.endswith("other laptop.")
    (entry,) = outbox(store)
    assert set(entry.changes) == {"status", "finalized_at"}


def test_several_records_commit_together(store: LocalStore) -> None:
    case = acknowledged_case(store)
    visit = Visit(case_id=case.id, contact_type="home_visit", occurred_at=datetime(2026, 11, 2, 15, tzinfo=UTC))
    note = Note(case_id=case.id, author="liaison", visit_id=visit.id, written_at=datetime.now(UTC))
    with store.repo.unit() as uow:
        uow.add(visit)
        uow.add(note)
        uow.update(Case, case.id, {"risk_level": "high"}, seen=case)
    assert store.repo.get(Note, note.id).visit_id == visit.id
    assert [e.entity for e in outbox(store)] == ["visit", "note", "case"]
    actions = [e["action"] for e in store.repo.audit_events(case_id=case.id)]
    assert actions[-3:] == ["create", "create", "edit"]


def test_a_unit_of_work_that_crashes_midway_leaves_nothing(store: LocalStore) -> None:
    case = acknowledged_case(store)
    visit = Visit(case_id=case.id, contact_type="home_visit", occurred_at=datetime(2026, 11, 2, 15, tzinfo=UTC))
    note = Note(case_id=case.id, author="liaison", visit_id=visit.id, written_at=datetime.now(UTC))
    with store.db.reading() as session:
        audits_before = len(list(session.scalars(select(AuditEvent))))
    with pytest.raises(RuntimeError, match="power cut"), store.repo.unit() as uow:
        uow.add(visit)
        uow.update(Case, case.id, {"risk_level": "high"}, seen=case)
        uow.add(note)
        raise RuntimeError("power cut")
    with store.db.reading() as session:
        assert session.get(VisitRow, visit.id) is None and session.get(NoteRow, note.id) is None
        assert len(list(session.scalars(select(AuditEvent)))) == audits_before
    assert store.repo.get(Case, case.id).risk_level is RiskLevel.MODERATE
    assert outbox(store) == []
