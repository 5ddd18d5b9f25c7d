import shutil
from pathlib import Path

import keyring
import pytest
from helpers import FAST_KDF, PASSPHRASE, MemoryKeyring
from keyring.backends.fail import Keyring as FailKeyring

from caseworker_app.store.errors import (
    KeyringRequired,
    LockedOut,
    ProfileError,
    StoreCorrupt,
    WrongPassphrase,
)
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile


def make(home: Path, **kw) -> None:  # type: ignore[no-untyped-def]
    LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF), **kw).close()


def test_unlock_with_the_right_passphrase_and_refuse_a_wrong_one(tmp_path: Path) -> None:
    make(tmp_path / "p")
    LocalStore.open(tmp_path / "p", PASSPHRASE).close()
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        LocalStore.open(tmp_path / "p", "not the passphrase")


def test_the_device_secret_lives_in_the_keyring_and_is_needed(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    make(tmp_path / "p")
    assert Profile(tmp_path / "p").uses_keyring
    assert len(memory_keyring.secrets) == 1
    memory_keyring.secrets.clear()  # a copied profile folder on another account
    with pytest.raises(ProfileError, match="not in the OS keyring"):
        LocalStore.open(tmp_path / "p", PASSPHRASE)


def test_profile_file_holds_no_key_material_in_clear(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    make(tmp_path / "p")
    text = (tmp_path / "p" / "profile.json").read_text()
    assert PASSPHRASE not in text
    (secret,) = memory_keyring.secrets.values()
    assert secret not in text


def test_without_a_keyring_the_passphrase_alone_protects_the_key(tmp_path: Path) -> None:
    keyring.set_keyring(FailKeyring())
    make(tmp_path / "p")
    assert not Profile(tmp_path / "p").uses_keyring
    LocalStore.open(tmp_path / "p", PASSPHRASE).close()


def test_it_policy_can_forbid_the_passphrase_only_fallback(tmp_path: Path) -> None:
    keyring.set_keyring(FailKeyring())
    with pytest.raises(KeyringRequired, match="IT policy"):
        make(tmp_path / "p", allow_passphrase_only=False)
    assert not (tmp_path / "p" / "profile.json").exists()


def test_a_plaintext_keyring_is_never_used(tmp_path: Path) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    make(tmp_path / "p")
    assert not Profile(tmp_path / "p").uses_keyring


def test_failed_unlocks_are_delayed_more_each_time(tmp_path: Path) -> None:
    make(tmp_path / "p")
    now = [1000.0]
    profile = Profile(tmp_path / "p", clock=lambda: now[0])
    for _ in range(3):  # the free attempts
        with pytest.raises(WrongPassphrase):
            profile.unlock("wrong guess 1")
    with pytest.raises(LockedOut, match="Try again in") as locked:
        profile.unlock(PASSPHRASE)  # even the right one waits
    first_wait = locked.value.retry_after
    now[0] += first_wait + 0.1
    with pytest.raises(WrongPassphrase):
        profile.unlock("wrong guess 2")
    with pytest.raises(LockedOut) as locked:
        profile.unlock(PASSPHRASE)
    assert locked.value.retry_after > first_wait
    now[0] += locked.value.retry_after + 0.1
    assert len(profile.unlock(PASSPHRASE)) == 32
    profile.unlock(PASSPHRASE)  # a success clears the count


def test_changing_the_passphrase_rewraps_the_key_and_keeps_the_data(tmp_path: Path) -> None:
    from caseworker_app.domain import Case

    home = tmp_path / "p"
    store = LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    store.repo.save(Case(reference="CW-7", family_name="Nguyễn"))
    store.close()
    db_before = (home / "caseworker.db").read_bytes()
    Profile(home).change_passphrase(PASSPHRASE, "a brand new passphrase")
    assert (home / "caseworker.db").read_bytes() == db_before  # no re-encryption
    with pytest.raises(WrongPassphrase):
        LocalStore.open(home, PASSPHRASE)
    with LocalStore.open(home, "a brand new passphrase") as reopened:
        assert reopened.repo.all(Case)[0].family_name == "Nguyễn"


def test_short_passphrases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="at least 12"):
        LocalStore.create(tmp_path / "p", "short", worker="x")


def test_a_damaged_profile_file_says_so(tmp_path: Path) -> None:
    make(tmp_path / "p")
    (tmp_path / "p" / "profile.json").write_text("{not json")
    with pytest.raises(StoreCorrupt, match="damaged"):
        LocalStore.open(tmp_path / "p", PASSPHRASE)


def test_a_database_from_another_profile_does_not_open(tmp_path: Path) -> None:
    make(tmp_path / "a")
    make(tmp_path / "b")
    shutil.copy(tmp_path / "b" / "caseworker.db", tmp_path / "a" / "caseworker.db")
    with pytest.raises(ProfileError):
        LocalStore.open(tmp_path / "a", PASSPHRASE)


def test_destroy_removes_files_and_the_keyring_secret(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    make(tmp_path / "p")
    Profile(tmp_path / "p").destroy()
    assert not (tmp_path / "p").exists()
    assert memory_keyring.secrets == {}
