"""Casework use cases shared by the CLI and the desktop app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker_app.domain.entities import Case, Person, Task, Visit
from caseworker_app.domain.rules import visits_due
from caseworker_app.domain.vocabulary import CaseStage, TaskStatus
from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import CaseDetail


@dataclass(frozen=True)
class StatusSummary:
    cases: int
    children: int
    children_due_this_month: int
    open_tasks: int
    overdue_tasks: int
    pending_changes: int


def status_summary(store: LocalStore, today: date) -> StatusSummary:
    repo = store.repo
    open_cases = {c.id for c in repo.all(Case) if c.stage is not CaseStage.CLOSED}
    # Children of closed cases are no longer visited; they are not "due".
    children = [p for p in repo.all(Person) if p.role == "child" and p.case_id in open_cases]
    due = visits_due(children, repo.all(Visit), today)
    open_tasks = [t for t in repo.all(Task) if t.status is TaskStatus.OPEN]
    return StatusSummary(
        cases=len(queries.case_list(store.db)),
        children=len(children),
        children_due_this_month=sum(1 for d in due if d.due),
        open_tasks=len(open_tasks),
        overdue_tasks=sum(1 for t in open_tasks if t.due_on < today),
        pending_changes=queries.outbox_size(store.db),
    )


def open_case(store: LocalStore, case_id: str) -> CaseDetail:
    """A case in full; opening it is an audit event."""
    detail = queries.case_detail(store.db, case_id)
    store.repo.audit("open_case", case_id=case_id, entity="Case", row_id=case_id)
    return detail
