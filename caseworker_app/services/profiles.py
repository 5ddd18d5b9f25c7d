"""Profiles as use cases the window and the terminal share: create, open, demo, enroll.

The rules live here once: a demo profile (invented families, a published passphrase) never
enrolls; a profile that will hold real families is made under the IT policy's keyring rule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.settings import Settings
from caseworker_app.store import device_secret
from caseworker_app.store.errors import ProfileError
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.store.profile_label import read_label

DEMO_PASSPHRASE = "demo passphrase"
DEMO_WORKER = "liaison"
DEMO_LABEL = "demo"  # written beside the key in profile.json, so the refusal comes before any prompt
DEMO_KEY = "demo_profile"  # the store's own record that it holds the demo caseload (demo/profile.py writes it)

Progress = Callable[[float, str], None]


class DemoCannotEnroll(CaseworkerError):
    """Real families never land beside invented ones under a published passphrase."""


class PolicyRefusesProfile(ProfileError):
    """No OS keyring and IT's policy does not allow a profile protected by the passphrase alone."""


def _no_keyring_advice() -> str:
    return _(
        "This computer has no OS keyring, and your organization's policy does not allow a profile "
        "protected by a passphrase alone. Ask IT to set up the keyring (Secret Service on Linux, "
        "Credential Manager on Windows, Keychain on macOS) for your account on this laptop, then start again."
    )


@dataclass(frozen=True)
class KeyringRule:
    """What protects a new profile here, known before the person types anything."""

    keyring: bool
    passphrase_only_allowed: bool

    @property
    def may_create(self) -> bool:
        return self.keyring or self.passphrase_only_allowed

    @property
    def advice(self) -> str:
        """Plain words for the person: empty when nothing needs saying."""
        if self.keyring:
            return ""
        if self.passphrase_only_allowed:
            return _(
                "This computer has no OS keyring, so your profile will be protected by its passphrase alone. "
                "Choose a strong one and never leave the laptop unlocked."
            )
        return _no_keyring_advice()


def keyring_rule(home: Path | None = None) -> KeyringRule:
    settings = Settings(home)
    return KeyringRule(device_secret.keyring_available(), bool(settings.get("allow_passphrase_only")))


def is_demo_folder(home: Path) -> bool:
    """The demo mark beside the key (made by this version) or, for an older demo, nothing to say yet."""
    return read_label(home).demo


def is_demo(store: LocalStore) -> bool:
    return is_demo_folder(store.profile.home) or store.get_setting(DEMO_KEY) is not None


def holds_profile(home: Path) -> bool:
    """A key file or a database (even a damaged one) is here: never make a new profile on top of it."""
    return Profile(home).holds_store


def check_openable(home: Path) -> Profile:
    """A missing or damaged profile fails here, before anyone is asked for a passphrase."""
    profile = Profile(home)
    profile.metadata()
    profile.check_database()
    return profile


def open_profile(home: Path, passphrase: str) -> LocalStore:
    check_openable(home)
    return LocalStore.open(home, passphrase)


def delete_profile(home: Path) -> None:
    """`caseworker reset`: the key, the database and every unsynced change, under the creation lock."""
    from caseworker_app.store.creation import creation_lock
    from caseworker_app.store.errors import ProfileMissing

    profile = Profile(home)
    if not profile.holds_store:
        raise ProfileMissing(_("No Caseworker profile in {folder}; nothing to delete.").format(folder=home))
    with creation_lock(home):
        profile.destroy()


def create_local(
    home: Path,
    passphrase: str,
    *,
    worker: str,
    name: str = "",
    title: str = "",
    kdf: KdfParams | None = None,
) -> LocalStore:
    """A profile for real families, not yet connected to an agency: the keyring rule applies."""
    from caseworker_app.services.staff import set_worker_identity

    rule = keyring_rule(home)
    if not rule.may_create:
        raise PolicyRefusesProfile(_no_keyring_advice())

    def identity(draft: LocalStore) -> None:
        if name or title:
            set_worker_identity(draft, name, title)

    return LocalStore.create(
        home, passphrase, worker=worker, allow_passphrase_only=rule.passphrase_only_allowed, kdf=kdf, populate=identity
    )


