"""SQLAlchemy models of the encrypted local store.

Column names match the domain fields and hold their plain (codec) form: dates
and times as ISO text, enums as their value, lists as JSON. That keeps records,
outbox entries and wire changes one shape.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    pass


class Synced:
    """Columns every synced table shares."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[str | None] = mapped_column(String(40))

    @declared_attr
    def case_id(cls) -> Mapped[str]:
        return mapped_column(String(36), ForeignKey("cases.id", ondelete="CASCADE"), index=True)


class SchoolRow(Base):
    __tablename__ = "schools"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    district: Mapped[str] = mapped_column(Text, default="")


class CaseRow(Synced, Base):
    __tablename__ = "cases"
    entity = "case"

    @declared_attr
    def case_id(cls) -> Mapped[str]:  # a case belongs to itself; no foreign key
        return mapped_column(String(36))

    reference: Mapped[str] = mapped_column(String(40), index=True)
    family_name: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(20))
    placement: Mapped[str] = mapped_column(String(20))
    risk_level: Mapped[str] = mapped_column(String(20))
    assigned_worker: Mapped[str] = mapped_column(String(80), default="")
    school_id: Mapped[str | None] = mapped_column(String(36))
    opened_on: Mapped[str | None] = mapped_column(String(10))
    closed_on: Mapped[str | None] = mapped_column(String(10))
    preferred_language: Mapped[str] = mapped_column(String(35), default="")


class PersonRow(Synced, Base):
    __tablename__ = "people"
    entity = "person"
    role: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    relationship: Mapped[str] = mapped_column(Text, default="")
    school_id: Mapped[str | None] = mapped_column(String(36))
    grade: Mapped[str] = mapped_column(String(10), default="")
    student_id: Mapped[str] = mapped_column(String(40), default="")
    preferred_language: Mapped[str] = mapped_column(String(35), default="")


class VisitRow(Synced, Base):
    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_case_occurred", "case_id", "occurred_at"),)
    entity = "visit"
    contact_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[list[Any]] = mapped_column(JSON, default=list)
    children: Mapped[list[Any]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(Text, default="")
    observations: Mapped[str] = mapped_column(Text, default="")
    worker: Mapped[str] = mapped_column(String(80), default="")


class NoteRow(Synced, Base):
    __tablename__ = "notes"
    entity = "note"
    author: Mapped[str] = mapped_column(String(80))
    narrative: Mapped[str] = mapped_column(Text, default="")
    visit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20))
    written_at: Mapped[str] = mapped_column(String(40))
    finalized_at: Mapped[str | None] = mapped_column(String(40))
    addendum_to: Mapped[str | None] = mapped_column(String(36), index=True)
    recorded_on_laptop_at: Mapped[str | None] = mapped_column(String(40))


class SafetyAssessmentRow(Synced, Base):
    __tablename__ = "safety_assessments"
    entity = "safety_assessment"
    assessed_on: Mapped[str] = mapped_column(String(10))
    visit_id: Mapped[str | None] = mapped_column(String(36))
    threats: Mapped[list[Any]] = mapped_column(JSON, default=list)
    protective_capacities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decision: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text, default="")
    assessor: Mapped[str] = mapped_column(String(80), default="")


class SafetyPlanRow(Synced, Base):
    __tablename__ = "safety_plans"
    entity = "safety_plan"
    assessment_id: Mapped[str | None] = mapped_column(String(36))
    actions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    starts_on: Mapped[str] = mapped_column(String(10))
    review_on: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PermanencyGoalRow(Synced, Base):
    __tablename__ = "permanency_goals"
    entity = "permanency_goal"
    child_id: Mapped[str] = mapped_column(String(36))
    primary: Mapped[str] = mapped_column(String(40))
    alternative: Mapped[str | None] = mapped_column(String(40))
    set_on: Mapped[str] = mapped_column(String(10))


class ReferralRow(Synced, Base):
    __tablename__ = "referrals"
    entity = "referral"
    service: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(String(36))
    agency: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    referred_on: Mapped[str] = mapped_column(String(10))
    status_on: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")


class AttendanceRecordRow(Synced, Base):
    __tablename__ = "attendance_records"
    entity = "attendance_record"
    child_id: Mapped[str] = mapped_column(String(36), index=True)
    period: Mapped[str] = mapped_column(String(20))
    days_enrolled: Mapped[int] = mapped_column(Integer)
    days_absent: Mapped[int] = mapped_column(Integer, default=0)
    days_tardy: Mapped[int] = mapped_column(Integer, default=0)


class TaskRow(Synced, Base):
    __tablename__ = "tasks"
    entity = "task"
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    assigned_to: Mapped[str] = mapped_column(String(80), default="")


class OutboxEntry(Base):
    """A local change waiting to be pushed: per changed field its base and new value."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(40))
    # Set once the entry went out in a push; such an entry is never coalesced again.
    sent_at: Mapped[str | None] = mapped_column(String(40))
    resolves_conflict: Mapped[str | None] = mapped_column(String(36))
    # The server refused it: kept, shown with the server's reason, never pushed again by itself.
    rejected_at: Mapped[str | None] = mapped_column(String(40))
    reject_reason: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who viewed, edited, finalized, exported or synced what, and when."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    entity: Mapped[str | None] = mapped_column(String(40))
    row_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConflictRow(Base):
    """Both sides of a same-field edit, as the server recorded them; synced like a record."""

    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(80))
    base: Mapped[Any] = mapped_column(JSON, nullable=True)
    local: Mapped[Any] = mapped_column(JSON, nullable=True)
    server: Mapped[Any] = mapped_column(JSON, nullable=True)
    local_author: Mapped[str] = mapped_column(String(80), default="")
    local_device: Mapped[str] = mapped_column(Text, default="")
    local_at: Mapped[str | None] = mapped_column(String(40))
    mutation_id: Mapped[str | None] = mapped_column(String(36))
    server_author: Mapped[str] = mapped_column(String(80), default="")
    server_at: Mapped[str | None] = mapped_column(String(40))
    resolved_at: Mapped[str | None] = mapped_column(String(40))
    resolution: Mapped[Any] = mapped_column(JSON, nullable=True)
    deleted_at: Mapped[str | None] = mapped_column(String(40))


class ReferenceRecord(Base):
    """Reference data from the server: service catalog, team members' display names."""

    __tablename__ = "reference_records"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)


class LocalSetting(Base):
    """Small facts about this store: the worker's name, sync cursor, demo marker."""

    __tablename__ = "local_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


SYNCED_ROWS: tuple[type[Any], ...] = (
    CaseRow,
    PersonRow,
    VisitRow,
    NoteRow,
    SafetyAssessmentRow,
    SafetyPlanRow,
    PermanencyGoalRow,
    ReferralRow,
    AttendanceRecordRow,
    TaskRow,
)
