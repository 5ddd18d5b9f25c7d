"""The encrypted SQLite database: SQLCipher connections opened with a raw 256-bit key.

A raw key skips SQLCipher's per-connection PBKDF2, so opening a connection is
cheap; the slow derivation happens once, when the profile unlocks (argon2id).
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from caseworker_app.i18n import _
from caseworker_app.store.checkpoints import Checkpointer
from caseworker_app.store.errors import StoreClosed, StoreCorrupt, WrongPassphrase

log = logging.getLogger(__name__)

# The desktop app reads from a worker pool, syncs on its own thread and autosaves at once.
# A queue of keyed connections serves them; a thread beyond the overflow waits for one.
POOL_SIZE = 5
POOL_OVERFLOW = 10
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default


def _connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise WrongPassphrase(
            _(
                "The database could not be decrypted with this profile's key; "
                "the file may be damaged or belong to another profile."
            )
        ) from exc
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a returned commit survives a crash or power cut
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files beside the store
    return conn


def _make_private(path: Path) -> None:
    """The store file is the owner's alone (0600); SQLite gives its -wal and -shm the same mode."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            os.chmod(file, 0o600)


class KeyedConnector:
    """Opens keyed connections while it holds the key; `forget` zeroes its copy (a lock, a close).

    The engine's creator used to be a lambda over the key, so a closed store kept the key in
    memory for as long as anything referenced the engine.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key: bytearray | None = bytearray(key)

    @property
    def holds_key(self) -> bool:
        return self._key is not None

    def __call__(self) -> sqlcipher3.Connection:
        if self._key is None:
            raise StoreClosed(_("This profile is locked; unlock it to go on."))
        return _connect(self.path, bytes(self._key))

    def forget(self) -> None:
        if self._key is not None:
            self._key[:] = bytes(len(self._key))  # best effort: the copies sqlcipher made are its own
            self._key = None


def open_engine(path: Path, key: bytes) -> Engine:
    """An engine whose every connection is keyed; checks the key on the first connection."""
    _make_private(path)
    conn = _connect(path, key)  # fail early and clearly on a wrong key
    conn.close()
    connector = KeyedConnector(path, key)
    engine = create_engine(
        "sqlite://",
        creator=connector,
        # "sqlite://" would give SingletonThreadPool, which closes connections still in use once
        # more than five threads have used it ("Cannot operate on a closed database").
        poolclass=QueuePool,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=60,
        hide_parameters=True,  # SQL errors must never carry case data into logs
    )

    # pysqlite-style drivers defer BEGIN; make transactions explicit so that
    # SAVEPOINT and isolation behave (SQLAlchemy's documented recipe).
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue instead of
        # failing half-way; readers begin deferred and never block anyone.
        options = conn.get_execution_options()
        if options.get("caseworker_refetchable", False):
            conn.exec_driver_sql("PRAGMA synchronous = NORMAL")
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")  # store.checkpoints does it meanwhile
        conn.exec_driver_sql("BEGIN" if options.get("caseworker_read", False) else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _durable_again(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous = FULL")
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")

    _connectors[engine] = connector
    return engine


_connectors: weakref.WeakKeyDictionary[Engine, KeyedConnector] = weakref.WeakKeyDictionary()


def connector_of(engine: Engine) -> KeyedConnector | None:
    return _connectors.get(engine)


def check_integrity(engine: Engine) -> None:
    with engine.connect() as conn:
        result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
    if result != "ok":
        raise StoreCorrupt(_("The local store failed its integrity check ({result}).").format(result=result))


class Database:
    """Owns the engine and hands out sessions, one transaction each."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(caseworker_read=True), expire_on_commit=False)
        self._refetchable = sessionmaker(engine.execution_options(caseworker_refetchable=True), expire_on_commit=False)
        self.checkpoints = Checkpointer(engine)

    @contextmanager
    def transaction(self, *, remote: bool = False, durable: bool = True) -> Iterator[Session]:
        """A session committed on success and rolled back on any error.

        remote=True marks changes that came from the server, so they write no outbox entry.
        durable=False commits without waiting for the disk (WAL, synchronous=NORMAL): only for what
        can be fetched again, like a pulled page committed with its cursor; a power cut loses both
        together and the next sync fetches them again. The database stays consistent either way.
        """
        session = (self._sessions if durable else self._refetchable)()
        session.info["remote"] = remote
        try:
            with session.begin():
                yield session
        finally:
            session.close()
        if not durable:
            self.checkpoints.soon()  # its commit left the log as it was (see _begin)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._readers()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects keep their values

    @property
    def holds_key(self) -> bool:
        connector = connector_of(self.engine)
        return connector is not None and connector.holds_key

    def close(self) -> None:
        self.checkpoints.close()
        self.engine.dispose()
        connector = connector_of(self.engine)
        if connector is not None:
            connector.forget()
