"""The first-run wizard as a plain state machine: its steps, its rules, its checks. No Qt here.

The window's pages (ui/first_run.py) only show it, so every rule is tested without a display,
as Electrum tests its setup wizard. Three ways in: the demo, an agency account, or a local
profile that connects later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.domain.passwords import password_problem
from caseworker_app.i18n import _
from caseworker_app.services import profiles
from caseworker_app.settings import Settings
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore

Progress = Callable[[float, str], None]
APP_NAME = "Caseworker"


class Choice(Enum):
    DEMO = "demo"
    AGENCY = "agency"
    OFFLINE = "offline"


class Step(Enum):
    CHOOSE = "choose"
    ACCOUNT = "account"  # agency: server, user name, password, device name
    IDENTITY = "identity"  # offline: user name, full name, job title
    PASSPHRASE = "passphrase"
    WORKING = "working"  # creating the profile (and the first sync)
    DONE = "done"


ROUTES: dict[Choice, tuple[Step, ...]] = {
    Choice.DEMO: (Step.CHOOSE, Step.WORKING, Step.DONE),
    Choice.AGENCY: (Step.CHOOSE, Step.ACCOUNT, Step.PASSPHRASE, Step.WORKING, Step.DONE),
    Choice.OFFLINE: (Step.CHOOSE, Step.IDENTITY, Step.PASSPHRASE, Step.WORKING, Step.DONE),
}


class StepIncomplete(CaseworkerError):
    """What is missing or wrong on the current step; `field` names the input to put the cursor in."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Strength:
    """What the strength meter shows: 0 (guessed at once) to 4, and advice in words."""

    score: int
    verdict: str
    advice: str
    acceptable: bool


def passphrase_strength(passphrase: str, related: list[str]) -> Strength:
    if not passphrase:
        return Strength(0, "", _("Choose a few unrelated words; the longer, the better."), False)
    from zxcvbn import zxcvbn  # its word lists load on first use, not at start

    result = zxcvbn(passphrase[:100], user_inputs=[r for r in related if r])
    score = int(result["score"])
    feedback = result["feedback"]
    problem = password_problem(passphrase, what="passphrase", related=related)
    verdicts = (_("Very weak"), _("Weak"), _("Fair"), _("Strong"), _("Very strong"))
    parts = [str(feedback.get("warning") or "")] + [str(s) for s in feedback.get("suggestions") or []]
    advice = " ".join(p for p in parts if p)
    if problem:
        advice = f"{problem} {advice}".strip()
        score = min(score, 1)
    return Strength(score, verdicts[score], advice, problem is None)


