"""A profile folder: the wrapped database key, the encrypted database, and unlock limits.

profile.json holds nothing secret: the KDF salt and costs, the AES-GCM wrapped
database key, whether a device secret in the OS keyring is part of the key, and the
count of failed unlocks (store/unlock_attempts.py).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring.errors

from caseworker_app.domain.passwords import MIN_PASSWORD_LENGTH, password_problem
from caseworker_app.i18n import _, ngettext
from caseworker_app.store import device_secret
from caseworker_app.store.errors import (
    KeyMissing,
    KeyringRequired,
    ProfileError,
    ProfileExists,
    ProfileMissing,
    StoreCorrupt,
    StoreMissing,
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
from caseworker_app.store.profile_label import DATABASE_FILE, PROFILE_FILE
from caseworker_app.store.unlock_attempts import COUNTER_KEY, KEPT_KEY, UnlockAttempts, zero_count

log = logging.getLogger(__name__)

FORMAT = 1
MIN_PASSPHRASE_LENGTH = MIN_PASSWORD_LENGTH
_PROFILE_ID = re.compile(r'"profile_id"\s*:\s*"([0-9a-fA-F-]{36})"')


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


def key_context(profile_id: str, *, kept: bool) -> bytes:
    """The wrapped key's authenticated data: the profile's id and, since 0.2, the promise that its
    failed-unlock count is always kept (removing that promise from profile.json breaks the key)."""
    return profile_id.encode() + (b"\x00unlock-attempts-kept" if kept else b"")


def check_passphrase_strength(passphrase: str, related: Sequence[str] = ()) -> None:
    """Refuse a weak passphrase; `related`: the worker's user name (the agency's name is added here)."""
    from caseworker_app.settings import Settings  # the policy and the defaults: the agency's name

    agency = str(Settings().get("agency_name"))
    problem = password_problem(passphrase, what="passphrase", related=(*related, agency))
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

    @property
    def holds_store(self) -> bool:
        """A key file or a database (even a damaged one) is here: never make a new profile on top of it."""
        return any((self.home / name).exists() for name in (PROFILE_FILE, DATABASE_FILE))

    def metadata(self) -> dict[str, Any]:
        path = self.home / PROFILE_FILE
        if not path.exists():
            if self.database_path.exists():
                raise KeyMissing(
                    _(
                        "The key file {path} is missing, so the encrypted database beside it cannot be opened. "
                        "Restore {file} into {folder} from your backup (the database is useless "
                        "without it), or ask IT to re-enroll this laptop. Do not run 'caseworker init' here."
                    ).format(path=path, file=PROFILE_FILE, folder=self.home)
                )
            raise ProfileMissing(
                _("No Caseworker profile in {folder}. Create one with 'caseworker init'.").format(folder=self.home)
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown format")
            KdfParams.from_json(data["kdf"])
            WrappedKey.from_json(data["wrapped_key"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreCorrupt(_("The profile file {path} is damaged and cannot be read.").format(path=path)) from exc
        return data

    def check_database(self) -> None:
        """Refuse to open a profile whose database is gone or empty: opening would make a new, empty one."""
        path = self.database_path
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problem = _("The database file {path} is missing, though this profile's key is still here.")
        else:
            if size > 0:
                return
            problem = _("The database file {path} is empty (0 bytes), though this profile's key is still here.")
        advice = _(
            "Nothing was changed. Restore {file} from a backup into {folder}, or delete this profile with "
            "'caseworker reset' and start again (work not yet synced would be lost)."
        )
        raise StoreMissing(f"{problem.format(path=path)} {advice.format(file=DATABASE_FILE, folder=self.home)}")

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
            raise ProfileExists(_("A Caseworker profile already exists in {folder}.").format(folder=self.home))
        check_passphrase_strength(passphrase, related=[str((extra or {}).get("worker") or "")])
        profile_id = str(uuid.uuid4())
        if device_secret.keyring_available():
            secret = device_secret.create_device_secret(profile_id)
            secret_source = "keyring"
        elif allow_passphrase_only:
            secret, secret_source = b"", "none"
        else:
            raise KeyringRequired(
                _(
                    "This computer has no OS keyring, and IT policy does not allow a profile "
                    "protected by the passphrase alone. Ask IT to enable the keyring."
                )
            )
        kdf = kdf or KdfParams.fresh()
        database_key = new_database_key()
        wrapped = wrap(database_key, derive_kek(passphrase, secret, kdf), key_context(profile_id, kept=True))
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        meta = {
            "format": FORMAT,
            "profile_id": profile_id,
            "created_at": datetime.now(UTC).isoformat(),
            "device_secret": secret_source,
            "kdf": kdf.to_json(),
            "wrapped_key": wrapped.to_json(),
            KEPT_KEY: True,
            COUNTER_KEY: zero_count(),
            **(extra or {}),
        }
        atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))
        return database_key

    def unlock(self, passphrase: str) -> bytes:
        """The database key; failed attempts beyond the free ones are delayed, growing each time."""
        meta = self.metadata()
        attempts = self.unlock_attempts()
        attempts.check()
        secret = b""
        if meta["device_secret"] == "keyring":
            loaded = device_secret.load_device_secret(meta["profile_id"])
            if loaded is None:
                raise ProfileError(
                    _(
                        "This profile's device secret is not in the OS keyring for this user, "
                        "so it cannot be opened here. Ask IT to re-enroll this laptop."
                    )
                )
            secret = loaded
        kdf = KdfParams.from_json(meta["kdf"])
        attempts.begin()
        kek = derive_kek(passphrase, secret, kdf)
        kept = meta.get(KEPT_KEY) is True
        key = unwrap(WrappedKey.from_json(meta["wrapped_key"]), kek, key_context(str(meta["profile_id"]), kept=kept))
        if key is None:
            wait = max(0.0, attempts.remaining())
            if wait > 0:  # say so now, not only when the next attempt is refused
                seconds = math.ceil(wait)
                raise WrongPassphrase(
                    ngettext(
                        "Wrong passphrase. Try again in {n} second.",
                        "Wrong passphrase. Try again in {n} seconds.",
                        seconds,
                    ).format(n=seconds),
                    wait,
                )
            raise WrongPassphrase(_("Wrong passphrase. Check it and try again."))
        attempts.succeeded()
        if not kept:
            self._keep_unlock_count(key, kek)
        return key

    def _keep_unlock_count(self, key: bytes, kek: bytes) -> None:
        """A profile from before 0.2: from now on its count is always kept, and deleting it is the worst case."""
        try:
            meta = self.metadata()
            meta[KEPT_KEY] = True
            meta.setdefault(COUNTER_KEY, zero_count())
            meta["wrapped_key"] = wrap(key, kek, key_context(str(meta["profile_id"]), kept=True)).to_json()
            atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))
        except (OSError, ProfileError):
            log.warning("could not move the failed-unlock count beside the key; the profile stays as it was")

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the database key under the new passphrase; the database is not re-encrypted."""
        check_passphrase_strength(new, related=[str(self.metadata().get("worker") or "")])
        key = self.unlock(old)
        meta = self.metadata()
        secret = b""
        if meta["device_secret"] == "keyring":
            secret = device_secret.load_device_secret(meta["profile_id"]) or b""
        kdf = KdfParams.fresh(time_cost=int(meta["kdf"]["time_cost"]), memory_kib=int(meta["kdf"]["memory_kib"]))
        kept = meta.get(KEPT_KEY) is True  # unlock() has just made it so, unless the folder is read-only
        wrapped = wrap(key, derive_kek(new, secret, kdf), key_context(str(meta["profile_id"]), kept=kept))
        meta["kdf"] = kdf.to_json()
        meta["wrapped_key"] = wrapped.to_json()
        atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))

    def destroy(self) -> None:
        """Remove the key material and every file of the profile (a wipe).

        The keyring secret goes even when the profile file is damaged or a file
        cannot be removed; if the keyring refuses, the files still go and the
        error says what is left.
        """
        profile_id, in_keyring = self._wipe_target()
        refused = self._delete_secret(profile_id) if in_keyring else None
        try:
            if self.home.exists():
                for path in sorted(self.home.rglob("*"), reverse=True):
                    if path.is_dir():
                        path.rmdir()
                    else:
                        _overwrite_and_unlink(path)
                self.home.rmdir()
        finally:
            if refused is not None:
                refused = self._delete_secret(profile_id)  # a keyring locked for a moment may answer now
        if refused is not None:
            raise ProfileError(
                _(
                    "The profile's files were removed, but the OS keyring refused to remove its device secret "
                    "(Caseworker, device-secret/{profile_id}). Ask IT to remove it."
                ).format(profile_id=profile_id)
            ) from refused

    def _wipe_target(self) -> tuple[str | None, bool]:
        """The profile id and whether a keyring secret may exist, read leniently from a damaged file."""
        try:
            meta = self.metadata()
            return str(meta["profile_id"]), meta.get("device_secret") == "keyring"
        except ProfileMissing:
            return None, False
        except ProfileError:
            pass
        try:
            text = (self.home / PROFILE_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None, False
        found = _PROFILE_ID.search(text)
        # Damaged: the secret may be there, so try whenever a real keyring is present.
        return (found.group(1), device_secret.keyring_available()) if found else (None, False)

    @staticmethod
    def _delete_secret(profile_id: str | None) -> Exception | None:
        if profile_id is None:
            return None
        try:
            device_secret.delete_device_secret(profile_id)
        except keyring.errors.KeyringError as exc:
            log.warning("wipe: the OS keyring refused to remove a device secret")
            return exc
        return None

    # -- failed unlock limit ---------------------------------------------------------------

    def unlock_attempts(self) -> UnlockAttempts:
        from caseworker_app.settings import Settings  # the policy, never the user's settings.json

        free = int(Settings().get("max_free_unlock_attempts"))
        return UnlockAttempts(self.home, free, self.clock)


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
