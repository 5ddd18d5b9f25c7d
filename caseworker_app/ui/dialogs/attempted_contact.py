"""Record an attempted contact (nobody home, no answer): final at once, with what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLineEdit, QPlainTextEdit, QWidget

from caseworker_app.domain.clock import from_local
from caseworker_app.domain.vocabulary import ContactType
from caseworker_app.services import visits
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.form_dialog import FormDialog


class AttemptedContactDialog(FormDialog):
    def __init__(self, store: LocalStore, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, "Record an attempted contact", submit="&Record")
        self.store, self.case_id = store, case_id
        self.kind = QComboBox()
        for kind in ContactType:
            self.kind.addItem(label(kind.value), kind.value)
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(f"d MMM yyyy HH:mm '{datetime.now().astimezone():%Z}'")
        self.location = QLineEdit()
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText("What happened: no answer at the door, left a card, spoke with a neighbour…")
        self.add_row("Contact &type:", self.kind)
        self.add_row("&Date and time:", self.when)
        self.add_row("&Location:", self.location)
        self.add_row("&What happened:", self.narrative, "Narrative")

    def work(self) -> Callable[[], Any] | None:
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        store, case_id = self.store, self.case_id
        kind, location, narrative = self.kind.currentData(), self.location.text(), self.narrative.toPlainText()
        return lambda: visits.record_attempted_contact(
            store, case_id, contact_type=kind, occurred_at=from_local(when), location=location, narrative=narrative
        )
