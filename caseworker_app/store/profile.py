"""A profile folder: the wrapped database key, the encrypted database, and unlock limits.

profile.json holds nothing secret: the KDF salt and costs, the AES-GCM wrapped
database key, and whether a device secret in the OS keyring is part of the key.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from caseworker_app.domain.passwords import MIN_PASSWORD_LENGTH, password_problem
from caseworker_app.store import device_secret
from caseworker_app.store.errors import (
    KeyringRequired,
    LockedOut,
    ProfileError,
    ProfileExists,
    ProfileMissing,
    StoreCorrupt,
    WrongPassphrase,
)
from caseworker_app.store.keywrap import (
    KdfParams,
    WrappedKey,
    derive_kek,
    new_database_key,
    unwrap,
    wrap,
)

log = logging.getLogger(__name__)

PROFILE_FILE = "profile.json"
ATTEMPTS_FILE = "unlock-attempts.json"
DATABASE_FILE = "caseworker.db"
FORMAT = 1
MAX_DELAY_SECONDS = 300.0
MIN_PASSPHRASE_LENGTH = MIN_PASSWORD_LENGTH


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        # Private from the first byte: profile files hold wrapped keys and sync state.
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def check_passphrase_strength(passphrase: str) -> None:
    problem = password_problem(passphrase, what="passphrase")
    if problem:
        raise ProfileError(problem)


@dataclass
class Profile:
    """A profile folder on disk; unlocking it yields the database key."""

    home: Path
    clock: Callable[[], float] = field(default=time.time)

    @property
    def database_path(self) -> Path:
        return self.home / DATABASE_FILE

    @property
    def exists(self) -> bool:
        return (self.home / PROFILE_FILE).exists()

    def metadata(self) -> dict[str, Any]:
        path = self.home / PROFILE_FILE
        if not path.exists():
            raise ProfileMissing(f"No Caseworker profile in {self.home}. Create one with 'caseworker init'.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown format")
            KdfParams.from_json(data["kdf"])
            WrappedKey.from_json(data["wrapped_key"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreCorrupt(f"The profile file {path} is damaged and cannot be read.") from exc
        return data

    @property
    def profile_id(self) -> str:
        return str(self.metadata()["profile_id"])

    @property
    def uses_keyring(self) -> bool:
        return bool(self.metadata()["device_secret"] == "keyring")

    def create(
        self,
        passphrase: str,
        *,
        allow_passphrase_only: bool = True,
        kdf: KdfParams | None = None,
        extra: dict[str, Any] | None = None,
    ) -> bytes:
        """Make the folder's key material; returns the new database key."""
        if self.exists:
            raise ProfileExists(f"A Caseworker profile already exists in {self.home}.")
        check_passphrase_strength(passphrase)
        profile_id = str(uuid.uuid4())
        if device_secret.keyring_available():
            secret = device_secret.create_device_secret(profile_id)
            secret_source = "keyring"
        elif allow_passphrase_only:
            secret, secret_source = b"", "none"
        else:
            raise KeyringRequired(
                "This computer has no OS keyring, and IT policy does not allow a profile "
                "protected by the passphrase alone. Ask IT to enable the keyring."
            )
        kdf = kdf or KdfParams.fresh()
        database_key = new_database_key()
        wrapped = wrap(database_key, derive_kek(passphrase, secret, kdf), profile_id.encode())
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        meta = {
            "format": FORMAT,
            "profile_id": profile_id,
            "created_at": datetime.now(UTC).isoformat(),
            "device_secret": secret_source,
            "kdf": kdf.to_json(),
            "wrapped_key": wrapped.to_json(),
            **(extra or {}),
        }
        atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))
        return database_key

    def unlock(self, passphrase: str) -> bytes:
        """The database key; failed attempts beyond the free ones are delayed, growing each time."""
        meta = self.metadata()
        self._check_lockout()
        secret = b""
        if meta["device_secret"] == "keyring":
            loaded = device_secret.load_device_secret(meta["profile_id"])
            if loaded is None:
                raise ProfileError(
                    "This profile's device secret is not in the OS keyring for this user, "
                    "so it cannot be opened here. Ask IT to re-enroll this laptop."
                )
            secret = loaded
        kdf = KdfParams.from_json(meta["kdf"])
        key = unwrap(
            WrappedKey.from_json(meta["wrapped_key"]),
            derive_kek(passphrase, secret, kdf),
            str(meta["profile_id"]).encode(),
        )
        if key is None:
            self._record_failure()
            raise WrongPassphrase("Wrong passphrase. Check it and try again.")
        self._clear_failures()
        return key

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the database key under the new passphrase; the database is not re-encrypted."""
        check_passphrase_strength(new)
        key = self.unlock(old)
        meta = self.metadata()
        secret = b""
        if meta["device_secret"] == "keyring":
            secret = device_secret.load_device_secret(meta["profile_id"]) or b""
        kdf = KdfParams.fresh(time_cost=int(meta["kdf"]["time_cost"]), memory_kib=int(meta["kdf"]["memory_kib"]))
        wrapped = wrap(key, derive_kek(new, secret, kdf), str(meta["profile_id"]).encode())
        meta["kdf"] = kdf.to_json()
        meta["wrapped_key"] = wrapped.to_json()
        atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))

    def destroy(self) -> None:
        """Remove the key material and every file of the profile (a wipe)."""
        try:
            meta = self.metadata()
            if meta.get("device_secret") == "keyring":
                device_secret.delete_device_secret(str(meta["profile_id"]))
        except ProfileError:
            pass
        if self.home.exists():
            for path in sorted(self.home.rglob("*"), reverse=True):
                if path.is_dir():
                    path.rmdir()
                else:
                    _overwrite_and_unlink(path)
            self.home.rmdir()

    # -- failed unlock limit ---------------------------------------------------------------

    def _attempts(self) -> dict[str, float]:
        try:
            data = json.loads((self.home / ATTEMPTS_FILE).read_text(encoding="utf-8"))
            return {"failures": float(data["failures"]), "last": float(data["last"])}
        except (OSError, ValueError, KeyError, TypeError):
            return {"failures": 0.0, "last": 0.0}

    def free_attempts(self) -> int:
        from caseworker_app.settings import Settings

        return int(Settings(self.home).get("max_free_unlock_attempts"))

    def retry_delay(self, failures: int) -> float:
        over = failures - self.free_attempts()
        return 0.0 if over < 0 else min(MAX_DELAY_SECONDS, 2.0 ** (over + 1))

    def _check_lockout(self) -> None:
        attempts = self._attempts()
        wait = attempts["last"] + self.retry_delay(int(attempts["failures"])) - self.clock()
        if wait > 0:
            raise LockedOut(f"Too many failed unlock attempts. Try again in {int(wait) + 1} seconds.", wait)

    def _record_failure(self) -> None:
        attempts = self._attempts()
        attempts["failures"] += 1
        attempts["last"] = self.clock()
        atomic_write_text(self.home / ATTEMPTS_FILE, json.dumps(attempts))

    def _clear_failures(self) -> None:
        path = self.home / ATTEMPTS_FILE
        if path.exists():
            path.unlink()


def _overwrite_and_unlink(path: Path) -> None:
    # Best effort on SSDs, but it keeps the plain page cache of a wiped file short-lived.
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(b"\x00" * size)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink()
