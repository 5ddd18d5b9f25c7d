"""Tasks: a slip is put right by reopening or undoing, never by a task stuck done or cancelled."""

from __future__ import annotations

from datetime import date

import pytest
from services_kit import Household, outbox

from caseworker_app.domain import Task, ValidationError
from caseworker_app.domain.vocabulary import TaskStatus
from caseworker_app.services import tasks
from caseworker_app.store.local_store import LocalStore


def test_a_done_or_cancelled_task_can_be_reopened(store: LocalStore, household: Household) -> None:
    call = tasks.add_task(store, household.case.id, "Call", date(2026, 12, 1))
    tasks.complete_task(store, call.id)
    assert tasks.reopen_task(store, call.id).status is TaskStatus.OPEN
    tasks.cancel_task(store, call.id)
    assert tasks.reopen_task(store, call.id).status is TaskStatus.OPEN
    assert tasks.reopen_task(store, call.id).status is TaskStatus.OPEN  # twice is harmless
    actions = [e["action"] for e in store.repo.audit_events(case_id=household.case.id)]
    assert actions[-4:] == ["complete_task", "reopen_task", "cancel_task", "reopen_task"]


def test_undo_puts_the_task_back_unless_it_moved_since(store: LocalStore, household: Household) -> None:
    call = tasks.add_task(store, household.case.id, "Call", date(2026, 12, 1))
    tasks.complete_task(store, call.id)
    undone = tasks.undo_task_move(store, call.id, was=TaskStatus.OPEN, now=TaskStatus.DONE)
    assert undone.status is TaskStatus.OPEN and store.repo.get(Task, call.id).status is TaskStatus.OPEN
    assert store.repo.audit_events(case_id=household.case.id)[-1]["action"] == "undo_task"
    assert outbox(store)[-1].changes["status"]["new"] == "open"  # the undo syncs like any change

    tasks.cancel_task(store, call.id)
    tasks.reopen_task(store, call.id)  # someone else moved it meanwhile: undoing the cancel would undo theirs
    with pytest.raises(ValidationError, match="nothing to undo"):
        tasks.undo_task_move(store, call.id, was=TaskStatus.OPEN, now=TaskStatus.CANCELLED)


def test_undo_puts_back_an_edit_unless_the_task_changed_since(store: LocalStore, household: Household) -> None:
    call = tasks.add_task(store, household.case.id, "Call", date(2026, 12, 1))
    saved = tasks.edit_task(store, call.id, {"title": "Call the nurse", "due_on": date(2026, 12, 3)}, seen=call)
    before = {name: getattr(call, name) for name in saved.changed}
    undone = tasks.undo_task_edit(store, call.id, before=before, after=saved.record)
    assert (undone.title, undone.due_on) == ("Call", date(2026, 12, 1))
    assert store.repo.audit_events(case_id=household.case.id)[-1]["action"] == "undo_task"

    again = tasks.edit_task(store, call.id, {"title": "Call the nurse"}, seen=undone)
    tasks.edit_task(store, call.id, {"title": "Call the school nurse"}, seen=again.record)  # someone else
    with pytest.raises(ValidationError, match="nothing to undo"):
        tasks.undo_task_edit(store, call.id, before={"title": "Call"}, after=again.record)
    assert store.repo.get(Task, call.id).title == "Call the school nurse"
