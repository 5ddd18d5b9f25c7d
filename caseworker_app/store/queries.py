"""Read models for lists and search: the case list, one case in full, text search."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    Task,
    Visit,
)
from caseworker_app.domain.rules import VisitDue, visits_due
from caseworker_app.i18n import _
from caseworker_app.store import models, search_index
from caseworker_app.store.database import Database
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.kinds import ROW_TYPES
from caseworker_app.store.repository import R, to_record


@dataclass(frozen=True)
class CaseListItem:
    id: str
    reference: str
    family_name: str
    stage: str
    risk_level: str
    assigned_worker: str
    last_contact: str | None
    open_tasks: int


@dataclass
class CaseDetail:
    case: Case
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    assessments: list[SafetyAssessment] = field(default_factory=list)
    safety_plans: list[SafetyPlan] = field(default_factory=list)
    permanency_goals: list[PermanencyGoal] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def visits_due(self, today: date) -> list[VisitDue]:
        return visits_due(self.people, self.visits, today)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    row_id: str
    case_id: str
    family_name: str
    reference: str
    snippet: str


def case_list(db: Database) -> list[CaseListItem]:
    c, v, t = models.CaseRow, models.VisitRow, models.TaskRow
    last_contact = (
        select(v.case_id, func.max(v.occurred_at).label("last"))
        .where(v.deleted_at.is_(None))
        .group_by(v.case_id)
        .subquery()
    )
    open_tasks = (
        select(t.case_id, func.count().label("open"))
        .where(t.deleted_at.is_(None), t.status == "open")
        .group_by(t.case_id)
        .subquery()
    )
    query = (
        select(c, last_contact.c.last, open_tasks.c.open)
        .outerjoin(last_contact, last_contact.c.case_id == c.id)
        .outerjoin(open_tasks, open_tasks.c.case_id == c.id)
        .where(c.deleted_at.is_(None))
        .order_by(c.family_name, c.reference)
    )
    with db.reading() as session:
        return [
            CaseListItem(
                id=row.id,
                reference=row.reference,
                family_name=row.family_name,
                stage=row.stage,
                risk_level=row.risk_level,
                assigned_worker=row.assigned_worker,
                last_contact=last,
                open_tasks=int(open_ or 0),
            )
            for row, last, open_ in session.execute(query)
        ]


@dataclass(frozen=True)
class DraftVisit:
    """A visit whose narrative is still a draft, with when it was last saved (from the audit log)."""

    visit: Visit
    note: Note
    reference: str
    family_name: str
    last_saved: str  # ISO instant in UTC


def draft_visits(db: Database, author: str) -> list[DraftVisit]:
    """This worker's unfinished visit drafts, most recently saved first."""
    n, v, c, a = models.NoteRow, models.VisitRow, models.CaseRow, models.AuditEvent
    query = (
        select(n, v, c.reference, c.family_name)
        .join(v, v.id == n.visit_id)
        .join(c, c.id == n.case_id)
        .where(
            n.status == "draft",
            n.author == author,
            n.addendum_to.is_(None),
            n.deleted_at.is_(None),
            v.deleted_at.is_(None),
        )
    )
    with db.reading() as session:
        found = list(session.execute(query))
        ids = [r for note, visit, _, _ in found for r in (note.id, visit.id)]
        saved: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query_saved = select(a.row_id, func.max(a.at)).where(a.row_id.in_(chunk)).group_by(a.row_id)
            saved.update((row_id, at) for row_id, at in session.execute(query_saved) if row_id is not None)
        drafts = [
            DraftVisit(
                to_record(Visit, visit),
                to_record(Note, note),
                reference,
                family_name,
                max(saved.get(note.id, ""), saved.get(visit.id, ""), note.written_at),
            )
            for note, visit, reference, family_name in found
        ]
    return sorted(drafts, key=lambda d: d.last_saved, reverse=True)


