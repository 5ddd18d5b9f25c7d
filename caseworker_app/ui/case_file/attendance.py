"""Attendance tab: days enrolled, absent and tardy per child and period, with the chronic absenteeism flag."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.local_format import month_text, number_text
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


def period_words(period: str) -> str:
    """'2026-11' as the language writes a month ('Nov 2026', 'nov 2026'); anything else as stored."""
    try:
        year, month = (int(part) for part in period.split("-"))
        return month_text(year, month)
    except ValueError:
        return period


def percent_text(rate: float) -> str:
    """'12%' / '12 %': the language's percent sign and spacing."""
    from babel.numbers import format_percent

    from caseworker_app.local_format import babel_locale

    return format_percent(rate, locale=babel_locale())


class AttendanceTab(CaseTab):
    title = N_("Atte&ndance")
    kinds = frozenset({"AttendanceRecord", "Person"})
    record_attendance = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button(_("Record &attendance"), self.record_attendance.emit)
        self.table = RowTable([_("Child"), _("Period"), _("Enrolled"), _("Absent"), _("Tardy"), _("Absence rate"),
                               _("Chronic absence")], _("Attendance"))
        self.table.set_empty_text(_("No attendance recorded yet. Record a month with \u201cRecord attendance\u201d "
                                    "(Ctrl+Shift+A)."))
        self.layout_.addWidget(self.table)

    def fill(self, file: CaseFile) -> None:
        self.table.set_rows([
            Row([line.child_name, period_words(line.record.period), number_text(line.record.days_enrolled),
                 number_text(line.record.days_absent), number_text(line.record.days_tardy), percent_text(line.rate),
                 _("Chronically absent (10% or more)") if line.chronic else ""], payload=line.record,
                sort_keys=[line.child_name, line.record.period, line.record.days_enrolled, line.record.days_absent,
                           line.record.days_tardy, line.rate, line.chronic],
                emphasis={6} if line.chronic else set())
            for line in sorted(file.attendance, key=lambda a: (a.child_name, a.record.period), reverse=False)
        ])
