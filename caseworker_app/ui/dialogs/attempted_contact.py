"""Record an attempted contact (nobody home, no answer): final at once, with what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from caseworker_app.domain.clock import from_local
from caseworker_app.domain.vocabulary import ContactType
from caseworker_app.i18n import _
from caseworker_app.services import visits
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import label
from caseworker_app.ui.visit_io import zone_on
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog


class AttemptedContactDialog(FormDialog):
    def __init__(self, store: LocalStore, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Record an attempted contact"), submit=_("&Record"))
        self.store, self.case_id = store, case_id
        self.kind = QComboBox()
        for kind in ContactType:
            self.kind.addItem(label(kind.value), kind.value)
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        in_language(self.when, "d MMM yyyy HH:mm")
        # The zone in force on the date chosen, not today's: a July attempt in Chicago is CDT.
        self.zone = QLabel("")
        self.zone.setAccessibleName(_("Time zone of the date and time"))
        self.when.dateTimeChanged.connect(self._show_zone)
        self._show_zone()
        self.location = QLineEdit()
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText(
            _("What happened: no answer at the door, left a card, spoke with a neighbour…"))
        self.add_row(_("Contact &type:"), self.kind)
        when_caption = QLabel(_("&Date and time:"))
        when_caption.setBuddy(self.when)
        self.when.setAccessibleName(_("Date and time"))
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addWidget(self.zone)
        when_row.addStretch(1)
        self.form.addRow(when_caption, when_row)
        self.add_row(_("&Location:"), self.location)
        self.add_row(_("&What happened:"), self.narrative, _("Narrative"))

    def _show_zone(self, *_args: Any) -> None:
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        self.zone.setText(zone_on(when))

    def work(self) -> Callable[[], Any] | None:
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        store, case_id = self.store, self.case_id
        kind, location, narrative = self.kind.currentData(), self.location.text(), self.narrative.toPlainText()
        return lambda: visits.record_attempted_contact(
            store, case_id, contact_type=kind, occurred_at=from_local(when), location=location, narrative=narrative
        )