def case_detail(db: Database, case_id: str) -> CaseDetail:
    with db.reading() as session:
        case_row = session.get(models.CaseRow, case_id)
        if case_row is None or case_row.deleted_at is not None:
            raise RecordNotFound(_("No case with id {id} in this profile.").format(id=case_id))

        def rows(cls: type[R], order: str | None = None) -> list[R]:
            row_type = ROW_TYPES[cls]
            query = select(row_type).where(and_(row_type.case_id == case_id, row_type.deleted_at.is_(None)))
            if order:
                query = query.order_by(getattr(row_type, order))
            return [to_record(cls, r) for r in session.scalars(query)]

        return CaseDetail(
            case=to_record(Case, case_row),
            people=rows(Person, "last_name"),
            visits=rows(Visit, "occurred_at"),
            notes=rows(Note, "written_at"),
            assessments=rows(SafetyAssessment, "assessed_on"),
            safety_plans=rows(SafetyPlan, "starts_on"),
            permanency_goals=rows(PermanencyGoal, "set_on"),
            referrals=rows(Referral, "referred_on"),
            attendance=rows(AttendanceRecord, "period"),
            tasks=rows(Task, "due_on"),
        )


def search(db: Database, user_text: str, limit: int = 50) -> list[SearchHit]:
    """Names, visits and notes matching every word (as prefixes, accents ignored), best first."""
    with db.reading() as session:
        hits, words = search_index.matching(session, user_text, limit)
        cases = {
            row.id: row
            for row in session.scalars(select(models.CaseRow).where(models.CaseRow.id.in_({h.case_id for h in hits})))
        }
    return [
        SearchHit(
            kind=hit.kind,
            row_id=hit.row_id,
            case_id=hit.case_id,
            family_name=cases[hit.case_id].family_name,
            reference=cases[hit.case_id].reference,
            snippet=search_index.snippet(hit.title, hit.body, words),
        )
        for hit in hits
        if hit.case_id in cases
    ]


def search_count(db: Database, user_text: str) -> int:
    """How many index entries match, for "50 of 312 matches"."""
    with db.reading() as session:
        return search_index.count_matching(session, user_text)


def outbox_size(db: Database) -> int:
    """Local changes still to send; those the server refused are counted apart."""
    with db.reading() as session:
        count = session.scalar(
            select(func.count()).select_from(models.OutboxEntry).where(models.OutboxEntry.rejected_at.is_(None))
        )
        return int(count or 0)


# -- sync marks: what a record still owes the server ------------------------------------------

UNSYNCED, REFUSED, CONFLICT = "unsynced", "refused", "conflict"
_MARK_RANK = {UNSYNCED: 1, REFUSED: 2, CONFLICT: 3}


def _stronger(marks: dict[str, str], key: str, mark: str) -> None:
    if _MARK_RANK[mark] > _MARK_RANK.get(marks.get(key, ""), 0):
        marks[key] = mark


@dataclass(frozen=True)
class SyncCounts:
    waiting: int  # local changes still to send
    refused: int  # changes the server refused, kept here
    conflicts: int  # conflicts not yet settled


def sync_counts(db: Database) -> SyncCounts:
    o, k = models.OutboxEntry, models.ConflictRow
    with db.reading() as session:
        waiting = session.scalar(select(func.count()).select_from(o).where(o.rejected_at.is_(None)))
        refused = session.scalar(select(func.count()).select_from(o).where(o.rejected_at.isnot(None)))
        conflicts = session.scalar(
            select(func.count()).select_from(k).where(k.resolved_at.is_(None), k.deleted_at.is_(None))
        )
    return SyncCounts(int(waiting or 0), int(refused or 0), int(conflicts or 0))


def sync_marks(db: Database, case_id: str | None = None) -> dict[str, str]:
    """Per record id (the case's own id included): unsynced, refused or conflict, the strongest one.

    With no case, the marks of every case by case id, for the case list.
    """
    o, k = models.OutboxEntry, models.ConflictRow
    marks: dict[str, str] = {}
    with db.reading() as session:
        entries = select(o.row_id, o.case_id, o.rejected_at)
        conflicts = select(k.row_id, k.case_id).where(k.resolved_at.is_(None), k.deleted_at.is_(None))
        if case_id is not None:
            entries, conflicts = entries.where(o.case_id == case_id), conflicts.where(k.case_id == case_id)
        for row_id, of_case, rejected_at in session.execute(entries):
            _stronger(marks, row_id if case_id else of_case, REFUSED if rejected_at else UNSYNCED)
        for row_id, of_case in session.execute(conflicts):
            _stronger(marks, row_id if case_id else of_case, CONFLICT)
    return marks
