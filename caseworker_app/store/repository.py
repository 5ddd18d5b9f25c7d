"""Records in and out of the store as domain objects; no ORM object leaves this module."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseworker_app.domain import codec
from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    School,
    Synced,
    Task,
    Visit,
)
from caseworker_app.domain.errors import FinalizedNoteError
from caseworker_app.domain.rules import check_note_change
from caseworker_app.domain.vocabulary import NoteStatus
from caseworker_app.store import models
from caseworker_app.store.database import Database
from caseworker_app.store.errors import RecordNotFound

R = TypeVar("R", bound=Synced)
T = TypeVar("T")

ROW_TYPES: dict[type[Synced], type[Any]] = {
    Case: models.CaseRow,
    Person: models.PersonRow,
    Visit: models.VisitRow,
    Note: models.NoteRow,
    SafetyAssessment: models.SafetyAssessmentRow,
    SafetyPlan: models.SafetyPlanRow,
    PermanencyGoal: models.PermanencyGoalRow,
    Referral: models.ReferralRow,
    AttendanceRecord: models.AttendanceRecordRow,
    Task: models.TaskRow,
}
RECORD_LABELS: dict[type[Synced], str] = {
    Case: "case",
    Person: "person",
    Visit: "visit",
    Note: "note",
    SafetyAssessment: "safety assessment",
    SafetyPlan: "safety plan",
    PermanencyGoal: "permanency goal",
    Referral: "referral",
    AttendanceRecord: "attendance record",
    Task: "task",
}


def to_record(cls: type[R], row: Any) -> R:
    return codec.decode(cls, {c: getattr(row, c) for c in codec.field_names(cls)})


def _apply(row: Any, plain: dict[str, Any]) -> None:
    for name, value in plain.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


class Repository:
    """Reads and writes one profile's records on behalf of one worker."""

    def __init__(self, db: Database, actor: str) -> None:
        self.db = db
        self.actor = actor

    # -- reading -------------------------------------------------------------------------

    def get(self, cls: type[T], record_id: str) -> T:
        """One live record (or school) by id; RecordNotFound names what is missing."""
        if cls is School:
            return cast(T, self._school(record_id))
        kind = cast(type[Synced], cls)
        with self.db.reading() as session:
            row = session.get(ROW_TYPES[kind], record_id)
            if row is None or row.deleted_at is not None:
                raise RecordNotFound(f"No {RECORD_LABELS[kind]} with id {record_id} in this profile.")
            return cast(T, to_record(kind, row))

    def for_case(self, cls: type[T], case_id: str) -> list[T]:
        kind = cast(type[Synced], cls)
        row_type = ROW_TYPES[kind]
        with self.db.reading() as session:
            rows = session.scalars(
                select(row_type).where(row_type.case_id == case_id, row_type.deleted_at.is_(None))
            )
            return [cast(T, to_record(kind, row)) for row in rows]

    def all(self, cls: type[R]) -> list[R]:
        row_type = ROW_TYPES[cls]
        with self.db.reading() as session:
            rows = session.scalars(select(row_type).where(row_type.deleted_at.is_(None)))
            return [to_record(cls, row) for row in rows]

    def _school(self, school_id: str) -> School:
        with self.db.reading() as session:
            row = session.get(models.SchoolRow, school_id)
            if row is None:
                raise RecordNotFound(f"No school with id {school_id} in this profile.")
            return School(id=row.id, name=row.name, district=row.district)

    def schools(self) -> list[School]:
        with self.db.reading() as session:
            rows = session.scalars(select(models.SchoolRow).order_by(models.SchoolRow.name))
            return [School(id=r.id, name=r.name, district=r.district) for r in rows]

    # -- writing -------------------------------------------------------------------------

    def save(self, record: R, *, audit_action: str = "edit") -> R:
        """Validate and store a record; its outbox entry is written in the same transaction."""
        record.validate()
        with self.db.transaction() as session:
            self._save(session, record)
            self._audit(session, audit_action, record)
        return record

    def save_schools(self, schools: Iterable[School]) -> None:
        with self.db.transaction(remote=True) as session:
            for school in schools:
                session.merge(models.SchoolRow(id=school.id, name=school.name, district=school.district))

    def delete(self, cls: type[R], record_id: str) -> None:
        """Tombstone a record; it stays in the store (and syncs) as deleted."""
        record = self.get(cls, record_id)
        if isinstance(record, Note) and record.is_final:
            raise FinalizedNoteError("A finalized note cannot be deleted. Add an addendum to correct it.")
        record.deleted_at = datetime.now(UTC)
        with self.db.transaction() as session:
            self._save(session, record)
            self._audit(session, "delete", record)

    def _save(self, session: Session, record: Synced) -> None:
        row_type = ROW_TYPES[type(record)]
        plain = codec.encode(record)
        row = session.get(row_type, record.id)
        if row is None:
            row = row_type(**plain)
            session.add(row)
            return
        if isinstance(record, Note):
            check_note_change(to_record(Note, row), record)
        plain.pop("version")  # the server's to assign
        _apply(row, plain)

    # -- notes -----------------------------------------------------------------------------

    def finalize_note(self, note_id: str) -> Note:
        note = self.get(Note, note_id)
        if note.is_final:
            return note
        final = replace(note, status=NoteStatus.FINAL, finalized_at=datetime.now(UTC))
        return self.save(final, audit_action="finalize")

    # -- audit -----------------------------------------------------------------------------

    def _audit(self, session: Session, action: str, record: Synced) -> None:
        self.audit(
            action,
            case_id=record.case_id,
            entity=type(record).__name__,
            row_id=record.id,
            session=session,
        )

    def audit(
        self,
        action: str,
        *,
        case_id: str | None = None,
        entity: str | None = None,
        row_id: str | None = None,
        detail: dict[str, Any] | None = None,
        session: Session | None = None,
    ) -> None:
        """Record who did what to which record; never names or narrative in detail."""
        event = models.AuditEvent(
            at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            actor=self.actor,
            action=action,
            case_id=case_id,
            entity=entity,
            row_id=row_id,
            detail=detail or {},
        )
        if session is not None:
            session.add(event)
            return
        with self.db.transaction() as own:
            own.add(event)

    def audit_events(self, *, action: str | None = None, case_id: str | None = None) -> list[dict[str, Any]]:
        with self.db.reading() as session:
            query = select(models.AuditEvent).order_by(models.AuditEvent.seq)
            if action:
                query = query.where(models.AuditEvent.action == action)
            if case_id:
                query = query.where(models.AuditEvent.case_id == case_id)
            return [
                {
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "case_id": e.case_id,
                    "entity": e.entity,
                    "row_id": e.row_id,
                    "detail": e.detail,
                }
                for e in session.scalars(query)
            ]


def import_snapshot(db: Database, records: Iterable[Synced], *, version: int = 1) -> int:
    """Bulk-load records as already known to the server (demo caseload, first pull): no outbox."""
    by_type: dict[type[Any], list[dict[str, Any]]] = {}
    for record in records:
        plain = codec.encode(record)
        plain["version"] = max(version, record.version)
        by_type.setdefault(ROW_TYPES[type(record)], []).append(plain)
    with db.transaction(remote=True) as session:
        # cases first: every other row points at its case
        for row_type in sorted(by_type, key=lambda t: t is not models.CaseRow):
            session.execute(insert(row_type), by_type[row_type])
    return sum(len(rows) for rows in by_type.values())
