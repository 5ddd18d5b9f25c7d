"""Record (or correct) a child's attendance for a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from caseworker_app.domain.entities import Person
from caseworker_app.services import attendance
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.widgets.form_dialog import FormDialog


def days(value: int = 0) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 200)
    spin.setValue(value)
    return spin


class AttendanceDialog(FormDialog):
    def __init__(self, store: LocalStore, children: list[Person], parent: QWidget | None = None) -> None:
        super().__init__(parent, "Record attendance", submit="&Save attendance")
        self.store = store
        self.child = QComboBox()
        for child in children:
            self.child.addItem(child.full_name, child.id)
        self.period = QLineEdit(f"{date.today():%Y-%m}")
        self.enrolled, self.absent, self.tardy = days(20), days(), days()
        self.add_row("&Child:", self.child)
        self.add_row("&Period:", self.period, "Period, for example 2026-11")
        self.add_row("Days &enrolled:", self.enrolled)
        self.add_row("Days &absent:", self.absent)
        self.add_row("Days &tardy:", self.tardy)

    def work(self) -> Callable[[], Any] | None:
        if self.child.count() == 0:
            self.show_problem("This case has no children.")
            return None
        store, child, period = self.store, self.child.currentData(), self.period.text()
        enrolled, absent, tardy = self.enrolled.value(), self.absent.value(), self.tardy.value()
        return lambda: attendance.record_attendance(store, child, period, days_enrolled=enrolled,
                                                    days_absent=absent, days_tardy=tardy)
