"""The wrong-passphrase delay cannot be switched off by deleting or damaging a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.store import profile as profile_module
from caseworker_app.store.errors import LockedOut, WrongPassphrase
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.store.unlock_attempts import MAX_DELAY_SECONDS, retry_delay


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def home(tmp_path: Path) -> Path:
    LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)).close()
    return tmp_path / "p"


def use_up_free_attempts(profile: Profile) -> None:
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            profile.unlock("a wrong guess")
    with pytest.raises(LockedOut):
        profile.unlock(PASSPHRASE)


def test_deleting_the_attempts_file_does_not_reset_the_delay(home: Path) -> None:
    profile = Profile(home, clock=Clock())
    use_up_free_attempts(profile)
    (home / "unlock-attempts.json").unlink(missing_ok=True)
    # Nor does deleting every file of the folder but the key and the database.
    for path in home.iterdir():
        if path.name not in ("profile.json", "caseworker.db"):
            path.unlink()
    with pytest.raises(LockedOut, match="Too many failed unlock attempts"):
        profile.unlock(PASSPHRASE)


def test_a_damaged_attempts_file_from_an_older_version_does_not_reset_the_count(home: Path) -> None:
    clock = Clock()
    (home / "unlock-attempts.json").write_text(json.dumps({"failures": 7, "last": clock.now}))
    profile = Profile(home, clock=clock)
    with pytest.raises(LockedOut):
        profile.unlock(PASSPHRASE)  # the old file's count is honoured
    (home / "unlock-attempts.json").write_text("{garbled")
    with pytest.raises(LockedOut, match="damaged"):
        profile.unlock(PASSPHRASE)


def test_a_damaged_count_waits_the_longest_delay_then_lets_the_user_in(home: Path) -> None:
    clock = Clock()
    profile = Profile(home, clock=clock)
    with pytest.raises(WrongPassphrase):
        profile.unlock("a wrong guess")
    meta = json.loads((home / "profile.json").read_text())
    meta["unlock_attempts"] = {"failures": "none", "last": 0}
    (home / "profile.json").write_text(json.dumps(meta))
    with pytest.raises(LockedOut, match="damaged") as locked:
        profile.unlock(PASSPHRASE)
    assert locked.value.retry_after == MAX_DELAY_SECONDS
    clock.now += MAX_DELAY_SECONDS - 5
    with pytest.raises(LockedOut, match="Try again in 6 seconds"):
        profile.unlock(PASSPHRASE)
    clock.now += 6
    assert len(profile.unlock(PASSPHRASE)) == 32


def test_an_attempt_cut_short_still_counts(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = Profile(home, clock=Clock())

    def interrupted(*_args: object) -> bytes:
        raise KeyboardInterrupt  # Ctrl-C, or a process killed while the key is derived

    with monkeypatch.context() as patch:
        patch.setattr(profile_module, "derive_kek", interrupted)
        for _ in range(3):
            with pytest.raises(KeyboardInterrupt):
                profile.unlock("a guess")
    with pytest.raises(LockedOut):
        profile.unlock(PASSPHRASE)


def test_a_success_clears_the_count(home: Path) -> None:
    clock = Clock()
    profile = Profile(home, clock=clock)
    use_up_free_attempts(profile)
    clock.now += MAX_DELAY_SECONDS
    profile.unlock(PASSPHRASE)
    for _ in range(3):  # three free attempts again
        with pytest.raises(WrongPassphrase):
            profile.unlock("a wrong guess")


def test_a_normal_unlock_leaves_the_key_file_as_it_was(home: Path) -> None:
    before = (home / "profile.json").read_bytes()
    Profile(home).unlock(PASSPHRASE)
    assert (home / "profile.json").read_bytes() == before


def test_a_clock_set_back_waits_no_longer_than_the_delay(home: Path) -> None:
    clock = Clock()
    profile = Profile(home, clock=clock)
    use_up_free_attempts(profile)
    clock.now -= 86_400 * 365
    with pytest.raises(LockedOut) as locked:
        profile.unlock(PASSPHRASE)
    assert locked.value.retry_after <= retry_delay(3, 3)


def test_the_delay_grows_to_five_minutes() -> None:
    assert [retry_delay(n, 3) for n in (0, 2, 3, 4, 5)] == [0, 0, 2, 4, 8]
    assert retry_delay(40, 3) == MAX_DELAY_SECONDS


def test_the_failure_that_starts_a_wait_says_how_long_at_once(home: Path) -> None:
    profile = Profile(home, clock=Clock())
    free = profile.unlock_attempts().free_attempts
    for _ in range(free - 1):
        with pytest.raises(WrongPassphrase) as within_free:
            profile.unlock("a wrong guess")
        assert within_free.value.retry_after == 0 and "Try again in" not in str(within_free.value)
    with pytest.raises(WrongPassphrase, match="Try again in 2 seconds") as last_free:
        profile.unlock("a wrong guess")
    assert last_free.value.retry_after == retry_delay(free, free) == 2.0
