"""Attendance tab: days enrolled, absent and tardy per child and period, with the chronic absenteeism flag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


class AttendanceTab(CaseTab):
    title = N_("Atte&ndance")
    kinds = frozenset({"AttendanceRecord", "Person"})
    record_attendance = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button("Record &attendance", self.record_attendance.emit)
        self.table = RowTable(["Child", "Period", "Enrolled", "Absent", "Tardy", "Absence rate", "Chronic absence"],
                              "Attendance")
        self.table.set_empty_text(_("No attendance recorded yet. Record a month with \u201cRecord attendance\u201d "
                                    "(Ctrl+Shift+A)."))
        self.layout_.addWidget(self.table)

    def fill(self, file: CaseFile) -> None:
        self.table.set_rows([
            Row([line.child_name, line.record.period, str(line.record.days_enrolled), str(line.record.days_absent),
                 str(line.record.days_tardy), f"{line.rate:.0%}",
                 "Chronically absent (10% or more)" if line.chronic else ""], payload=line.record,
                sort_keys=[line.child_name, line.record.period, line.record.days_enrolled, line.record.days_absent,
                           line.record.days_tardy, line.rate, line.chronic],
                emphasis={6} if line.chronic else set())
            for line in sorted(file.attendance, key=lambda a: (a.child_name, a.record.period), reverse=False)
        ])
