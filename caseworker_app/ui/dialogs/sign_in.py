"""Signed out: the server refused this laptop's sign-in. The password signs it in again; nothing local is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from caseworker_app.i18n import _
from caseworker_app.services.sync import sign_in_again
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.widgets.form_dialog import FormDialog


class SignInDialog(FormDialog):
    def __init__(self, store: LocalStore, username: str, server: str, why: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, _("Sign in to sync"), submit=_("&Sign in"))
        self.store = store
        intro = QLabel(
            _(
                "The sync server signed this laptop out. Your work is kept on this laptop and will sync "
                "once you sign in again."
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        reason = QLabel(why)
        reason.setWordWrap(True)
        reason.setAccessibleName(_("Why you were signed out"))
        self.form.addRow(reason)
        self.username = QLabel(username)
        self.add_row(_("User name:"), self.username, _("User name"))
        self.server = QLabel(server)
        self.add_row(_("Server:"), self.server, _("Server"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(_("&Password:"), self.password, _("Server password"))
        self.password.setFocus()

    def work(self) -> Callable[[], Any] | None:
        password = self.password.text()
        if not password:
            self.show_problem(_("Type your password for the agency's server."))
            return None
        store = self.store
        return lambda: sign_in_again(store, password)
