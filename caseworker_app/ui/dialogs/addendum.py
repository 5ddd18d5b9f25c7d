"""Add an addendum to a finalized note: the only way to correct it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from caseworker_app.domain.entities import Note
from caseworker_app.i18n import _
from caseworker_app.services import visits
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import local_time
from caseworker_app.ui.widgets.form_dialog import FormDialog


class AddendumDialog(FormDialog):
    def __init__(self, store: LocalStore, note: Note, parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Add an addendum"), submit=_("&Add addendum"))
        self.store, self.note = store, note
        intro = QLabel(_("The note of {when} is final. An addendum is added beneath it, with your name and the "
                         "time; the note itself does not change.").format(when=local_time(note.written_at)))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(160)
        self.add_row(_("&Correction or addition:"), self.text, _("Addendum text"))
        self.text.setFocus()

    def work(self) -> Callable[[], Any] | None:
        text = self.text.toPlainText()
        if not text.strip():
            self.show_problem(_("Write the addendum first."))
            return None
        store, note_id = self.store, self.note.id
        return lambda: visits.add_addendum(store, note_id, text)
