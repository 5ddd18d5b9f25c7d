"""What a liaison's day starts with: children due a visit, tasks due, unfinished drafts, recent cases.

Read-only; the monthly face-to-face rule itself is the domain's (rules.visits_due).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import text

from caseworker_app.domain.clock import from_local, local_date
from caseworker_app.domain.rules import month_start
from caseworker_app.domain.vocabulary import CaseStage, ContactStatus, ContactType, PersonRole, TaskStatus
from caseworker_app.services import visits
from caseworker_app.store.database import Database
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import DraftVisit

RECENT_CASES = 10


@dataclass(frozen=True)
class ChildDue:
    child_id: str
    case_id: str
    child_name: str
    family_name: str
    reference: str
    last_seen: date | None
    due_by: date
    days_overdue: int


@dataclass(frozen=True)
class TaskDue:
    task_id: str
    case_id: str
    title: str
    family_name: str
    reference: str
    due_on: date
    days_overdue: int


@dataclass(frozen=True)
class RecentCase:
    case_id: str
    family_name: str
    reference: str
    opened_at: datetime


@dataclass(frozen=True)
class Today:
    children_due: list[ChildDue]
    tasks_due: list[TaskDue]
    drafts: list[DraftVisit]  # the worker's unfinished visit drafts (services.visits)
    recent: list[RecentCase]


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def visit_deadline(last_seen: date | None, opened_on: date | None, today: date) -> date:
    """The last day the child's next monthly visit can happen without missing a month.

    Seen in some month: the next visit belongs to the month after. Never seen: the
    month the case opened (or this month, if that is unknown).
    """
    if last_seen is not None:
        return month_end(next_month(month_start(last_seen)))
    return month_end(opened_on or today)


def face_to_face_types() -> list[str]:
    return [t.value for t in ContactType if t.face_to_face]


def last_seen_by_child(db: Database, today: date, case_id: str | None = None) -> dict[str, date]:
    """Each child's last completed face-to-face contact where they were seen (none in the future).

    The day is the local one, as the domain counts it (domain.clock.local_date). Stored times
    are UTC text, which sorts in time order, so SQL takes the latest and Python turns that one
    into a local day.
    """
    only = "AND v.case_id = :case " if case_id else ""
    types = ", ".join(f"'{t}'" for t in face_to_face_types())
    sql = text(
        "SELECT json_extract(c.value, '$.person_id'), max(v.occurred_at) "
        "FROM visits AS v, json_each(v.children) AS c "
        f"WHERE v.deleted_at IS NULL AND v.status = :completed AND v.contact_type IN ({types}) "
        "AND v.occurred_at < :tomorrow AND json_extract(c.value, '$.seen') "
        f"{only}GROUP BY 1"
    )
    params = {"completed": ContactStatus.COMPLETED.value, "tomorrow": start_of_next_day_utc(today), "case": case_id}
    with db.reading() as session:
        rows = session.execute(sql, params).all()
    return {child: local_date(datetime.fromisoformat(moment)) for child, moment in rows if child}


def start_of_next_day_utc(day: date) -> str:
    """Local midnight after `day`, as stored UTC text: contacts before it happened by the end of `day`."""
    midnight = datetime.combine(date.fromordinal(day.toordinal() + 1), datetime.min.time())
    return from_local(midnight).isoformat()


def children_due(db: Database, today: date, case_id: str | None = None) -> list[ChildDue]:
    """Children of open cases (or of one case) not yet seen this month, most overdue first."""
    seen = last_seen_by_child(db, today, case_id)
    only = "AND c.id = :case" if case_id else ""
    sql = text(
        "SELECT p.id, p.case_id, p.first_name, p.last_name, c.family_name, c.reference, c.opened_on "
        "FROM people AS p JOIN cases AS c ON c.id = p.case_id "
        f"WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL AND p.role = :child AND c.stage != :closed {only}"
    )
    result = []
    params = {"child": PersonRole.CHILD.value, "closed": CaseStage.CLOSED.value, "case": case_id}
    with db.reading() as session:
        rows = session.execute(sql, params).all()
    for child_id, row_case, first, last, family, reference, opened in rows:
        last_seen = seen.get(child_id)
        if last_seen is not None and last_seen >= month_start(today):
            continue  # this month's visit is done
        due_by = visit_deadline(last_seen, date.fromisoformat(opened) if opened else None, today)
        result.append(
            ChildDue(
                child_id=child_id,
                case_id=row_case,
                child_name=f"{first} {last}".strip(),
                family_name=family,
                reference=reference,
                last_seen=last_seen,
                due_by=due_by,
                days_overdue=max(0, (today - due_by).days),
            )
        )
    result.sort(key=lambda c: (-c.days_overdue, c.due_by, c.family_name, c.child_name))
    return result


def tasks_due(db: Database, today: date, within_days: int = 7) -> list[TaskDue]:
    """Open tasks due within a week or overdue, oldest first."""
    horizon = date.fromordinal(today.toordinal() + within_days)
    sql = text(
        "SELECT t.id, t.case_id, t.title, c.family_name, c.reference, t.due_on "
        "FROM tasks AS t JOIN cases AS c ON c.id = t.case_id "
        "WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL AND t.status = :open AND t.due_on <= :horizon "
        "ORDER BY t.due_on, c.family_name"
    )
    with db.reading() as session:
        rows = session.execute(sql, {"open": TaskStatus.OPEN.value, "horizon": horizon.isoformat()}).all()
    return [
        TaskDue(task_id, case_id, title, family, reference, date.fromisoformat(due),
                max(0, (today - date.fromisoformat(due)).days))
        for task_id, case_id, title, family, reference, due in rows
    ]


def recent_cases(db: Database, limit: int = RECENT_CASES) -> list[RecentCase]:
    """Cases this profile opened most recently (from the audit trail)."""
    sql = text(
        "SELECT a.case_id, max(a.at) AS last, c.family_name, c.reference "
        "FROM audit_events AS a JOIN cases AS c ON c.id = a.case_id "
        "WHERE a.action = 'open_case' AND c.deleted_at IS NULL "
        "GROUP BY a.case_id ORDER BY last DESC LIMIT :limit"
    )
    with db.reading() as session:
        rows = session.execute(sql, {"limit": limit}).all()
    return [RecentCase(case_id, family, reference, _moment(at)) for case_id, at, family, reference in rows]


def today_view(store: LocalStore, today: date) -> Today:
    return Today(
        children_due=children_due(store.db, today),
        tasks_due=tasks_due(store.db, today),
        drafts=visits.unfinished_drafts(store),
        recent=recent_cases(store.db),
    )


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
