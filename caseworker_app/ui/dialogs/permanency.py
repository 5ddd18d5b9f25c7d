"""Set a child's primary and alternative permanency goals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from caseworker_app.domain.entities import Person
from caseworker_app.domain.vocabulary import PermanencyGoalType
from caseworker_app.i18n import _
from caseworker_app.services import cases
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog


class PermanencyDialog(FormDialog):
    def __init__(self, store: LocalStore, children: list[Person], parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Permanency goals"), submit=_("&Save goals"))
        self.store = store
        self.child = QComboBox()
        for child in children:
            self.child.addItem(child.full_name, child.id)
        self.primary = QComboBox()
        self.alternative = QComboBox()
        self.alternative.addItem(_("None"), None)
        for goal in PermanencyGoalType:
            self.primary.addItem(label(goal.value), goal.value)
            self.alternative.addItem(label(goal.value), goal.value)
        self.set_on = QDateEdit(QDate.currentDate())
        self.set_on.setCalendarPopup(True)
        in_language(self.set_on, "d MMM yyyy")
        self.add_row(_("&Child:"), self.child)
        self.add_row(_("&Primary goal:"), self.primary)
        self.add_row(_("&Alternative goal:"), self.alternative)
        self.add_row(_("&Set on:"), self.set_on)

    def work(self) -> Callable[[], Any] | None:
        if self.child.count() == 0:
            self.show_problem(_("This case has no children."))
            return None
        set_on = self.set_on.date().toPython()
        assert isinstance(set_on, date)
        store, child = self.store, self.child.currentData()
        primary, alternative = self.primary.currentData(), self.alternative.currentData()
        return lambda: cases.set_permanency_goals(store, child, primary, alternative, set_on=set_on)
