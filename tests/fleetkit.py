"""Helpers for the several-node tests: a throw-away PostgreSQL database seeded with a small agency,
and laptops (real encrypted profiles) that sync with whichever node or proxy they are pointed at."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD
from sqlalchemy import create_engine, text

from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.transport import Transport
from caseworker_server import admin
from caseworker_server.bootstrap import init_database
from caseworker_server.db import Database
from caseworker_server.importer import import_cases

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/load/fleet.py starts the deploy/ recipe for tests and benchmark alike
    sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("CASEWORKER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
USERS = (
    ("supervisor", "supervisor", None),
    ("liaison", "liaison", "supervisor"),
    ("liaison2", "liaison", "supervisor"),
)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new PostgreSQL database, migrated, dropped afterwards; skips (or fails under
    CASEWORKER_REQUIRE_POSTGRES) when PostgreSQL does not answer."""
    name = f"caseworker_fleet_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        reason = f"PostgreSQL at {PG_ADMIN_URL} is unreachable ({type(exc).__name__})"
        if os.environ.get("CASEWORKER_REQUIRE_POSTGRES"):
            pytest.fail(f"{reason}; CI requires the PostgreSQL tests")
        pytest.skip(reason)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        init_database(url)
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@dataclass
class Agency:
    """What the storm helpers need to know of the seeded agency."""

    url: str
    case_id: str
    child_id: str
    password: str = SERVER_PASSWORD

    def admin(self, fn: Any, *args: Any) -> Any:
        db = Database(self.url)
        try:
            with db.write() as session:
                return fn(session, *args)
        finally:
            db.dispose()


def seed_agency(url: str) -> Agency:
    case_id, child_id = str(uuid.uuid4()), str(uuid.uuid4())
    agency = Agency(url, case_id, child_id)

    def seed(session: Any) -> None:
        for username, role, supervisor in USERS:
            admin.add_user(session, username, role, SERVER_PASSWORD, supervisor=supervisor, display_name=username)
        import_cases(
            session,
            {
                "cases": [
                    {
                        "id": case_id,
                        "reference": "CW-2026-00042",
                        "family_name": "Nguyễn",
                        "stage": "ongoing",
                        "risk_level": "moderate",
                        "opened_on": "2026-01-05",
                        "assigned_to": "liaison",
                        "members": [
                            {"id": child_id, "role": "child", "first_name": "Linh", "last_name": "Nguyễn", "grade": "3"}
                        ],
                    }
                ]
            },
        )

    agency.admin(seed)
    return agency


@dataclass
class Laptop:
    """One enrolled device; `url` is where it syncs now (a node, or HAProxy) and may change."""

    name: str
    store: LocalStore
    url: str
    ca_file: str | None = None

    def transport(self) -> Transport:
        return Transport(self.url, ca_bundle=self.ca_file, backoff=0.01)

    def sync(self) -> SyncReport:
        engine = SyncEngine(self.store, self.transport())
        try:
            return engine.run()
        finally:
            engine.transport.close()


def make_laptop(home: Path, name: str, username: str, url: str, ca_file: str | None = None) -> Laptop:
    store = LocalStore.create(home / name, PASSPHRASE, worker=username, kdf=KdfParams.fresh(**FAST_KDF))
    laptop = Laptop(name, store, url, ca_file)
    transport = laptop.transport()
    try:
        enroll(store, url, username, SERVER_PASSWORD, transport=transport)
    finally:
        transport.close()
    laptop.sync()
    return laptop
