"""The window's read-side: children due a visit agree with the domain rule, tasks and drafts, the case rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseworker_app.demo.profile import load_demo
from caseworker_app.domain.entities import Case, Person, Task, Visit
from caseworker_app.domain.rules import visits_due
from caseworker_app.domain.vocabulary import CaseStage, PersonRole, TaskStatus
from caseworker_app.services import visits
from caseworker_app.services.caseload import case_rows
from caseworker_app.services.today import children_due, tasks_due, today_view, visit_deadline
from caseworker_app.store.local_store import LocalStore

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("tz", ["UTC", "America/Chicago", "Asia/Tokyo"])
def test_children_due_match_the_domain_rule(store: LocalStore, tz: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        load_demo(store, today=TODAY)
        open_cases = {c.id for c in store.repo.all(Case) if c.stage is not CaseStage.CLOSED}
        children = [p for p in store.repo.all(Person) if p.role is PersonRole.CHILD and p.case_id in open_cases]
        expected = {d.child_id for d in visits_due(children, store.repo.all(Visit), TODAY) if d.due}
        due = children_due(store.db, TODAY)
        assert {c.child_id for c in due} == expected and expected
        # most overdue first, and "overdue" means a whole month was missed
        assert [c.days_overdue for c in due] == sorted((c.days_overdue for c in due), reverse=True)
        for child in due:
            assert child.due_by == visit_deadline(child.last_seen, None, TODAY) or child.last_seen is None
            assert child.days_overdue == max(0, (TODAY - child.due_by).days)
        # the case list says "visit due" for exactly the cases of those children
        rows = {r.id: r for r in case_rows(store, TODAY)}
        assert {r.id for r in rows.values() if r.visit_due} == {c.case_id for c in due}
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_deadline_is_the_end_of_the_month_after_the_last_visit() -> None:
    assert visit_deadline(date(2026, 10, 6), None, TODAY) == date(2026, 11, 30)
    assert visit_deadline(date(2026, 12, 15), None, TODAY) == date(2027, 1, 31)
    assert visit_deadline(None, date(2026, 9, 2), TODAY) == date(2026, 9, 30)


def test_tasks_due_and_today_view(store: LocalStore) -> None:
    case = store.repo.add(Case(reference="CW-1", family_name="Lopez"))
    store.repo.add(Task(case_id=case.id, title="Call the school", due_on=date(2026, 11, 1)))
    store.repo.add(Task(case_id=case.id, title="Far away", due_on=date(2027, 3, 1)))
    store.repo.add(Task(case_id=case.id, title="Done", due_on=date(2026, 11, 2), status=TaskStatus.DONE))
    due = tasks_due(store.db, TODAY)
    assert [(t.title, t.days_overdue) for t in due] == [("Call the school", 19)]

    draft = visits.start_visit(store, case.id, occurred_at=datetime(2026, 11, 19, 15, tzinfo=UTC))
    visits.update_draft(store, draft.visit.id, {"narrative": "First words of the note"}, draft)
    view = today_view(store, TODAY)
    assert [d.note.id for d in view.drafts] == [draft.note.id]
    assert [t.title for t in view.tasks_due] == ["Call the school"]
