"""Members tab: the children, caregivers and other household members of the case."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


def age(born: date | None, today: date) -> str:
    if born is None:
        return ""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return str(years)


class MembersTab(CaseTab):
    title = N_("Mem&bers")
    kinds = frozenset({"Person"})

    add_member = Signal()
    edit_member = Signal(object)  # Person

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button(_("&Add member…"), self.add_member.emit, _("Add a household member"))
        self.button(_("&Edit member…"), self._edit, _("Edit the selected member"))
        self.table = RowTable([_("Name"), _("Role"), _("Age"), _("Relationship"), _("School"), _("Grade"),
                               _("Student id")], _("Members"))
        self.table.activated_payload.connect(lambda _id: self._edit())
        self.layout_.addWidget(self.table)

    def _edit(self) -> None:
        person_id = self.table.current_payload()
        if person_id is not None and self.file is not None:
            self.edit_member.emit(self.file.people_by_id[person_id])

    def fill(self, file: CaseFile) -> None:
        today = date.today()
        role_order = {"child": 0, "caregiver": 1, "household_member": 2}
        people = sorted(file.detail.people, key=lambda p: (role_order.get(p.role, 3), p.first_name))
        self.table.set_rows([
            Row([p.full_name, label(p.role), age(p.date_of_birth, today), p.relationship,
                 file.schools.get(p.school_id or "", ""), p.grade, p.student_id], payload=p.id)
            for p in people
        ])
