"""Add a household member, or edit one (school, grade, student id, relationship)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QWidget

from caseworker_app.domain.entities import Person
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.i18n import _
from caseworker_app.services import members
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.dialogs.written_language import preferred_language_combo
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog


class MemberDialog(FormDialog):
    """`person` None: a new member of the case; otherwise that person's details to edit."""

    def __init__(self, store: LocalStore, case_id: str, schools: dict[str, str], person: Person | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Edit member") if person else _("Add a member"), submit=_("&Save"))
        self.store, self.case_id, self.person = store, case_id, person
        self.role = QComboBox()
        for role in PersonRole:
            self.role.addItem(label(role.value), role.value)
        self.first_name, self.last_name, self.relationship = QLineEdit(), QLineEdit(), QLineEdit()
        self.born = QDateEdit(QDate(2015, 1, 1))
        self.born.setCalendarPopup(True)
        in_language(self.born, "d MMM yyyy")
        self.born_known = QCheckBox(_("Date of birth known"))
        self.school = QComboBox()
        self.school.addItem(_("None"), None)
        for school_id, name in sorted(schools.items(), key=lambda s: s[1]):
            self.school.addItem(name, school_id)
        self.grade, self.student_id = QLineEdit(), QLineEdit()
        self.language = preferred_language_combo(person.preferred_language if person else "")
        if person is None:
            self.add_row(_("&Role:"), self.role)
            self.add_row(_("&First name:"), self.first_name)
            self.add_row(_("&Last name:"), self.last_name)
            self.add_row(_("&Date of birth:"), self.born)
            self.form.addRow(self.born_known)
            self.born_known.setAccessibleName(_("Date of birth known"))
        else:
            self.setWindowTitle(_("Edit {name}").format(name=person.full_name))
            self.relationship.setText(person.relationship)
            self.school.setCurrentIndex(max(0, self.school.findData(person.school_id)))
            self.grade.setText(person.grade)
            self.student_id.setText(person.student_id)
        self.add_row(_("R&elationship:"), self.relationship)
        self.add_row(_("&School:"), self.school)
        self.add_row(_("&Grade:"), self.grade)
        self.add_row(_("S&tudent id:"), self.student_id)
        if person is None or person.role is not PersonRole.CHILD:  # an adult's language for letters
            self.add_row(_("&Written language:"), self.language, _("Language for written material"))

    def work(self) -> Callable[[], Any] | None:
        store, school = self.store, self.school.currentData()
        grade, student = self.grade.text(), self.student_id.text()
        relationship = self.relationship.text()
        language = str(self.language.currentData() or "")
        person = self.person
        if person is not None:
            changes = {"relationship": relationship, "school_id": school, "grade": grade, "student_id": student,
                       "preferred_language": language}
            return lambda: members.edit_member(store, person.id, changes, person)
        born = self.born.date().toPython() if self.born_known.isChecked() else None
        assert born is None or isinstance(born, date)
        case_id, role = self.case_id, self.role.currentData()
        first, last = self.first_name.text(), self.last_name.text()
        return lambda: members.add_member(store, case_id, role, first, last, date_of_birth=born,
                                          relationship=relationship, school_id=school, grade=grade, student_id=student,
                                          preferred_language=language)
