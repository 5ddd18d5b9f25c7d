"""Fixtures for the server suite: every test runs against SQLite and against PostgreSQL.

PostgreSQL: one database per run (dropped at the end), one schema per test. If the
server at 127.0.0.1:5432 cannot be reached, the PostgreSQL cases skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from serverkit import World, build_world, fresh_schema
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("CASEWORKER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

_pg_reason = ""


def _pg_admin_engine() -> Any:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A uniquely named PostgreSQL database for this run, or None with the reason recorded."""
    global _pg_reason
    name = f"caseworker_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = _pg_admin_engine()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        _pg_reason = f"PostgreSQL at {PG_ADMIN_URL} is unreachable ({type(exc).__name__})"
        if os.environ.get("CASEWORKER_REQUIRE_POSTGRES"):
            pytest.fail(f"{_pg_reason}; CI requires the PostgreSQL half of the server suite")
        yield None
        return
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = request.getfixturevalue("pg_database")
    if base is None:
        pytest.skip(_pg_reason)
    with fresh_schema(base) as url:
        yield url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly whether the PostgreSQL half of the suite ran."""
    passed = [r for r in terminalreporter.stats.get("passed", []) if "[postgresql" in r.nodeid]
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "[postgresql" in str(r.nodeid)]
    if passed or skipped:
        line = f"server suite on PostgreSQL: {len(passed)} passed, {len(skipped)} skipped"
        terminalreporter.write_line(line + (f" ({_pg_reason})" if _pg_reason and skipped else ""))


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    built = build_world(database_url)
    try:
        yield built
    finally:
        built.client.close()
        built.db.dispose()


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "postgresql: the test runs against PostgreSQL")