def create_demo(
    home: Path,
    caseload: Callable[[LocalStore], object],
    passphrase: str = DEMO_PASSPHRASE,
    *,
    kdf: KdfParams | None = None,
) -> LocalStore:
    """The demo: invented families, so the keyring rule does not apply (a newcomer's machine may lack one).

    `caseload` fills it (demo.profile.load_demo; the demo package sits above services).
    """
    return LocalStore.create(
        home,
        passphrase,
        worker=DEMO_WORKER,
        allow_passphrase_only=True,
        kdf=kdf,
        populate=caseload,
        label={DEMO_LABEL: True},
    )


def check_may_enroll(store: LocalStore) -> None:
    """Refuse a demo profile, and a passphrase-only profile where the policy no longer allows one."""
    if is_demo(store):
        raise DemoCannotEnroll(
            _(
                "The demo profile in {folder} holds invented families and a published passphrase, so it can "
                "never connect to your agency. Enroll into a new, empty profile folder instead."
            ).format(folder=store.profile.home)
        )
    if not store.profile.uses_keyring and not keyring_rule(store.profile.home).passphrase_only_allowed:
        raise PolicyRefusesProfile(_no_keyring_advice())


def check_folder_may_enroll(home: Path) -> None:
    """The part of the check that needs no passphrase: an existing demo folder is refused at once."""
    if is_demo_folder(home):
        raise DemoCannotEnroll(
            _(
                "The demo profile in {folder} holds invented families and a published passphrase, so it can "
                "never connect to your agency. Enroll into a new, empty profile folder instead."
            ).format(folder=home)
        )


def enroll_existing(
    store: LocalStore, server_url: str, username: str, password: str, *, device_name: str = ""
) -> None:
    """Connect a local profile ("work offline for now") to the agency."""
    from caseworker_app.sync.enroll import enroll

    check_may_enroll(store)
    enroll(store, server_url, username, password, device_name=device_name)


def enroll_new(
    home: Path,
    *,
    server_url: str,
    username: str,
    password: str,
    passphrase: str,
    device_name: str = "",
    kdf: KdfParams | None = None,
) -> LocalStore:
    """A new profile made under the policy's rules and enrolled; if the server says no, nothing is left behind."""
    from caseworker_app.sync.enroll import enroll

    kept = _files_already_there(home)  # IT's settings.json may be waiting in the folder
    store = create_local(home, passphrase, worker=username, kdf=kdf)
    try:
        enroll(store, server_url, username, password, device_name=device_name)
    except BaseException:
        store.close()
        _discard_new_profile(home, kept)  # an empty, never-enrolled profile: the next try starts clean
        raise
    return store


def _files_already_there(home: Path) -> dict[str, bytes] | None:
    if not home.is_dir():
        return None
    return {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}


def _discard_new_profile(home: Path, kept: dict[str, bytes] | None) -> None:
    """Remove the profile just made (key, database, keyring secret) and put back what was there before."""
    import os

    from caseworker_app.store.profile import atomic_write_text

    Profile(home).destroy()
    if kept is None:
        return
    home.mkdir(mode=0o700, exist_ok=True)
    for name, data in kept.items():
        atomic_write_text(home / name, data.decode("utf-8", errors="surrogateescape"))
        os.chmod(home / name, 0o600)


def first_sync(store: LocalStore, *, progress: Progress | None = None, cancel: threading.Event | None = None) -> object:
    """The first run after enrolling: receives the caseload. Returns the run's outcome."""
    from caseworker_app.services.sync import run_once

    return run_once(store, progress=progress, cancel=cancel)


def change_passphrase(home: Path, old: str, new: str) -> None:
    """Re-wrap the key under the new passphrase (argon2 runs twice: seconds, so off any GUI thread)."""
    Profile(home).change_passphrase(old, new)
