"""Deleting the failed-unlock count from profile.json does not reset the delay (issue 20, item 14).

Deleting it counts as the worst case, like a count that cannot be read; removing the flag
that says the count is kept as well breaks the wrapped key, so no passphrase opens the
profile that way. Profiles made before this change still open, and are moved over at
their first unlock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.domain import Case
from caseworker_app.store import device_secret
from caseworker_app.store.errors import LockedOut, WrongPassphrase
from caseworker_app.store.keywrap import KdfParams, derive_kek, wrap
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.store.unlock_attempts import MAX_DELAY_SECONDS

COUNT = "unlock_attempts"
KEPT = "unlock_attempts_kept"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def home(tmp_path: Path) -> Path:
    with LocalStore.create(tmp_path / "p", PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)) as store:
        store.repo.save(Case(reference="CW-2026-00007", family_name="Abernathy"))
    return tmp_path / "p"


def read_meta(home: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "profile.json").read_text(encoding="utf-8"))
    return data


def write_meta(home: Path, meta: dict[str, Any]) -> None:
    (home / "profile.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def use_up_free_attempts(profile: Profile) -> None:
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            profile.unlock("a wrong guess")
    with pytest.raises(LockedOut):
        profile.unlock(PASSPHRASE)


def test_deleting_the_count_from_profile_json_is_the_worst_case(home: Path) -> None:
    clock = Clock()
    profile = Profile(home, clock=clock)
    use_up_free_attempts(profile)
    meta = read_meta(home)
    del meta[COUNT]
    write_meta(home, meta)
    with pytest.raises(LockedOut) as locked:
        profile.unlock(PASSPHRASE)
    assert locked.value.retry_after == MAX_DELAY_SECONDS  # the longest wait, not three free guesses
    clock.now += MAX_DELAY_SECONDS
    assert len(profile.unlock(PASSPHRASE)) == 32  # then the right passphrase opens it


def test_deleting_the_count_and_its_flag_leaves_no_passphrase_that_opens(home: Path) -> None:
    profile = Profile(home, clock=Clock())
    use_up_free_attempts(profile)
    meta = read_meta(home)
    del meta[COUNT]
    del meta[KEPT]
    write_meta(home, meta)
    with pytest.raises(WrongPassphrase):
        profile.unlock(PASSPHRASE)  # the guesses a reset would buy cannot succeed


def test_a_normal_unlock_keeps_the_count_at_zero_without_writing(home: Path) -> None:
    assert read_meta(home)[COUNT] == {"failures": 0, "last": 0.0}
    before = (home / "profile.json").read_bytes()
    Profile(home).unlock(PASSPHRASE)
    assert (home / "profile.json").read_bytes() == before


def make_old_style(home: Path) -> None:
    """Rewrite profile.json as versions before this change wrote it: no count, the key bound to the id alone."""
    key = Profile(home).unlock(PASSPHRASE)
    meta = read_meta(home)
    secret = b""
    if meta["device_secret"] == "keyring":
        secret = device_secret.load_device_secret(meta["profile_id"]) or b""
    kek = derive_kek(PASSPHRASE, secret, KdfParams.from_json(meta["kdf"]))
    meta["wrapped_key"] = wrap(key, kek, str(meta["profile_id"]).encode()).to_json()
    del meta[COUNT]
    del meta[KEPT]
    write_meta(home, meta)


def test_a_profile_from_an_older_version_opens_and_then_keeps_its_count(home: Path) -> None:
    make_old_style(home)
    with LocalStore.open(home, PASSPHRASE) as store:  # opens as before, data and all
        assert [c.family_name for c in store.repo.all(Case)] == ["Abernathy"]
    meta = read_meta(home)
    assert meta[KEPT] is True and meta[COUNT] == {"failures": 0, "last": 0.0}
    # From now on deleting the count is the worst case for this profile too.
    clock = Clock()
    profile = Profile(home, clock=clock)
    use_up_free_attempts(profile)
    meta = read_meta(home)
    del meta[COUNT]
    write_meta(home, meta)
    with pytest.raises(LockedOut):
        profile.unlock(PASSPHRASE)
    clock.now += MAX_DELAY_SECONDS
    with LocalStore.open(home, PASSPHRASE) as store:
        assert [c.family_name for c in store.repo.all(Case)] == ["Abernathy"]


def test_an_older_profile_with_failures_counted_keeps_them(home: Path) -> None:
    make_old_style(home)
    clock = Clock()
    meta = read_meta(home)
    meta[COUNT] = {"failures": 5, "last": clock.now}
    write_meta(home, meta)
    with pytest.raises(LockedOut):
        Profile(home, clock=clock).unlock(PASSPHRASE)


def test_changing_the_passphrase_keeps_the_count_kept(home: Path) -> None:
    Profile(home).change_passphrase(PASSPHRASE, "oboe lantern quartz")
    assert read_meta(home)[KEPT] is True
    with LocalStore.open(home, "oboe lantern quartz") as store:
        assert [c.family_name for c in store.repo.all(Case)] == ["Abernathy"]
