"""Follow-up tasks: add, edit, complete, cancel, reopen, undo; each one transaction with its outbox entry and audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from caseworker_app.domain.entities import Case, Task
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.vocabulary import TaskStatus
from caseworker_app.domain.workflow import check_task_move
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved


def add_task(store: LocalStore, case_id: str, title: str, due_on: date, *, assigned_to: str = "") -> Task:
    """A new open task on a case, assigned to this worker unless someone else is named."""
    case = store.repo.get(Case, case_id)
    task = Task(case_id=case.id, title=title.strip(), due_on=due_on, assigned_to=assigned_to or store.worker)
    return store.repo.add(task)


def edit_task(store: LocalStore, task_id: str, changes: Mapping[str, Any], seen: Task) -> Saved[Task]:
    """Change a task's title, due date or assignee; only the fields changed since `seen` are written.

    The status moves only through complete_task, cancel_task and reopen_task.
    """
    if "status" in changes and changes["status"] != seen.status:
        raise ValidationError("status", _("Complete, cancel or reopen the task with its own action."))
    return store.repo.update(Task, task_id, changes, seen=seen)


def _move(store: LocalStore, task_id: str, to: TaskStatus, action: str) -> Task:
    with store.repo.unit() as uow:
        task = uow.get(Task, task_id)
        if task.status is to:
            return task  # done twice (two windows, a double click): nothing more to record
        check_task_move(task, to)
        return uow.update(Task, task_id, {"status": to}, seen=task, audit_action=action).record


def complete_task(store: LocalStore, task_id: str) -> Task:
    """Mark an open task done. A task already done stays done; a cancelled one raises ValidationError."""
    return _move(store, task_id, TaskStatus.DONE, "complete_task")


def cancel_task(store: LocalStore, task_id: str) -> Task:
    """Cancel an open task (no longer needed). A done task cannot be cancelled."""
    return _move(store, task_id, TaskStatus.CANCELLED, "cancel_task")


def reopen_task(store: LocalStore, task_id: str) -> Task:
    """Open a done or cancelled task again (marked done by mistake, or needed after all)."""
    return _move(store, task_id, TaskStatus.OPEN, "reopen_task")


def undo_task_move(store: LocalStore, task_id: str, *, was: TaskStatus | str, now: TaskStatus | str) -> Task:
    """Put a task back to the status it had before the person's last move (Ctrl+Z).

    Only while it still has the status that move gave it: if someone (a sync, another window)
    moved it since, undoing would overwrite their change, so it raises ValidationError instead.
    """
    before, after = TaskStatus(was), TaskStatus(now)
    with store.repo.unit() as uow:
        task = uow.get(Task, task_id)
        if task.status is not after:
            raise ValidationError(
                "status", _("This task changed since; there is nothing to undo. It is now {status}.").format(
                    status=_(task.status.value))
            )
        return uow.update(Task, task_id, {"status": before}, seen=task, audit_action="undo_task").record


def undo_task_edit(store: LocalStore, task_id: str, *, before: Mapping[str, Any], after: Task) -> Task:
    """Put back the title, due date or assignee a task had before the person's last edit (Ctrl+Z).

    Only while the task still reads as that edit left it (`after`); otherwise someone changed
    it since and undoing would overwrite them, so it raises ValidationError.
    """
    with store.repo.unit() as uow:
        task = uow.get(Task, task_id)
        if any(getattr(task, name) != getattr(after, name) for name in before):
            raise ValidationError("status", _("This task changed since; there is nothing to undo."))
        return uow.update(Task, task_id, before, seen=task, audit_action="undo_task").record
