"""Today: children due a visit, tasks due, unfinished drafts, recently opened cases; a row opens what it shows."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from caseworker_app.services.today import Today, today_view
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.labels import local_time, short_date
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable, heading, section


def first_words(text: str, count: int = 14) -> str:
    return " ".join(text.split()[:count]) or "(empty)"


def days(count: int) -> str:
    return "1 day" if count == 1 else f"{count:,} days"


class TodayPane(QWidget):
    open_case = Signal(str)
    open_draft = Signal(object)  # DraftVisit

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.title = heading("Today")
        self.summary = QLabel("")
        self.children_due = RowTable(["Child", "Overdue", "Due by", "Last seen", "Family"],
                                     "Children due a visit")
        self.tasks = RowTable(["Due", "Overdue", "Family", "Task"], "Tasks due")
        self.drafts = RowTable(["Family", "Last saved", "Draft"], "Unfinished drafts")
        self.recent = RowTable(["Family", "Reference", "Opened"], "Recently opened cases")
        for table in (self.children_due, self.tasks, self.recent):
            table.activated_payload.connect(self.open_case.emit)
        self.drafts.activated_payload.connect(self.open_draft.emit)

        grid = QGridLayout()
        grid.addWidget(section("Children due a face-to-face visit", self.children_due), 0, 0)
        grid.addWidget(section("Tasks due and overdue", self.tasks), 0, 1)
        grid.addWidget(section("Unfinished drafts", self.drafts), 1, 0)
        grid.addWidget(section("Recently opened cases", self.recent), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        self.setTabOrder(self.children_due, self.tasks)
        self.setTabOrder(self.tasks, self.drafts)
        self.setTabOrder(self.drafts, self.recent)

    def refresh(self) -> None:
        store, day = self.store, date.today()
        Op(self, lambda: today_view(store, day), what="loading today").success(self.show_today).run()

    def show_today(self, today: Today) -> None:
        overdue = sum(1 for c in today.children_due if c.days_overdue)
        self.title.setText(f"Today, {date.today():%A} {short_date(date.today())}")
        self.summary.setText(
            f"{len(today.children_due)} children due a visit this month ({overdue} overdue) · "
            f"{len(today.tasks_due)} tasks due · {len(today.drafts)} unfinished drafts"
        )
        self.children_due.set_rows([
            Row([c.child_name, days(c.days_overdue) if c.days_overdue else "this month", short_date(c.due_by),
                 short_date(c.last_seen) or "never", c.family_name],
                payload=c.case_id,
                sort_keys=[c.child_name, c.days_overdue, c.due_by.isoformat(),
                           c.last_seen.isoformat() if c.last_seen else "", c.family_name],
                emphasis={1} if c.days_overdue else set())
            for c in today.children_due
        ])
        self.tasks.set_rows([
            Row([short_date(t.due_on), days(t.days_overdue) if t.days_overdue else "", t.family_name, t.title],
                payload=t.case_id, sort_keys=[t.due_on.isoformat(), t.days_overdue, t.family_name, t.title],
                emphasis={1} if t.days_overdue else set())
            for t in today.tasks_due
        ])
        self.drafts.set_rows([
            Row([d.family_name, local_time(datetime.fromisoformat(d.last_saved)), first_words(d.note.narrative)],
                payload=d, sort_keys=[d.family_name, d.last_saved, d.note.narrative[:40]])
            for d in today.drafts
        ])
        self.recent.set_rows([
            Row([r.family_name, r.reference, local_time(r.opened_at)], payload=r.case_id,
                sort_keys=[r.family_name, r.reference, r.opened_at.isoformat()])
            for r in today.recent
        ])
