"""Sync fixtures: the real server on loopback, seeded with a small agency, and laptops enrolled in it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD
from live_server import LiveServer

from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.transport import Transport
from caseworker_server import admin
from caseworker_server.importer import import_cases

PASSWORD = SERVER_PASSWORD
USERS = (
    ("supervisor", "supervisor", None),
    ("liaison", "liaison", "supervisor"),
    ("liaison2", "liaison", "supervisor"),
)


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Agency:
    server: LiveServer
    case_id: str
    child_id: str
    caregiver_id: str
    proxy: FaultProxy | None = None
    password: str = PASSWORD  # every user's; tests use this rather than import conftest by name

    def admin(self, fn: Any, *args: Any) -> Any:
        with self.server.db.write() as session:
            return fn(session, *args)

    def through_proxy(self) -> FaultProxy:
        if self.proxy is None:
            self.proxy = FaultProxy(self.server.port)
        return self.proxy


@dataclass
class Laptop:
    """One device: its own encrypted profile, enrolled as one user."""

    name: str
    home: Path
    store: LocalStore
    url: str
    reports: list[SyncReport] = field(default_factory=list)

    def engine(self, **transport: Any) -> SyncEngine:
        return SyncEngine(self.store, Transport(self.url, backoff=0.01, **transport))

    def sync(self, **transport: Any) -> SyncReport:
        engine = self.engine(**transport)
        try:
            report = engine.run()
        finally:
            engine.transport.close()
        self.reports.append(report)
        return report


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[Agency]:
    server = LiveServer(f"sqlite:///{tmp_path / 'server.db'}")
    case_id, child_id, caregiver_id = new_id(), new_id(), new_id()
    with server.db.write() as session:
        for username, role, supervisor in USERS:
            admin.add_user(session, username, role, PASSWORD, supervisor=supervisor, display_name=username.title())
        import_cases(
            session,
            {
                "schools": [{"id": new_id(), "name": "Riverbend Elementary", "district": "Riverbend"}],
                "cases": [
                    {
                        "id": case_id,
                        "reference": "CW-2026-00042",
                        "family_name": "Nguyễn",
                        "stage": "ongoing",
                        "case_type": "protective",
                        "placement": "in_home",
                        "risk_level": "moderate",
                        "opened_on": "2026-01-05",
                        "assigned_to": "liaison",
                        "members": [
                            {
                                "id": child_id,
                                "role": "child",
                                "first_name": "Linh",
                                "last_name": "Nguyễn",
                                "grade": "3",
                                "student_id": "S-100",
                            },
                            {
                                "id": caregiver_id,
                                "role": "caregiver",
                                "first_name": "Mai",
                                "last_name": "Nguyễn",
                                "relationship": "mother",
                            },
                        ],
                    }
                ],
            },
        )
    server.start()
    agency = Agency(server, case_id, child_id, caregiver_id)
    try:
        yield agency
    finally:
        if agency.proxy is not None:
            agency.proxy.close()
        server.stop()
        server.db.dispose()


@pytest.fixture
def laptop(agency: Agency, tmp_path: Path) -> Iterator[Any]:
    """laptop(name, username, via_proxy=False): a new enrolled device with its first sync done."""
    made: list[Laptop] = []

    def make(name: str, username: str = "liaison", via_proxy: bool = False, first_sync: bool = True) -> Laptop:
        home = tmp_path / name
        store = LocalStore.create(home, PASSPHRASE, worker=username, kdf=KdfParams.fresh(**FAST_KDF))
        url = agency.through_proxy().url if via_proxy else agency.server.url
        enroll(store, url, username, PASSWORD)
        device = Laptop(name, home, store, url)
        made.append(device)
        if first_sync:
            device.sync()
        return device

    yield make
    for device in made:
        device.store.close()
