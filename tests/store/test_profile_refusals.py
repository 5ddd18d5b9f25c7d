"""A profile is never silently recreated, mislabelled or left half-made (issue 11, section 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FAST_KDF, PASSPHRASE

from caseworker_app.domain.entities import Case
from caseworker_app.store import creation
from caseworker_app.store.errors import (
    KeyMissing,
    ProfileBusy,
    ProfileExists,
    StoreCorrupt,
    StoreMissing,
    WrongPassphrase,
)
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore


def _make(home: Path) -> None:
    with LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)) as store:
        store.repo.save(Case(family_name="Okafor", reference="CW-2026-00001"))


def _drop_database(home: Path) -> None:
    for name in ("caseworker.db", "caseworker.db-wal", "caseworker.db-shm"):
        (home / name).unlink(missing_ok=True)


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_a_missing_or_empty_database_beside_its_key_is_refused_not_recreated(tmp_path: Path, state: str) -> None:
    home = tmp_path / "profile"
    _make(home)
    _drop_database(home)
    if state == "empty":
        (home / "caseworker.db").write_bytes(b"")
    with pytest.raises(StoreMissing) as refused:
        LocalStore.open(home, PASSPHRASE)
    message = str(refused.value)
    assert str(home / "caseworker.db") in message and "caseworker reset" in message and "backup" in message
    # Nothing was made in its place: the folder is exactly as the fault left it.
    if state == "missing":
        assert not (home / "caseworker.db").exists()
    else:
        assert (home / "caseworker.db").stat().st_size == 0


def test_a_damaged_database_is_not_called_a_wrong_passphrase(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    _make(home)
    db = home / "caseworker.db"
    data = bytearray(db.read_bytes())
    data[0:4096] = b"\x00" * 4096
    db.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt) as damaged:
        LocalStore.open(home, PASSPHRASE)
    assert "passphrase is right" in str(damaged.value) and "damaged" in str(damaged.value)
    with pytest.raises(WrongPassphrase):
        LocalStore.open(home, "not the passphrase at all")


def test_a_truncated_database_is_reported_as_damaged(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    _make(home)
    db = home / "caseworker.db"
    db.write_bytes(db.read_bytes()[:5000])  # one page and a bit
    with pytest.raises(StoreCorrupt, match="damaged"):
        LocalStore.open(home, PASSPHRASE)


def test_a_missing_key_file_says_so_and_no_new_key_is_written_beside_the_database(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    _make(home)
    before = (home / "caseworker.db").read_bytes()
    (home / "profile.json").unlink()
    with pytest.raises(KeyMissing) as missing:
        LocalStore.open(home, PASSPHRASE)
    assert "key file" in str(missing.value) and "Restore profile.json" in str(missing.value)
    assert "caseworker init'." not in str(missing.value)
    with pytest.raises(ProfileExists, match="holds a Caseworker database"):
        LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    assert not (home / "profile.json").exists()
    assert (home / "caseworker.db").read_bytes() == before


def test_creation_holds_an_exclusive_lock_on_the_folder(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    with creation.creation_lock(home), pytest.raises(ProfileBusy, match="being created"):
        LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF))
    assert not home.exists()
    _make(home)  # once the other run is done, the folder can be used
    with LocalStore.open(home, PASSPHRASE) as store:
        assert len(store.repo.all(Case)) == 1


def test_a_creation_that_fails_half_way_leaves_nothing(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "profile"

    def interrupted(store: LocalStore) -> None:
        store.repo.save(Case(family_name="Okafor", reference="CW-2026-00001"))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        LocalStore.create(
            home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF), populate=interrupted
        )
    assert not home.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []
    assert memory_keyring.secrets == {}  # the half-made profile's device secret went too


def test_a_new_profile_keeps_the_settings_it_found_in_its_folder(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    home.mkdir()
    (home / "settings.json").write_text(json.dumps({"agency_name": "Riverbend County"}))
    _make(home)
    assert json.loads((home / "settings.json").read_text())["agency_name"] == "Riverbend County"
    with LocalStore.open(home, PASSPHRASE) as store:
        assert store.worker == "liaison"
