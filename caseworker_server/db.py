"""Engines and sessions for SQLite (embedded default) and PostgreSQL, and running migrations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from caseworker_server.config import Settings, data_dir

MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_private(database: Path) -> None:
    """The data folder 0700 and the database 0600 (SQLite gives its -wal and -shm the same mode):
    they hold case notes in plaintext and password and token hashes."""
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    if database.parent.resolve() == data_dir().resolve():
        os.chmod(database.parent, 0o700)
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        if file.exists():
            os.chmod(file, 0o600)


def make_engine(url: str, **kwargs: Any) -> Engine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            make_private(Path(database))
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        _sqlite_transactions(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_recycle", 1800)
    # No server-side prepared statements: behind PgBouncer in transaction mode (deploy/) the next
    # transaction may run on another server connection, where a statement psycopg prepared is unknown.
    if make_url(url).get_driver_name() == "psycopg":
        kwargs["connect_args"] = {"prepare_threshold": None, **kwargs.get("connect_args", {})}
    return create_engine(url, **kwargs)


def pool_options(url: str, settings: Settings) -> dict[str, Any]:
    """The connection pool a worker process keeps; a request that waits longer than
    `db_pool_wait_seconds` for a connection gets a pool timeout (answered 503, see admission)."""
    if is_sqlite(url) and make_url(url).database in (None, "", ":memory:"):
        return {}  # one shared in-memory connection: no pool to size
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_pool_overflow,
        "pool_timeout": settings.db_pool_wait_seconds,
    }


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy own BEGIN so savepoints work, and make writers BEGIN IMMEDIATE.

    A deferred writer that upgrades its lock can fail at once with "database is
    locked"; IMMEDIATE takes the write lock up front and waits its turn instead.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("caseworker_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One engine; read sessions and write sessions (writers serialize on SQLite)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sqlite = is_sqlite(url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        writer_engine = self.engine.execution_options(caseworker_write=True)
        self._writer = sessionmaker(writer_engine, expire_on_commit=False)
        snapshot_engine = (
            self.engine if self.sqlite else self.engine.execution_options(isolation_level="REPEATABLE READ")
        )
        self._snapshot = sessionmaker(snapshot_engine, expire_on_commit=False)
        # PostgreSQL: no BEGIN and no COMMIT round trips; SQLite: an ordinary (cheap, in-process) transaction.
        statements_engine = self.engine if self.sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._statements = sessionmaker(statements_engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read that sees one consistent state across its queries (pulls, reconcile)."""
        with self._snapshot() as session, session.begin():
            yield session

    @contextmanager
    def statements(self) -> Iterator[Session]:
        """Statements that each stand alone: each read sees its own moment, nothing is held together."""
        with self._statements() as session, session.begin():
            yield session

    def refresh_statistics(self) -> None:
        """ANALYZE after a bulk load (an import, demo data). Until autovacuum gets to the new rows the
        planner believes the tables nearly empty and picks nested loops that made a first sync's
        pages twice as slow (measured: 113 ms for a 5,000-record page before, 57 ms after)."""
        from caseworker_server.models import Base  # models import this module

        with self.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:  # this schema's tables only, on both databases
                conn.exec_driver_sql(f'ANALYZE "{table.name}"')
            conn.commit()

    @contextmanager
    def single_write(self) -> Iterator[Session]:
        """A write of one statement, atomic by itself: on PostgreSQL no BEGIN and COMMIT around it."""
        if self.sqlite:
            with self.write() as session:
                yield session
        else:
            with self.statements() as session:
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Create the database schema or bring it to the newest version."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