@dataclass
class FirstRun:
    """One person's way through the wizard. Fields hold what they typed; `step` is where they are."""

    home: Path
    rule: profiles.KeyringRule
    configured_server: str = ""
    server_fixed: bool = False
    agency_name: str = ""
    choice: Choice | None = None
    step: Step = Step.CHOOSE
    server_url: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    device_name: str = ""
    full_name: str = ""
    job_title: str = ""
    passphrase: str = field(default="", repr=False)
    confirm: str = field(default="", repr=False)
    sync_problem: str = ""  # set when enrolled but the first sync did not finish
    demo_caseload: Callable[[LocalStore], object] | None = None  # demo.profile.load_demo, from the front end
    # Where "Try the demo" puts the demo: beside the real profile folder where there is a separate
    # one, so the folder that will hold real families never ends up holding a demo that cannot enroll.
    demo_home: Path | None = None

    @classmethod
    def for_folder(
        cls,
        home: Path,
        demo_caseload: Callable[[LocalStore], object] | None = None,
        demo_home: Path | None = None,
    ) -> FirstRun:
        """The rules in force here: the keyring, the policy's server, read before anything is typed."""
        from caseworker_app.sync.enroll import default_device_name

        settings = Settings(home)
        server = str(settings.get("server_url"))
        return cls(
            home,
            profiles.keyring_rule(home),
            configured_server=server,
            server_fixed=settings.fixed_by_policy("server_url"),
            agency_name=str(settings.get("agency_name")),
            server_url=server,
            device_name=default_device_name(),
            demo_caseload=demo_caseload,
            demo_home=demo_home,
        )

    # -- what each choice may do --------------------------------------------------------------

    def available(self, choice: Choice) -> bool:
        """The demo wherever it ships; a profile for real families only where the keyring rule allows one."""
        if choice is Choice.DEMO:
            return self.demo_caseload is not None
        return self.rule.may_create

    @property
    def blocked_notice(self) -> str:
        """Said on the first page, before anything is typed, when real profiles cannot be made here."""
        return "" if self.rule.may_create else self.rule.advice

    @property
    def keyring_notice(self) -> str:
        return self.rule.advice

    # -- moving through the steps -------------------------------------------------------------

    def route(self) -> tuple[Step, ...]:
        return ROUTES[self.choice] if self.choice is not None else (Step.CHOOSE,)

    def choose(self, choice: Choice) -> Step:
        if not self.available(choice):
            raise StepIncomplete(self.rule.advice, "choice")
        self.choice = choice
        self.step = self.route()[1]
        return self.step

    def next(self) -> Step:
        """Check the current step and move on; raises StepIncomplete with what to fix."""
        if self.step is Step.CHOOSE:
            if self.choice is None:
                raise StepIncomplete(_("Choose how to start."), "choice")
            return self.choose(self.choice)
        self.check(self.step)
        route = self.route()
        self.step = route[min(route.index(self.step) + 1, len(route) - 1)]
        return self.step

    def back(self) -> Step:
        if self.step in (Step.WORKING, Step.DONE):
            return self.step  # nothing to go back to once the profile is being made
        route = self.route()
        self.step = route[max(route.index(self.step) - 1, 0)]
        if self.step is Step.CHOOSE:
            self.choice = None
        return self.step

    def finished(self) -> None:
        self.step = Step.DONE
        self.password = self.passphrase = self.confirm = ""  # held no longer than needed

    def failed(self) -> None:
        """The profile could not be made (a wrong password, no network): back to the step to fix."""
        back_to = {Choice.AGENCY: Step.ACCOUNT, Choice.OFFLINE: Step.PASSPHRASE}
        self.step = back_to.get(self.choice, Step.CHOOSE) if self.choice is not None else Step.CHOOSE
        if self.step is Step.CHOOSE:
            self.choice = None

    # -- the checks ---------------------------------------------------------------------------

    def check(self, step: Step) -> None:
        if step is Step.ACCOUNT:
            self._check_account()
        elif step is Step.IDENTITY:
            if not self.username.strip():
                raise StepIncomplete(_("Enter your user name (the one IT gave you)."), "username")
        elif step is Step.PASSPHRASE:
            problem = password_problem(self.passphrase, what="passphrase", related=self.related_words())
            if problem:
                raise StepIncomplete(problem, "passphrase")
            if self.confirm != self.passphrase:
                raise StepIncomplete(_("The two passphrases differ; type the same one twice."), "confirm")

    def _check_account(self) -> None:
        from caseworker_app.sync.transport import check_server_url

        if self.server_fixed:
            self.server_url = self.configured_server  # IT's server, whatever the field held
        url = self.server_url.strip()
        if not url:
            raise StepIncomplete(_("Enter your agency's server address (IT gives it to you)."), "server")
        try:
            check_server_url(url)
        except CaseworkerError as exc:
            raise StepIncomplete(str(exc), "server") from None
        self.server_url = url
        if not self.username.strip():
            raise StepIncomplete(_("Enter your user name."), "username")
        if not self.password:
            raise StepIncomplete(_("Enter your password for the agency's server."), "password")
        if not self.device_name.strip():
            raise StepIncomplete(_("Give this laptop a name IT will recognise."), "device")

    def related_words(self) -> list[str]:
        """What a guesser would try first: the person's names, the agency's, the app's."""
        return [w for w in (self.username, self.full_name, self.agency_name, APP_NAME) if w]

    def strength(self) -> Strength:
        return passphrase_strength(self.passphrase, self.related_words())

    # -- doing it (on a worker thread: it derives a key and may sync for minutes) ----------------

    def begin(self) -> None:
        """The person pressed the last Next: checks everything once more and moves to WORKING."""
        if self.choice is None:
            raise StepIncomplete(_("Choose how to start."), "choice")
        for step in self.route():
            if step in (Step.ACCOUNT, Step.IDENTITY, Step.PASSPHRASE):
                self.check(step)
        self.step = Step.WORKING

    def run(
        self,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        kdf: KdfParams | None = None,
    ) -> LocalStore:
        """Make the profile the person chose; for an agency, enroll and receive the caseload.

        A cancelled or failed first sync keeps the enrolled profile (`sync_problem` says why):
        the caseload arrives with the next sync. A refused sign-in leaves no profile behind.
        """
        say = progress or (lambda _f, _m: None)
        if self.choice is Choice.DEMO:
            assert self.demo_caseload is not None  # available() refused the choice otherwise
            target = self.demo_home or self.home
            if profiles.is_demo_folder(target):  # tried before: the same demo again
                say(0.1, _("Opening the demo profile…"))
                return profiles.open_profile(target, profiles.DEMO_PASSPHRASE)
            say(0.1, _("Creating the demo profile with a sample caseload…"))
            return profiles.create_demo(target, self.demo_caseload, kdf=kdf)
        self.check(Step.PASSPHRASE)
        if self.choice is Choice.OFFLINE:
            self.check(Step.IDENTITY)
            say(0.1, _("Creating your encrypted profile…"))
            return profiles.create_local(
                self.home,
                self.passphrase,
                worker=self.username.strip(),
                name=self.full_name,
                title=self.job_title,
                kdf=kdf,
            )
        self.check(Step.ACCOUNT)
        say(0.05, _("Signing in to {server}…").format(server=self.server_url))
        store = profiles.enroll_new(
            self.home,
            server_url=self.server_url,
            username=self.username.strip(),
            password=self.password,
            passphrase=self.passphrase,
            device_name=self.device_name,
            kdf=kdf,
        )
        try:
            profiles.first_sync(store, progress=progress, cancel=cancel)
        except CaseworkerError as exc:
            # Enrolled, but the caseload did not all arrive (cancelled, the network dropped): the
            # profile is kept, the window says so, and the next sync brings the rest.
            self.sync_problem = str(exc) or _("The first sync was cancelled.")
        return store


def is_first_run(home: Path) -> bool:
    """No profile here at all (a key file or a database means there is one, even a damaged one)."""
    from caseworker_app.store.profile import Profile

    return not Profile(home).holds_store
