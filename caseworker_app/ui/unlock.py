"""The unlock screen: passphrase, busy indicator while the key is derived, lockout countdown, clear failures."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import N_, _, ngettext
from caseworker_app.store.profile_label import read_label
from caseworker_app.ui.background import Op
from caseworker_app.ui.marks import ERROR, WARNING_SIGN, text_style
from caseworker_app.ui.widgets.centred import centre

NO_KEYRING = N_(
    "This computer has no OS keyring, so this profile is protected by its passphrase alone. "
    "Keep the passphrase strong and never leave the laptop unlocked."
)


SETTLE_MS = 100  # what the unlock screen does not need waits this long after it shows (ui/app.py too)


FULL_NAME_SETTING = "unlock/full_name/{worker}"  # kept by the window once unlocked; the name only, no case data


def worker_greeting(worker: str | None) -> str:
    """The worker's full name and user name, as the window last read it from the store."""
    if not worker:
        return _("(not recorded in this profile)")
    name = str(QSettings().value(FULL_NAME_SETTING.format(worker=worker), "") or "").strip()
    return _("{name} ({worker})").format(name=name, worker=worker) if name and name != worker else worker


class UnlockScreen(QWidget):
    """Asks for the passphrase; emits the opened store."""

    unlocked = Signal(object)  # LocalStore

    def __init__(self, home: Path, *, hint: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setObjectName("unlock")
        self._countdown = 0
        self._wrong_passphrase = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

        title = QLabel(_("Caseworker"))
        title.setObjectName("title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        profile = read_label(home)
        self.worker = QLabel(worker_greeting(profile.worker))
        self.worker.setObjectName("worker")
        self.worker.setAccessibleName(_("Worker"))
        self.folder = QLabel(_("Profile: {folder}").format(folder=home))
        self.folder.setWordWrap(True)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setMinimumWidth(320)
        self.passphrase.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton(_("&Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)

        self.hint = QLabel(hint or "")
        self.hint.setObjectName("hint")
        self.hint.setVisible(bool(hint))
        self.hint.setWordWrap(True)
        self.keyring_notice = QLabel(_(NO_KEYRING))
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setVisible(profile.uses_keyring is False)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        # An error reads as one (a sign and the error colour), never in the link colour of a hint.
        self.message_sign = QLabel(WARNING_SIGN)
        self.message_sign.setAccessibleName(_("Error"))
        self.message_sign.setStyleSheet(text_style(ERROR))
        self.message_sign.setVisible(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate while argon2 runs
        self.busy.setAccessibleName(_("Unlocking"))
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)

        form = QFormLayout()
        form.addRow(_("Worker:"), self.worker)
        form.addRow(_("&Passphrase:"), self.passphrase)
        label = form.labelForField(self.passphrase)
        if isinstance(label, QLabel):
            label.setBuddy(self.passphrase)

        box = QWidget()
        box.setFixedWidth(520)  # a fixed width lets the wrapped notices take their full height
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(self.folder)
        inner.addSpacing(12)
        inner.addLayout(form)
        inner.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.addWidget(self.busy)
        said = QHBoxLayout()
        said.addWidget(self.message_sign)
        said.addWidget(self.message, 1)
        inner.addLayout(said)
        inner.addWidget(self.keyring_notice)
        centre(self, box)
        self.setTabOrder(self.passphrase, self.unlock_button)
        self.passphrase.setFocus()
        # After the first paint: the first use of the Qt namespace builds all its enums, ~16 ms.
        QTimer.singleShot(SETTLE_MS, self._select_folder_text)

    def _select_folder_text(self) -> None:
        from PySide6.QtCore import Qt

        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def unlock(self) -> None:
        if self._countdown > 0 or not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._say(_("Enter your passphrase."))
            return
        self._set_busy(True)
        self._say("", error=False)
        home = self.home
        Op(self, lambda: _open_store(home, passphrase), what="unlocking").success(self._opened).failure(
            self._failed
        ).after(lambda: self._set_busy(False)).run()

    def _opened(self, store: object) -> None:
        self.passphrase.clear()
        self.unlocked.emit(store)

    def _failed(self, exc: BaseException) -> None:
        from caseworker_app.store.errors import LockedOut, WrongPassphrase

        self.passphrase.selectAll()
        if isinstance(exc, LockedOut | WrongPassphrase) and exc.retry_after > 0:
            # Refused while a wait runs, or the failure that started one: count down either way.
            self._start_countdown(math.ceil(exc.retry_after), isinstance(exc, WrongPassphrase))
        elif isinstance(exc, WrongPassphrase):
            self._say(_("Wrong passphrase. Check it (and Caps Lock) and try again."))
        else:  # a damaged profile, a missing device secret: never called a wrong passphrase
            from caseworker_app.ui.errors import show_error

            self._say(str(exc))
            show_error(self, exc, what="unlocking")

    def _start_countdown(self, seconds: int, wrong_passphrase: bool) -> None:
        self._countdown, self._wrong_passphrase = seconds, wrong_passphrase
        self.unlock_button.setEnabled(False)
        self._tick(first=True)
        self._timer.start()

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._countdown -= 1
        if self._countdown <= 0:
            self._timer.stop()
            self.unlock_button.setEnabled(True)
            self._say(_("You can try again now."), error=False)
            return
        if self._wrong_passphrase:  # whole sentences, each with its plural, never glued together
            text = ngettext("Wrong passphrase. Try again in {n} second.",
                            "Wrong passphrase. Try again in {n} seconds.", self._countdown)
        else:
            text = ngettext("Too many failed attempts. Try again in {n} second.",
                            "Too many failed attempts. Try again in {n} seconds.", self._countdown)
        self._say(text.format(n=self._countdown))

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(text_style(ERROR) if error else "")
        self.message_sign.setVisible(error and bool(text))

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy and self._countdown <= 0)
        if not busy:
            self.passphrase.setFocus()


# The store (SQLAlchemy, SQLCipher, argon2) loads on the worker thread, not before the screen shows.
def _open_store(home: Path, passphrase: str) -> object:
    from caseworker_app.services.profiles import open_profile

    return open_profile(home, passphrase)
