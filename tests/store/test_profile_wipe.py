"""A wipe leaves no key material behind when a step fails; a damaged unlock count never resets it."""

from __future__ import annotations

import json
from pathlib import Path

import keyring.errors
import pytest
from helpers import FAST_KDF, PASSPHRASE, MemoryKeyring

from caseworker_app.store.errors import LockedOut, ProfileError, WrongPassphrase
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.profile import Profile
from caseworker_app.store.profile_label import PROFILE_FILE
from caseworker_app.store.unlock_attempts import LEGACY_FILE as ATTEMPTS_FILE


def make(home: Path) -> None:
    LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)).close()


@pytest.mark.parametrize("damage", ["wrong_format", "truncated"])
def test_destroy_removes_the_keyring_secret_of_a_damaged_profile(
    tmp_path: Path, memory_keyring: MemoryKeyring, damage: str
) -> None:
    make(tmp_path / "p")
    path = tmp_path / "p" / PROFILE_FILE
    text = path.read_text(encoding="utf-8")
    if damage == "wrong_format":
        meta = json.loads(text)
        del meta["wrapped_key"]
        path.write_text(json.dumps(meta), encoding="utf-8")
    else:
        path.write_text(text[: len(text) // 2], encoding="utf-8")  # a crash, a bad disk sector
    assert memory_keyring.secrets

    Profile(tmp_path / "p").destroy()
    assert not (tmp_path / "p").exists()
    assert memory_keyring.secrets == {}


class StubbornKeyring(MemoryKeyring):
    """A keyring that refuses to delete the first `refusals` times (locked, busy)."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals

    def delete_password(self, service: str, username: str) -> None:
        if self.refusals > 0:
            self.refusals -= 1
            raise keyring.errors.KeyringError("locked")
        super().delete_password(service, username)


@pytest.mark.parametrize("refusals", [1, 5])
def test_a_keyring_refusing_at_first_still_loses_the_files_and_then_the_secret(
    tmp_path: Path, refusals: int
) -> None:
    backend = StubbornKeyring(refusals)
    keyring.set_keyring(backend)  # the autouse fixture restores the previous one
    make(tmp_path / "p")
    if refusals == 1:
        Profile(tmp_path / "p").destroy()
        assert backend.secrets == {}
    else:
        with pytest.raises(ProfileError, match="Ask IT to remove it"):
            Profile(tmp_path / "p").destroy()
        assert len(backend.secrets) == 1  # named in the error, not silently left
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("content", [b"{not json", b'{"failures": -50, "last": 0}', b"\xff\xfe"])
def test_an_unreadable_unlock_count_counts_as_locked_not_reset(tmp_path: Path, content: bytes) -> None:
    make(tmp_path / "p")
    now = [1000.0]
    profile = Profile(tmp_path / "p", clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            profile.unlock("wrong guess 1")
    (tmp_path / "p" / ATTEMPTS_FILE).write_bytes(content)  # someone wipes the count for more guesses
    now[0] += 3600
    with pytest.raises(LockedOut):
        profile.unlock("wrong guess 2")
    with pytest.raises(LockedOut):  # and it stays counted, not read afresh as zero
        profile.unlock(PASSPHRASE)
