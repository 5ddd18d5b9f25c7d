"""Opening a profile's encrypted store: unlock the key, open SQLCipher, migrate, wire the outbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseworker_app.store import migrate, outbox
from caseworker_app.store.database import Database, open_engine
from caseworker_app.store.errors import StoreCorrupt
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.models import LocalSetting
from caseworker_app.store.profile import Profile
from caseworker_app.store.repository import Repository

WORKER_KEY = "worker"


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
    ) -> LocalStore:
        profile = Profile(home)
        key = profile.create(passphrase, allow_passphrase_only=allow_passphrase_only, kdf=kdf)
        store = cls._open_with_key(profile, key)
        store.set_setting(WORKER_KEY, worker)
        store.repo.actor = worker
        return store

    @classmethod
    def open(cls, home: Path, passphrase: str) -> LocalStore:
        profile = Profile(home)
        key = profile.unlock(passphrase)
        return cls._open_with_key(profile, key)

    @classmethod
    def _open_with_key(cls, profile: Profile, key: bytes) -> LocalStore:
        try:
            engine = open_engine(profile.database_path, key)
        except StoreCorrupt:
            raise
        except Exception as exc:  # sqlcipher raises bare DatabaseError for damaged files
            raise StoreCorrupt(
                f"The local store in {profile.home} cannot be opened: {type(exc).__name__}."
            ) from exc
        outbox.install()
        migrate.upgrade(engine)
        return cls(profile, Database(engine))

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
        """Drop every connection; the key goes with the engine."""
        self.db.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
