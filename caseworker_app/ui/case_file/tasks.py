"""Tasks tab: follow-ups with due dates; add, edit, mark done, cancel, reopen, and undo the last move (Ctrl+Z).

A button that cannot act on the selected row is disabled; a move shows what it did with
an Undo beside it, so one click never commits a slip for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from caseworker_app.domain.entities import Task
from caseworker_app.domain.vocabulary import TaskStatus
from caseworker_app.domain.workflow import TASK_MOVES
from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


@dataclass(frozen=True)
class TaskMove:
    """The last status change made here: what Undo puts back."""

    task_id: str
    title: str
    was: TaskStatus
    now: TaskStatus


@dataclass(frozen=True)
class TaskEdit:
    """The last edit made here (title, due date): the values Undo puts back, and the task as the edit left it."""

    task_id: str
    title: str
    before: dict[str, Any]
    after: Task


class TasksTab(CaseTab):
    title = N_("Tas&ks")
    kinds = frozenset({"Task"})
    new_task = Signal()
    edit_task = Signal(object)  # Task
    complete_task = Signal(object)  # Task
    cancel_task = Signal(object)  # Task
    reopen_task = Signal(object)  # Task
    undo_move = Signal(object)  # TaskMove or TaskEdit

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.last_move: TaskMove | TaskEdit | None = None
        self.button(_("Add a &task"), self.new_task.emit)
        self.edit_button = self.button(_("&Edit task…"), lambda: self.table.emit_current(self.edit_task),
                                       _("Edit the selected task"))
        self.done_button = self.button(_("Mark &done"), lambda: self.table.emit_current(self.complete_task),
                                       _("Mark the selected task done"))
        self.cancel_button = self.button(_("&Cancel task"), lambda: self.table.emit_current(self.cancel_task),
                                         _("Cancel the selected task"))
        self.reopen_button = self.button(_("Re&open task"), lambda: self.table.emit_current(self.reopen_task),
                                         _("Reopen the selected task"))
        self.table = RowTable([_("Task"), _("Due"), _("Status"), _("Assigned to")], _("Tasks"))
        self.table.set_empty_text(_("No tasks yet. Add one with \u201cAdd a task\u201d (Ctrl+T)."))
        self.table.activated_payload.connect(self.edit_task.emit)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._enable())
        # What the last move did, with its Undo: shown until the next move or undo.
        self.moved = QLabel("")
        self.moved.setAccessibleName(_("Last task change"))
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.setAccessibleName(_("Undo the last task change"))
        self.undo_button.setToolTip(_("Undo the last task change (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.moved, 1)
        undo_row.addWidget(self.undo_button)
        self.layout_.addWidget(self.table)
        self.layout_.addLayout(undo_row)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)
        self._show_move()
        self._enable()

    def selected(self) -> Task | None:
        payload = self.table.current_payload()
        return payload if isinstance(payload, Task) and self.table.selectionModel().hasSelection() else None

    def _enable(self) -> None:
        task = self.selected()
        moves = TASK_MOVES[task.status] if task is not None else frozenset()
        self.edit_button.setEnabled(task is not None)
        self.done_button.setEnabled(TaskStatus.DONE in moves)
        self.cancel_button.setEnabled(TaskStatus.CANCELLED in moves)
        self.reopen_button.setEnabled(TaskStatus.OPEN in moves)

    def remember(self, move: TaskMove | TaskEdit) -> None:
        """A move went through: say so, and offer to undo it."""
        self.last_move = move
        self._show_move()

    def undo(self) -> None:
        if self.last_move is not None:
            move, self.last_move = self.last_move, None
            self._show_move()
            self.undo_move.emit(move)

    def _show_move(self) -> None:
        move = self.last_move
        texts = {
            TaskStatus.DONE: _("\u201c{title}\u201d marked done."),
            TaskStatus.CANCELLED: _("\u201c{title}\u201d cancelled."),
            TaskStatus.OPEN: _("\u201c{title}\u201d reopened."),
        }
        if isinstance(move, TaskEdit):
            self.moved.setText(_("\u201c{title}\u201d changed.").format(title=move.title))
        else:
            self.moved.setText(texts[move.now].format(title=move.title) if move else "")
        self.undo_button.setVisible(move is not None)

    def fill(self, file: CaseFile) -> None:
        today = date.today()
        selected = self.selected()
        order = {"open": 0, "done": 1, "cancelled": 2}
        tasks = sorted(file.detail.tasks, key=lambda t: (order.get(t.status, 3), t.due_on))
        overdue = _("Overdue")  # the row's warning mark draws the sign beside it: no second sign in the text
        self.table.set_rows([
            Row([t.title, short_date(t.due_on),
                 overdue if t.status == "open" and t.due_on < today else label(t.status),
                 t.assigned_to],
                payload=t, sort_keys=[t.title, t.due_on.isoformat(), order.get(t.status, 3), t.assigned_to],
                emphasis={2} if t.status == "open" and t.due_on < today else set())
            for t in tasks
        ])
        if selected is not None:  # the same task stays selected across a re-read
            for row, t in enumerate(tasks):
                if t.id == selected.id:
                    self.table.selectRow(self.table.proxy.mapFromSource(self.table.rows_model.index(row, 0)).row())
        self._enable()
