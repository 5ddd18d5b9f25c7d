"""Tasks tab: follow-ups with due dates; add, complete or cancel them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


class TasksTab(CaseTab):
    title = "Tas&ks"
    kinds = frozenset({"Task"})
    new_task = Signal()
    edit_task = Signal(object)  # Task
    complete_task = Signal(object)  # Task
    cancel_task = Signal(object)  # Task

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button("Add a &task", self.new_task.emit)
        self.button("&Edit task…", lambda: self.table.emit_current(self.edit_task), "Edit the selected task")
        self.button("Mark &done", lambda: self.table.emit_current(self.complete_task), "Mark the selected task done")
        self.button("&Cancel task", lambda: self.table.emit_current(self.cancel_task), "Cancel the selected task")
        self.table = RowTable(["Task", "Due", "Status", "Assigned to"], "Tasks")
        self.table.activated_payload.connect(self.edit_task.emit)
        self.layout_.addWidget(self.table)

    def fill(self, file: CaseFile) -> None:
        today = date.today()
        order = {"open": 0, "done": 1, "cancelled": 2}
        tasks = sorted(file.detail.tasks, key=lambda t: (order.get(t.status, 3), t.due_on))
        self.table.set_rows([
            Row([t.title, short_date(t.due_on),
                 "Overdue" if t.status == "open" and t.due_on < today else label(t.status), t.assigned_to],
                payload=t, sort_keys=[t.title, t.due_on.isoformat(), order.get(t.status, 3), t.assigned_to],
                emphasis={2} if t.status == "open" and t.due_on < today else set())
            for t in tasks
        ])
