"""Add a follow-up task with a due date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QWidget

from caseworker_app.services import tasks
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.widgets.form_dialog import FormDialog


class TaskDialog(FormDialog):
    def __init__(self, store: LocalStore, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, "Add a task", submit="&Add task")
        self.store, self.case_id = store, case_id
        self.title = QLineEdit()
        self.due = QDateEdit(QDate.currentDate().addDays(7))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("d MMM yyyy")
        self.add_row("&Task:", self.title)
        self.add_row("&Due on:", self.due)
        self.title.setFocus()

    def work(self) -> Callable[[], Any] | None:
        due = self.due.date().toPython()
        assert isinstance(due, date)
        store, case_id, title = self.store, self.case_id, self.title.text()
        return lambda: tasks.add_task(store, case_id, title, due)
