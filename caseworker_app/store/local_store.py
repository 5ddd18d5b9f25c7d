"""Opening a profile's encrypted store: unlock the key, open SQLCipher, migrate, wire the outbox."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy.exc
import sqlcipher3
from sqlalchemy import select

from caseworker_app.i18n import _
from caseworker_app.store import commits, creation, migrate, outbox, search_index
from caseworker_app.store.database import Database, open_engine
from caseworker_app.store.errors import StoreCorrupt, WrongPassphrase
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.models import LocalSetting
from caseworker_app.store.profile import Profile
from caseworker_app.store.repository import Repository

WORKER_KEY = "worker"

_sqlcipher_quiet = False


def silence_sqlcipher() -> None:
    """SQLCipher prints its own "hmac check failed" lines to stderr; our errors say it in words instead."""
    global _sqlcipher_quiet
    if not _sqlcipher_quiet:
        conn = sqlcipher3.connect(":memory:")
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")  # process-wide in SQLCipher 4.x
        finally:
            conn.close()
        _sqlcipher_quiet = True


def damaged_store(home: Path) -> StoreCorrupt:
    """The answer when the key unlocked (so the passphrase is right) but the file does not read."""
    return StoreCorrupt(
        _(
            "Your passphrase is right (it unlocked this profile's key), but the database file "
            "{path} is damaged and cannot be read. Restore it from a backup, or delete "
            "this profile with 'caseworker reset' and enroll again (work not yet synced would be lost)."
        ).format(path=Profile(home).database_path)
    )


def is_damage(exc: BaseException) -> bool:
    """SQLite's own words for a file that does not decrypt or hangs together (not a busy or locked one)."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlcipher3.DatabaseError) or isinstance(orig, sqlcipher3.OperationalError):
        return False
    text = str(orig).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


class LocalStore:
    """One unlocked profile: its database and a repository acting as its worker."""

    def __init__(self, profile: Profile, db: Database) -> None:
        self.profile = profile
        self.db = db
        self.repo = Repository(db, actor=str(self.get_setting(WORKER_KEY, "")))

    @classmethod
    def create(
        cls,
        home: Path,
        passphrase: str,
        *,
        worker: str,
        allow_passphrase_only: bool = True,
        kdf: KdfParams | None = None,
        populate: Callable[[LocalStore], object] | None = None,
        label: dict[str, Any] | None = None,
    ) -> LocalStore:
        """A new profile in an empty folder, with `populate` (a demo caseload) run before it appears.

        It is built in a temporary folder beside `home` under an exclusive lock and renamed into
        place, so an interruption leaves nothing behind and a second run never interleaves.
        """
        with creation.creation_lock(home):
            creation.refuse_existing(home)
            staging = creation.staging_folder(home)
            try:
                profile = Profile(staging)
                # The worker's user name (never case data) is kept beside the key, so the unlock
                # screen can say whose profile it is before anything is decrypted.
                key = profile.create(
                    passphrase,
                    allow_passphrase_only=allow_passphrase_only,
                    kdf=kdf,
                    extra={"worker": worker, **(label or {})},
                )
                with cls._open_with_key(profile, key) as draft:
                    draft.set_setting(WORKER_KEY, worker)
                    draft.repo.actor = worker
                    if populate is not None:
                        populate(draft)
                creation.move_into_place(staging, home)
            except BaseException:
                creation.discard(staging)
                raise
            os.chmod(home, 0o700)
        return cls._open_with_key(Profile(home), key)

    @classmethod
    def open(cls, home: Path, passphrase: str) -> LocalStore:
        profile = Profile(home)
        profile.metadata()
        profile.check_database()  # never let SQLCipher make a new, empty file in its place
        key = profile.unlock(passphrase)
        return cls._open_with_key(profile, key)

    @classmethod
    def _open_with_key(cls, profile: Profile, key: bytes) -> LocalStore:
        silence_sqlcipher()
        damaged = damaged_store(profile.home)
        try:
            engine = open_engine(profile.database_path, key)
        except StoreCorrupt:
            raise
        except (WrongPassphrase, sqlcipher3.DatabaseError) as exc:
            # The key came out of its AES-GCM wrapping intact, so it is the right key: the file is at fault.
            raise damaged from exc
        try:
            outbox.install()
            commits.install()
            migrate.upgrade(engine)
        except (sqlcipher3.OperationalError, sqlalchemy.exc.OperationalError):
            engine.dispose()  # busy or locked is not damage
            raise
        except (sqlcipher3.DatabaseError, sqlalchemy.exc.DatabaseError) as exc:
            engine.dispose()  # a damaged page further in shows only once the migration check reads it
            raise damaged from exc
        db = Database(engine)
        search_index.settle_pending(db)  # a first sync cut short owes the search index its rows
        return cls(profile, db)

    @property
    def worker(self) -> str:
        return self.repo.actor

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.db.reading() as session:
            value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))
            return default if value is None else value

    def set_setting(self, key: str, value: Any) -> None:
        with self.db.transaction() as session:
            session.merge(LocalSetting(key=key, value=value))

    def close(self) -> None:
        """Drop every connection and forget the key: no connection can be opened after this."""
        self.db.close()

    @property
    def holds_key(self) -> bool:
        return self.db.holds_key

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
