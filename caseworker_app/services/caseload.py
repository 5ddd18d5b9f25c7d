"""The caseload as a list of rows for the case table, and one case file with everything its tabs show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from caseworker_app.domain.clock import local_date
from caseworker_app.domain.entities import AttendanceRecord, Note, Person
from caseworker_app.domain.rules import absence_rate, is_chronically_absent, month_start
from caseworker_app.domain.vocabulary import CaseStage, PersonRole, TaskStatus
from caseworker_app.services import casework
from caseworker_app.services.today import ChildDue, children_due, last_seen_by_child, visit_deadline
from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import CaseDetail


@dataclass(frozen=True)
class CaseRow:
    """One line of the case table."""

    id: str
    reference: str
    family_name: str
    stage: str
    risk_level: str
    school: str
    last_visit: date | None
    next_visit_due: date | None
    visit_due: bool
    open_tasks: int


def case_rows(store: LocalStore, today: date) -> list[CaseRow]:
    """Every case with its school, last contact, next visit deadline and open tasks."""
    seen = last_seen_by_child(store.db, today)
    with store.db.reading() as session:
        cases = session.execute(
            text(
                "SELECT c.id, c.reference, c.family_name, c.stage, c.risk_level, coalesce(s.name, ''), c.opened_on, "
                "v.last, coalesce(t.open, 0) "
                "FROM cases AS c LEFT JOIN schools AS s ON s.id = c.school_id "
                "LEFT JOIN (SELECT case_id, max(occurred_at) AS last FROM visits WHERE deleted_at IS NULL "
                "           GROUP BY case_id) AS v ON v.case_id = c.id "
                "LEFT JOIN (SELECT case_id, count(*) AS open FROM tasks WHERE deleted_at IS NULL AND status = :open "
                "           GROUP BY case_id) AS t ON t.case_id = c.id "
                "WHERE c.deleted_at IS NULL ORDER BY c.family_name, c.reference"
            ),
            {"open": TaskStatus.OPEN.value},
        ).all()
        children = session.execute(
            text("SELECT id, case_id FROM people WHERE deleted_at IS NULL AND role = :child"),
            {"child": PersonRole.CHILD.value},
        ).all()
    kids: dict[str, list[str]] = {}
    for child_id, case_id in children:
        kids.setdefault(case_id, []).append(child_id)
    rows = []
    for case_id, reference, family, stage, risk, school, opened, last_visit, open_tasks in cases:
        opened_on = date.fromisoformat(opened) if opened else None
        deadlines = [visit_deadline(seen.get(k), opened_on, today) for k in kids.get(case_id, [])]
        next_due = min(deadlines) if deadlines and stage != CaseStage.CLOSED.value else None
        due = stage != CaseStage.CLOSED.value and any(
            seen.get(k) is None or seen[k] < month_start(today) for k in kids.get(case_id, [])
        )
        rows.append(
            CaseRow(
                id=case_id,
                reference=reference,
                family_name=family,
                stage=stage,
                risk_level=risk,
                school=school,
                last_visit=local_date(datetime.fromisoformat(last_visit)) if last_visit else None,
                next_visit_due=next_due,
                visit_due=due,
                open_tasks=int(open_tasks or 0),
            )
        )
    return rows


@dataclass(frozen=True)
class AttendanceLine:
    record: AttendanceRecord
    child_name: str
    rate: float
    chronic: bool  # over all this child's periods on record


@dataclass
class CaseFile:
    """A case in full, with the names and flags its tabs show."""

    detail: CaseDetail
    school: str
    schools: dict[str, str]
    history: list[dict[str, Any]]
    children_due: list[ChildDue]
    attendance: list[AttendanceLine] = field(default_factory=list)

    @property
    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.detail.people}

    def addenda(self, note_id: str) -> list[Note]:
        return [n for n in self.detail.notes if n.addendum_to == note_id]

    def note_for_visit(self, visit_id: str) -> Note | None:
        return next((n for n in self.detail.notes if n.visit_id == visit_id and n.addendum_to is None), None)


def open_case_file(store: LocalStore, case_id: str, today: date, *, reopen: bool = False) -> CaseFile:
    """Open a case (an audit event) and gather what its tabs show.

    reopen=True refreshes a case file already open after the person changed something in
    it: that is not a new view, so it is not audited again.
    """
    detail = queries.case_detail(store.db, case_id) if reopen else casework.open_case(store, case_id)
    schools = {s.id: s.name for s in store.repo.schools()}
    people = {p.id: p for p in detail.people}
    by_child: dict[str, list[AttendanceRecord]] = {}
    for record in detail.attendance:
        by_child.setdefault(record.child_id, []).append(record)
    attendance = [
        AttendanceLine(
            record=r,
            child_name=people[r.child_id].full_name if r.child_id in people else "",
            rate=absence_rate(r),
            chronic=is_chronically_absent(by_child[r.child_id]),
        )
        for r in detail.attendance
    ]
    return CaseFile(
        detail=detail,
        school=schools.get(detail.case.school_id or "", ""),
        schools=schools,
        history=list(reversed(store.repo.audit_events(case_id=case_id))),
        children_due=children_due(store.db, today, case_id),
        attendance=attendance,
    )
