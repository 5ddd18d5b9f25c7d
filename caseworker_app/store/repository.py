"""Records in and out of the store as domain objects; no ORM object leaves this module."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseworker_app.domain import codec
from caseworker_app.domain.clock import now_iso
from caseworker_app.domain.entities import Note, School, Synced
from caseworker_app.i18n import _
from caseworker_app.store import models
from caseworker_app.store.database import Database
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.kinds import RECORD_LABELS, ROW_TYPES, not_found
from caseworker_app.store.unit_of_work import Saved, UnitOfWork, to_record

__all__ = ["RECORD_LABELS", "ROW_TYPES", "Repository", "Saved", "UnitOfWork", "import_snapshot", "to_record"]

R = TypeVar("R", bound=Synced)
T = TypeVar("T")


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
                raise not_found(kind, record_id)
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
                raise RecordNotFound(_("No school with id {id} in this profile.").format(id=school_id))
            return School(id=row.id, name=row.name, district=row.district)

    def schools(self) -> list[School]:
        with self.db.reading() as session:
            rows = session.scalars(select(models.SchoolRow).order_by(models.SchoolRow.name))
            return [School(id=r.id, name=r.name, district=r.district) for r in rows]

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """Several writes in one transaction: all records, outbox entries and audit events, or none.

            with repo.unit() as uow:
                uow.add(visit)
                uow.add(note)
                uow.update(Case, case.id, {"risk_level": "high"}, seen=case)
        """
        with self.db.transaction() as session:
            yield UnitOfWork(self, session)

    def add(self, record: R, *, audit_action: str = "create") -> R:
        """Store a new record (validated, with its outbox entry, audited as 'create')."""
        with self.unit() as uow:
            return uow.add(record, audit_action=audit_action)

    def update(
        self,
        cls: type[R],
        record_id: str,
        changes: Mapping[str, Any],
        *,
        seen: R | Mapping[str, Any] | None = None,
        audit_action: str = "edit",
    ) -> Saved[R]:
        """Field-level edit against the snapshot the person's form loaded; see UnitOfWork.update."""
        with self.unit() as uow:
            return uow.update(cls, record_id, changes, seen=seen, audit_action=audit_action)

    def save(self, record: R, *, audit_action: str | None = None) -> R:
        """Create a record, or write a record this caller owns outright (demo, imports, tests).

        A form edits through update() with the snapshot it loaded, never through save().
        """
        with self.unit() as uow:
            return uow.save(record, audit_action=audit_action)

    def save_schools(self, schools: Iterable[School]) -> None:
        with self.db.transaction(remote=True) as session:
            for school in schools:
                session.merge(models.SchoolRow(id=school.id, name=school.name, district=school.district))

    def delete(self, cls: type[Synced], record_id: str) -> None:
        """Tombstone a record; it stays in the store (and syncs) as deleted."""
        with self.unit() as uow:
            uow.delete(cls, record_id)

    def finalize_note(self, note_id: str, *, seen: Note | None = None) -> Note:
        """Make a note final; see UnitOfWork.finalize_note."""
        with self.unit() as uow:
            return uow.finalize_note(note_id, seen=seen)

    # -- audit -----------------------------------------------------------------------------

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
            at=now_iso(),
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
