"""Add a follow-up task with a due date, or change one's title and due date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from caseworker_app.domain.entities import Task
from caseworker_app.i18n import _
from caseworker_app.services import tasks
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog


class TaskDialog(FormDialog):
    """`task` None: a new task on the case; otherwise that task to edit."""

    def __init__(
        self, store: LocalStore, case_id: str, parent: QWidget | None = None, task: Task | None = None
    ) -> None:
        super().__init__(parent, _("Edit task") if task else _("Add a task"),
                         submit=_("&Save") if task else _("&Add task"))
        self.store, self.case_id, self.task = store, case_id, task
        self.title = QLineEdit(task.title if task else "")
        due = QDate(task.due_on.year, task.due_on.month, task.due_on.day) if task else QDate.currentDate().addDays(7)
        self.due = QDateEdit(due)
        self.due.setCalendarPopup(True)
        in_language(self.due, "d MMM yyyy")
        self.add_row(_("&Task:"), self.title)
        self.add_row(_("&Due on:"), self.due)
        self.title.setFocus()

    def work(self) -> Callable[[], Any] | None:
        due = self.due.date().toPython()
        assert isinstance(due, date)
        store, case_id, title, task = self.store, self.case_id, self.title.text(), self.task
        if task is not None:
            return lambda: tasks.edit_task(store, task.id, {"title": title, "due_on": due}, task)
        return lambda: tasks.add_task(store, case_id, title, due)
