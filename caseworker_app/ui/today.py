"""Today: children due a visit, tasks due, unfinished drafts, recently opened cases; a row opens what it shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from caseworker_app.i18n import _, ngettext
from caseworker_app.local_format import number_text
from caseworker_app.services.today import Today, today_view
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.labels import local_time, short_date, weekday
from caseworker_app.ui.marks import DUE, OVERDUE
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable, heading, section


def first_words(text: str, count: int = 14) -> str:
    return " ".join(text.split()[:count]) or _("(empty)")


def overdue_days(count: int) -> str:
    return ngettext("{n} day overdue", "{n} days overdue", count).format(n=number_text(count))


def due_in(due_on: date, today: date) -> str:
    days = (due_on - today).days
    if days <= 0:
        return _("due today")
    return ngettext("due in {n} day", "due in {n} days", days).format(n=number_text(days))


class TodayPane(QWidget):
    open_case = Signal(str)
    open_draft = Signal(object)  # DraftVisit

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.title = heading(_("Today"))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.children_due = RowTable([_("Child"), _("Due"), _("Due by"), _("Last seen"), _("Family")],
                                     _("Children due a visit"))
        self.tasks = RowTable([_("Due"), _("When"), _("Family"), _("Task")], _("Tasks due"))
        self.drafts = RowTable([_("Family"), _("Last saved"), _("Draft")], _("Unfinished drafts"))
        self.recent = RowTable([_("Family"), _("Reference"), _("Opened")], _("Recently opened cases"))
        for table, stretch in ((self.children_due, 4), (self.tasks, 3), (self.drafts, 2), (self.recent, 0)):
            table.fit_to_width(stretch)
        self.children_due.set_empty_text(_("No child is due a face-to-face visit this month."))
        self.tasks.set_empty_text(_("No task is due. Add one from a case file's Tasks (Ctrl+T)."))
        self.drafts.set_empty_text(_("No unfinished drafts: every visit you started is finalized."))
        self.recent.set_empty_text(_("No case opened recently. Find one in Cases (Ctrl+2) and press Enter."))
        self.last_table: RowTable = self.children_due  # the list the person last moved in: Ctrl+N acts on its row
        for table in (self.children_due, self.tasks, self.recent):
            table.activated_payload.connect(self.open_case.emit)
        self.drafts.activated_payload.connect(self.open_draft.emit)
        for table in (self.children_due, self.tasks, self.drafts, self.recent):
            table.selectionModel().currentChanged.connect(lambda *_a, t=table: self._moved_in(t))

        grid = QGridLayout()
        grid.addWidget(section(_("Children due a face-to-face visit"), self.children_due), 0, 0)
        grid.addWidget(section(_("Tasks due and overdue"), self.tasks), 0, 1)
        grid.addWidget(section(_("Unfinished drafts"), self.drafts), 1, 0)
        grid.addWidget(section(_("Recently opened cases"), self.recent), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        self.setTabOrder(self.children_due, self.tasks)
        self.setTabOrder(self.tasks, self.drafts)
        self.setTabOrder(self.drafts, self.recent)

    def _moved_in(self, table: RowTable) -> None:
        self.last_table = table

    def selected_case_id(self) -> str | None:
        """The case of the selected row in the list last moved in (a draft's case for a draft)."""
        payload: Any = self.last_table.current_payload()
        if isinstance(payload, str):
            return payload
        visit = getattr(payload, "visit", None)
        return getattr(visit, "case_id", None)

    def refresh(self) -> None:
        store, day = self.store, date.today()
        Op(self, lambda: today_view(store, day), what=_("loading today")).success(self.show_today).run()

    def show_today(self, today: Today) -> None:
        overdue = sum(1 for c in today.children_due if c.days_overdue)
        day = date.today()
        self.title.setText(_("Today, {weekday} {date}").format(weekday=weekday(day), date=short_date(day)))
        self.summary.setText(" · ".join((
            ngettext("{n} child due a visit this month ({overdue} overdue)",
                     "{n} children due a visit this month ({overdue} overdue)",
                     len(today.children_due)).format(n=number_text(len(today.children_due)),
                                                   overdue=number_text(overdue)),
            ngettext("{n} task due", "{n} tasks due", len(today.tasks_due)).format(
                n=number_text(len(today.tasks_due))),
            ngettext("{n} unfinished draft", "{n} unfinished drafts", len(today.drafts)).format(
                n=number_text(len(today.drafts))),
        )))
        this_month = _("this month")
        self.children_due.set_rows([
            Row([c.child_name, overdue_days(c.days_overdue) if c.days_overdue else this_month, short_date(c.due_by),
                 short_date(c.last_seen) or _("never"), c.family_name],
                payload=c.case_id,
                sort_keys=[c.child_name, c.days_overdue, c.due_by.isoformat(),
                           c.last_seen.isoformat() if c.last_seen else "", c.family_name],
                marks={1: OVERDUE if c.days_overdue else DUE})
            for c in today.children_due
        ])
        self.tasks.set_rows([
            Row([short_date(t.due_on), overdue_days(t.days_overdue) if t.days_overdue else due_in(t.due_on, day),
                 t.family_name, t.title],
                payload=t.case_id, sort_keys=[t.due_on.isoformat(), t.days_overdue, t.family_name, t.title],
                marks={1: OVERDUE if t.days_overdue else DUE})
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
