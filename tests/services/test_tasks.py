"""Tasks: add, edit against what the form loaded, complete, cancel."""

from __future__ import annotations

from datetime import date

import pytest
from services_kit import Household

from caseworker_app.domain import Task, ValidationError
from caseworker_app.domain.vocabulary import TaskStatus
from caseworker_app.services import tasks
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import TaskRow


def test_a_task_is_added_open_and_assigned_to_the_worker(store: LocalStore, household: Household) -> None:
    task = tasks.add_task(store, household.case.id, "  Call the school nurse ", date(2026, 12, 1))
    stored = store.repo.get(Task, task.id)
    assert (stored.title, stored.status, stored.assigned_to) == ("Call the school nurse", TaskStatus.OPEN, "liaison")
    with pytest.raises(ValidationError, match="Describe"):
        tasks.add_task(store, household.case.id, " ", date(2026, 12, 1))


def test_completing_and_cancelling_follow_the_task_rules(store: LocalStore, household: Household) -> None:
    call = tasks.add_task(store, household.case.id, "Call", date(2026, 12, 1))
    visit = tasks.add_task(store, household.case.id, "Visit", date(2026, 12, 2))
    assert tasks.complete_task(store, call.id).status is TaskStatus.DONE
    assert tasks.complete_task(store, call.id).status is TaskStatus.DONE  # twice is harmless
    with pytest.raises(ValidationError, match="already done"):
        tasks.cancel_task(store, call.id)
    assert tasks.cancel_task(store, visit.id).status is TaskStatus.CANCELLED
    with pytest.raises(ValidationError, match="already cancelled"):
        tasks.complete_task(store, visit.id)
    actions = [e["action"] for e in store.repo.audit_events(case_id=household.case.id)]
    assert actions == ["create", "create", "complete_task", "cancel_task"]


def test_editing_a_task_keeps_a_completion_made_meanwhile(store: LocalStore, household: Household) -> None:
    task = tasks.add_task(store, household.case.id, "Call", date(2026, 12, 1))
    with store.db.transaction(remote=True) as session:  # the supervisor completed it; a sync brought it
        row = session.get(TaskRow, task.id)
        assert row is not None
        row.status = "done"
    saved = tasks.edit_task(store, task.id, {"title": "Call the nurse", "status": "open"}, seen=task)
    stored = store.repo.get(Task, task.id)
    assert (stored.title, stored.status) == ("Call the nurse", TaskStatus.DONE)
    assert saved.changed == ("title",)
    with pytest.raises(ValidationError, match="own action"):
        tasks.edit_task(store, task.id, {"status": "cancelled"}, seen=stored)
    assert store.repo.get(Task, task.id).status is TaskStatus.DONE
