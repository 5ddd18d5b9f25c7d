"""Referrals tab: each service referral and where it stands, from referred to completed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date
from caseworker_app.ui.models.rows import Row
from caseworker_app.ui.widgets.table import RowTable


class ReferralsTab(CaseTab):
    title = N_("Referra&ls")
    kinds = frozenset({"Referral", "Person"})
    new_referral = Signal()
    move_referral = Signal(object)  # Referral
    edit_referral = Signal(object)  # Referral

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button(_("Add a &referral"), self.new_referral.emit)
        self.button(_("&Edit referral…"), lambda: self.table.emit_current(self.edit_referral),
                    _("Edit the selected referral's details"))
        self.button(_("Change &status…"), lambda: self.table.emit_current(self.move_referral),
                    _("Change the status of the selected referral"))
        self.table = RowTable([_("Service"), _("For"), _("Agency"), _("Status"), _("Referred"), _("Status since"),
                               _("Notes")], _("Referrals"))
        self.table.set_empty_text(_("No referrals yet. Refer the family to a service with \u201cAdd a referral\u201d "
                                    "(Ctrl+Shift+R)."))
        self.table.activated_payload.connect(self.edit_referral.emit)
        self.layout_.addWidget(self.table)

    def fill(self, file: CaseFile) -> None:
        people = file.people_by_id
        self.table.set_rows([
            Row([label(r.service), people[r.person_id].full_name if r.person_id in people else _("Family"), r.agency,
                 label(r.status), short_date(r.referred_on), short_date(r.status_on), r.notes], payload=r,
                sort_keys=[r.service, r.person_id or "", r.agency, r.status, r.referred_on.isoformat(),
                           r.status_on.isoformat() if r.status_on else "", r.notes])
            for r in sorted(file.detail.referrals, key=lambda r: r.referred_on, reverse=True)
        ])
