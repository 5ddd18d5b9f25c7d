"""Add a service referral, or move one to its next status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QLineEdit, QPlainTextEdit, QWidget

from caseworker_app.domain.entities import Person, Referral
from caseworker_app.domain.vocabulary import ReferralStatus, ServiceType
from caseworker_app.i18n import _
from caseworker_app.services import referrals
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog


def date_edit(day: QDate | None = None) -> QDateEdit:
    edit = QDateEdit(day or QDate.currentDate())
    edit.setCalendarPopup(True)
    in_language(edit, "d MMM yyyy")
    return edit


class ReferralDialog(FormDialog):
    """A new referral, or a referral's details (service, person, agency, date, notes) when one is given."""

    def __init__(self, store: LocalStore, case_id: str, people: list[Person], parent: QWidget | None = None,
                 referral: Referral | None = None) -> None:
        editing = referral is not None
        super().__init__(parent, _("Edit the referral") if editing else _("Add a referral"),
                         submit=_("&Save") if editing else _("&Add referral"))
        self.store, self.case_id, self.referral = store, case_id, referral
        self.service = QComboBox()
        for service in ServiceType:
            self.service.addItem(label(service.value), service.value)
        self.person = QComboBox()
        self.person.addItem(_("The whole family"), None)
        for person in people:
            self.person.addItem(person.full_name, person.id)
        self.agency = QLineEdit()
        self.referred_on = date_edit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        if referral is not None:
            self.service.setCurrentIndex(max(0, self.service.findData(referral.service.value)))
            self.person.setCurrentIndex(max(0, self.person.findData(referral.person_id)))
            self.agency.setText(referral.agency)
            day = referral.referred_on
            self.referred_on.setDate(QDate(day.year, day.month, day.day))
            self.notes.setPlainText(referral.notes)
        self.add_row(_("&Service:"), self.service)
        self.add_row(_("&For:"), self.person, _("Referral for"))
        self.add_row(_("&Agency:"), self.agency)
        self.add_row(_("&Referred on:"), self.referred_on)
        self.add_row(_("&Notes:"), self.notes)

    def work(self) -> Callable[[], Any] | None:
        referred_on = self.referred_on.date().toPython()
        assert isinstance(referred_on, date)
        store, case_id = self.store, self.case_id
        service, person, agency, notes = (self.service.currentData(), self.person.currentData(), self.agency.text(),
                                          self.notes.toPlainText())
        referral = self.referral
        if referral is not None:
            changes = {"service": service, "person_id": person, "agency": agency, "referred_on": referred_on,
                       "notes": notes}
            return lambda: referrals.edit_referral(store, referral.id, changes, seen=referral)
        return lambda: referrals.add_referral(store, case_id, service, referred_on=referred_on, person_id=person,
                                              agency=agency, notes=notes)


class ReferralMoveDialog(FormDialog):
    def __init__(self, store: LocalStore, referral: Referral, parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Change the referral's status"), submit=_("&Change status"))
        self.store, self.referral = store, referral
        self.form.addRow(QLabel(_("{service}: now {status}.").format(service=label(referral.service),
                                                                       status=label(referral.status).lower())))
        self.status = QComboBox()
        for status in ReferralStatus:
            if status is not referral.status:
                self.status.addItem(label(status.value), status.value)
        self.on = date_edit()
        self.add_row(_("&New status:"), self.status)
        self.add_row(_("&As of:"), self.on, _("Status date"))

    def work(self) -> Callable[[], Any] | None:
        on = self.on.date().toPython()
        assert isinstance(on, date)
        store, referral, to = self.store, self.referral, self.status.currentData()
        return lambda: referrals.move_referral(store, referral.id, to, on=on, seen=referral)
