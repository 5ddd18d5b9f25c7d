"""The first-run wizard's pages: they show services.first_run.FirstRun and hand it what is typed."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import _
from caseworker_app.services.first_run import Choice, FirstRun, Step, StepIncomplete, Strength
from caseworker_app.ui.background import Op
from caseworker_app.ui.marks import ERROR, WARNING_SIGN, text_style
from caseworker_app.ui.widgets.centred import centre

STRENGTH_DELAY_MS = 150  # the meter follows typing without scoring every keystroke


class ProgressRelay(QObject):
    """Carries a job's progress(fraction, message) from the worker thread to the GUI thread."""

    moved = Signal(float, str)

    def report(self, fraction: float, message: str) -> None:
        self.moved.emit(fraction, message)


def line_edit(name: str, *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(320)
    return edit


def notice(text: str = "", *, warning: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setVisible(bool(text))
    if warning:  # the error's own colour and sign, never the link colour of a hint
        label.setStyleSheet(text_style(ERROR))
        if text and not text.startswith(WARNING_SIGN):
            label.setText(f"{WARNING_SIGN} {text}")
    return label


class StrengthMeter(QWidget):
    """A bar from very weak to very strong, the verdict, and zxcvbn's advice in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(_("Passphrase strength"))
        self.verdict = QLabel("")
        self.verdict.setAccessibleName(_("Passphrase strength verdict"))
        self.advice = QLabel("")
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName(_("Passphrase advice"))
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.verdict)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.advice)
        self.bar.setVisible(False)  # until there is something to score

    def show_strength(self, strength: Strength) -> None:
        self.bar.setVisible(bool(strength.verdict))
        self.bar.setValue(strength.score)
        self.verdict.setText(strength.verdict)
        self.advice.setText(strength.advice)


class FirstRunWizard(QWidget):
    """The pages of the wizard in one stack; emits the opened store when the profile is made."""

    finished = Signal(object)  # LocalStore

    def __init__(self, wizard: FirstRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wizard = wizard
        self.setObjectName("first-run")
        self._cancel = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.moved.connect(self._progress)
        self._strength_timer = QTimer(self)
        self._strength_timer.setSingleShot(True)
        self._strength_timer.setInterval(STRENGTH_DELAY_MS)
        self._strength_timer.timeout.connect(self._score_passphrase)

        self.stack = QStackedWidget()
        self.pages: dict[Step, QWidget] = {}
        self._build_choose()
        self._build_account()
        self._build_identity()
        self._build_passphrase()
        self._build_working()
        for edit in (self.server, self.username, self.password, self.device, self.offline_username,
                     self.full_name, self.job_title, self.passphrase, self.confirm):
            edit.returnPressed.connect(self.next)  # Enter in any field is Next, as in a dialog

        self.message = notice(warning=True)
        self.message.setObjectName("message")
        self.message.setAccessibleName(_("What to fix"))
        self.back_button = QPushButton(_("&Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(_("&Next"))
        self.next_button.setAccessibleName(_("Next"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)

        box = QWidget()
        box.setFixedWidth(560)
        inner = QVBoxLayout(box)
        title = QLabel(_("Welcome to Caseworker"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        inner.addWidget(title)
        inner.addWidget(self.stack)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        centre(self, box)
        self.show_step()

    # -- pages -----------------------------------------------------------------------------------

    def _page(self, step: Step, heading: str) -> QVBoxLayout:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(heading)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.pages[step] = page
        self.stack.addWidget(page)
        return layout

    def _build_choose(self) -> None:
        layout = self._page(Step.CHOOSE, _("No profile is set up on this computer yet. How would you like to start?"))
        self.blocked = notice(self.wizard.blocked_notice, warning=True)
        self.blocked.setObjectName("blocked")
        self.blocked.setAccessibleName(_("Why a profile cannot be made here"))
        layout.addWidget(self.blocked)
        self.choice_buttons: dict[Choice, QPushButton] = {}
        for choice, text, explain in (
            (Choice.AGENCY, _("&Connect to my agency"),
             _("Sign in with the account IT gave you; your caseload arrives on this laptop.")),
            (Choice.OFFLINE, _("&Work offline for now"),
             _("A profile on this laptop only; connect it to your agency later from the File menu.")),
            (Choice.DEMO, _("&Try the demo"),
             _("Invented families to look around with. The demo can never connect to an agency.")),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", ""))
            button.setEnabled(self.wizard.available(choice))
            button.clicked.connect(lambda _c=False, ch=choice: self.choose(ch))
            layout.addWidget(button)
            hint = QLabel(explain)
            hint.setWordWrap(True)
            layout.addWidget(hint)
            self.choice_buttons[choice] = button

    def _build_account(self) -> None:
        layout = self._page(Step.ACCOUNT, _("Sign in to your agency's server with the account IT gave you."))
        self.server = line_edit(_("Server address"))
        self.server.setText(self.wizard.server_url)
        self.server.setPlaceholderText("https://sync.agency.org")
        self.server.setReadOnly(self.wizard.server_fixed)
        self.username = line_edit(_("User name"))
        self.password = line_edit(_("Password"), secret=True)
        self.device = line_edit(_("Device name"))
        self.device.setText(self.wizard.device_name)
        form = QFormLayout()
        form.addRow(_("&Server:"), self.server)
        if self.wizard.server_fixed:
            fixed = QLabel(_("Set by your organization"))
            fixed.setAccessibleName(_("Server set by your organization"))
            form.addRow("", fixed)
        form.addRow(_("&User name:"), self.username)
        form.addRow(_("&Password:"), self.password)
        form.addRow(_("&Device name:"), self.device)
        _buddies(form)
        layout.addLayout(form)

    def _build_identity(self) -> None:
        layout = self._page(
            Step.IDENTITY, _("Your name and title go on the visit summaries you hand over; the user name is IT's.")
        )
        self.offline_username = line_edit(_("User name"))
        self.full_name = line_edit(_("Full name"))
        self.job_title = line_edit(_("Job title"))
        self.job_title.setPlaceholderText(_("for example Family liaison"))
        form = QFormLayout()
        form.addRow(_("&User name:"), self.offline_username)
        form.addRow(_("&Full name:"), self.full_name)
        form.addRow(_("Job &title:"), self.job_title)
        _buddies(form)
        layout.addLayout(form)

    def _build_passphrase(self) -> None:
        layout = self._page(
            Step.PASSPHRASE,
            _("Choose a passphrase for this laptop's encrypted profile. You type it each time you unlock; "
              "a few unrelated words are strong and easy to remember."),
        )
        self.passphrase = line_edit(_("Passphrase"), secret=True)
        self.confirm = line_edit(_("Confirm passphrase"), secret=True)
        self.passphrase.textChanged.connect(lambda _t: self._strength_timer.start())
        self.meter = StrengthMeter()
        form = QFormLayout()
        form.addRow(_("&Passphrase:"), self.passphrase)
        form.addRow(_("&Again:"), self.confirm)
        _buddies(form)
        layout.addLayout(form)
        layout.addWidget(self.meter)
        self.keyring_notice = notice(self.wizard.keyring_notice)
        layout.addWidget(self.keyring_notice)

    def _build_working(self) -> None:
        layout = self._page(Step.WORKING, "")
        self.progress_text = QLabel(_("Getting ready…"))
        self.progress_text.setWordWrap(True)
        self.progress_text.setAccessibleName(_("Progress"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setAccessibleName(_("Progress"))
        self.cancel_button = QPushButton(_("&Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the first sync"))
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress_bar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

    # -- moving --------------------------------------------------------------------------------

    def show_step(self) -> None:
        step = self.wizard.step
        self.stack.setCurrentWidget(self.pages.get(step, self.pages[Step.WORKING]))
        working = step in (Step.WORKING, Step.DONE)
        self.back_button.setVisible(step is not Step.CHOOSE and not working)
        self.next_button.setVisible(step is not Step.CHOOSE and not working)
        route = self.wizard.route()
        last = route.index(step) + 1 < len(route) and route[route.index(step) + 1] is Step.WORKING
        self.next_button.setText(_("&Create profile") if last else _("&Next"))
        self.cancel_button.setVisible(self.wizard.choice is Choice.AGENCY)
        first = {
            Step.ACCOUNT: self.username if self.wizard.server_fixed or self.server.text() else self.server,
            Step.IDENTITY: self.offline_username,
            Step.PASSPHRASE: self.passphrase,
        }.get(step)
        if first is not None:
            first.setFocus()
        elif step is Step.CHOOSE:
            enabled = [b for b in self.choice_buttons.values() if b.isEnabled()]
            if enabled:
                enabled[0].setFocus()

    def _collect(self) -> None:
        w = self.wizard
        w.server_url, w.username, w.password = self.server.text(), self.username.text(), self.password.text()
        w.device_name = self.device.text()
        if w.choice is Choice.OFFLINE:
            w.username = self.offline_username.text()
        w.full_name, w.job_title = self.full_name.text(), self.job_title.text()
        w.passphrase, w.confirm = self.passphrase.text(), self.confirm.text()

    def choose(self, choice: Choice) -> None:
        try:
            self.wizard.choose(choice)
        except StepIncomplete as exc:
            self._say(str(exc))
            return
        self._say("")
        if self.wizard.step is Step.WORKING:
            self._begin()
        else:
            self.show_step()

    def next(self) -> None:
        self._collect()
        try:
            step = self.wizard.next()
        except StepIncomplete as exc:
            self._say(str(exc))
            field = {"server": self.server, "username": self.username if self.wizard.step is Step.ACCOUNT
                     else self.offline_username, "password": self.password, "device": self.device,
                     "passphrase": self.passphrase, "confirm": self.confirm}.get(exc.field)
            if field is not None:
                field.setFocus()
                field.selectAll()
            return
        self._say("")
        if step is Step.WORKING:
            self._begin()
        else:
            self.show_step()

    def back(self) -> None:
        self.wizard.back()
        self._say("")
        self.show_step()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- the strength meter (zxcvbn loads its word lists from disk: never on the GUI thread) --------

    def _score_passphrase(self) -> None:
        self._collect()
        wizard = self.wizard
        Op(self, wizard.strength, what="scoring the passphrase").success(self.meter.show_strength).failure(
            lambda _e: None
        ).run()

    # -- making the profile ---------------------------------------------------------------------

    def _begin(self) -> None:
        self._cancel.clear()
        self.progress_bar.setValue(0)
        self.progress_text.setText(_("Getting ready…"))
        self.show_step()
        self.cancel_button.setEnabled(True)
        wizard, cancel, relay = self.wizard, self._cancel, self._relay
        Op(self, lambda: wizard.run(progress=relay.report, cancel=cancel), what="creating the profile").success(
            self._made
        ).failure(self._failed).run()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(max(0.0, min(fraction, 1.0)) * 100))
        if message:
            self.progress_text.setText(message)

    def cancel(self) -> None:
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(_("Cancelling… your profile is kept; the rest arrives with the next sync."))

    def _made(self, store: object) -> None:
        self.wizard.finished()
        self.passphrase.clear()
        self.confirm.clear()
        self.password.clear()
        self.finished.emit(store)

    def _failed(self, exc: BaseException) -> None:
        from caseworker_app.domain.errors import CaseworkerError

        self.wizard.failed()
        self.show_step()
        if isinstance(exc, CaseworkerError):
            self._say(str(exc))
        else:
            from caseworker_app.ui.errors import show_error

            show_error(self, exc, what="creating the profile")


def _buddies(form: QFormLayout) -> None:
    """Alt+letter on each label moves to its field."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is not None and field is not None:
            widget, target = label.widget(), field.widget()
            if isinstance(widget, QLabel) and target is not None:
                widget.setBuddy(target)
                widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
