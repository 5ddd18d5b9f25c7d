"""File > Connect to my agency…: a local profile ("work offline for now") enrolls and receives its caseload."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.first_run import ProgressRelay, line_edit, notice


@dataclass(frozen=True)
class ConnectDefaults:
    server: str
    server_fixed: bool
    device_name: str


def connect_defaults(store: LocalStore) -> ConnectDefaults:
    from caseworker_app.settings import Settings
    from caseworker_app.sync.enroll import default_device_name

    settings = Settings(store.profile.home)
    return ConnectDefaults(
        str(settings.get("server_url")), settings.fixed_by_policy("server_url"), default_device_name()
    )


class ConnectDialog(QDialog):
    connected = Signal()

    def __init__(self, store: LocalStore, defaults: ConnectDefaults, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("Connect to my agency"))
        self.setAccessibleName(_("Connect to my agency"))
        self._cancel = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.moved.connect(self._progress)
        self.server = line_edit(_("Server address"))
        self.server.setText(defaults.server)
        self.server.setReadOnly(defaults.server_fixed)
        self.username = line_edit(_("User name"))
        self.username.setText(store.worker)
        self.password = line_edit(_("Password"), secret=True)
        self.device = line_edit(_("Device name"))
        self.device.setText(defaults.device_name)
        form = QFormLayout()
        form.addRow(_("&Server:"), self.server)
        if defaults.server_fixed:
            form.addRow("", QLabel(_("Set by your organization")))
        form.addRow(_("&User name:"), self.username)
        form.addRow(_("&Password:"), self.password)
        form.addRow(_("&Device name:"), self.device)
        self.message = notice(warning=True)
        self.message.setAccessibleName(_("What to fix"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setAccessibleName(_("Progress"))
        self.bar.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Connect"))
        ok.setAccessibleName(_("Connect"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.running = False

    def connect_now(self) -> None:
        from caseworker_app.services import profiles

        server, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        device = self.device.text()
        if not (server and user and password):
            self._say(_("Enter the server address, your user name and your password."))
            return
        self._say("")
        self.running = True
        self.bar.setVisible(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        store, cancel, relay = self.store, self._cancel, self._relay

        def work() -> None:
            profiles.enroll_existing(store, server, user, password, device_name=device)
            profiles.first_sync(store, progress=relay.report, cancel=cancel)

        Op(self, work, what="connecting to the agency").success(lambda _r: self._done()).failure(
            self._failed
        ).run()

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(max(0.0, min(fraction, 1.0)) * 100))
        if message:
            self._say(message)

    def _done(self) -> None:
        self.running = False
        self.password.clear()
        self.connected.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.bar.setVisible(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self._say(str(exc) if str(exc) else _("Could not connect."))

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()  # the enrollment stays; the caseload arrives with the next sync
            self._say(_("Cancelling…"))
            return
        self.reject()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
