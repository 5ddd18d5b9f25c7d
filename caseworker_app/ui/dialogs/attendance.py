"""Record (or correct) a child's attendance for one month, chosen with a month picker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox, QWidget

from caseworker_app.domain.entities import Person
from caseworker_app.i18n import _
from caseworker_app.services import attendance
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog

FIRST_MONTH = QDate(2000, 1, 1)


def days(value: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 200)
    spin.setValue(value)
    return spin


def month_picker() -> QDateEdit:
    """A month and year (no day): the arrow keys step the month or the year, whichever is selected."""
    today = QDate.currentDate()
    picker = QDateEdit(QDate(today.year(), today.month(), 1))
    in_language(picker, "MMMM yyyy")  # the month named in the window's language: "noviembre 2026"
    picker.setMinimumDate(FIRST_MONTH)
    picker.setMaximumDate(QDate(today.year() + 1, 12, 1))
    picker.setCurrentSection(QDateEdit.Section.MonthSection)
    return picker


def period_of(picker: QDateEdit) -> str:
    """The month as the store keeps it, '2026-11'."""
    chosen = picker.date()
    return f"{chosen.year():04d}-{chosen.month():02d}"


class AttendanceDialog(FormDialog):
    def __init__(self, store: LocalStore, children: list[Person], parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Record attendance"), submit=_("&Save attendance"))
        self.store = store
        self.child = QComboBox()
        for child in children:
            self.child.addItem(child.full_name, child.id)
        self.period = month_picker()
        self.enrolled, self.absent, self.tardy = days(20), days(), days()
        self.add_row(_("&Child:"), self.child)
        self.add_row(_("&Month:"), self.period, _("Month the counts cover"))
        self.add_row(_("Days &enrolled:"), self.enrolled)
        self.add_row(_("Days &absent:"), self.absent)
        self.add_row(_("Days &tardy:"), self.tardy)

    def work(self) -> Callable[[], Any] | None:
        if self.child.count() == 0:
            self.show_problem(_("This case has no children."))
            return None
        store, child, period = self.store, self.child.currentData(), period_of(self.period)
        enrolled, absent, tardy = self.enrolled.value(), self.absent.value(), self.tardy.value()
        return lambda: attendance.record_attendance(store, child, period, days_enrolled=enrolled,
                                                    days_absent=absent, days_tardy=tardy)
