"""Desktop sync tests: the real central server on loopback (tests/sync/live_server.py), laptops enrolled
in it, and the window opened on one of them."""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD
from pytestqt.qtbot import QtBot
from ui_kit import unlock, wait_idle

from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow
from caseworker_server import admin
from caseworker_server.importer import import_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))
LiveServer: Any = importlib.import_module("live_server").LiveServer


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Agency:
    server: Any
    case_id: str
    caregiver_id: str

    def admin(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self.server.db.write() as session:
            return fn(session, *args)


@dataclass
class Laptop:
    home: Path
    store: LocalStore

    def sync(self) -> SyncReport:
        engine = SyncEngine(self.store, Transport(SyncState.load(self.store).server_url, backoff=0.01))
        try:
            return engine.run()
        finally:
            engine.transport.close()

    @property
    def device_id(self) -> str:
        return SyncState.load(self.store).device_id


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[Agency]:
    server = LiveServer(f"sqlite:///{tmp_path / 'server.db'}")
    case_id, child_id, caregiver_id = new_id(), new_id(), new_id()
    with server.db.write() as session:
        for username, role, supervisor in (("supervisor", "supervisor", None), ("liaison", "liaison", "supervisor"),
                                           ("liaison2", "liaison", "supervisor")):
            admin.add_user(session, username, role, SERVER_PASSWORD, supervisor=supervisor,
                           display_name=username.title())
        import_cases(session, {
            "schools": [{"id": new_id(), "name": "Riverbend Elementary", "district": "Riverbend"}],
            "cases": [{
                "id": case_id, "reference": "CW-2026-00042", "family_name": "Brown", "stage": "ongoing",
                "case_type": "protective", "placement": "in_home", "risk_level": "moderate",
                "opened_on": "2026-01-05", "assigned_to": "liaison",
                "members": [
                    {"id": child_id, "role": "child", "first_name": "Ava", "last_name": "Brown", "grade": "3",
                     "student_id": "S-100"},
                    {"id": caregiver_id, "role": "caregiver", "first_name": "Dana", "last_name": "Brown",
                     "relationship": "mother"},
                ],
            }],
        })
    server.start()
    try:
        yield Agency(server, case_id, caregiver_id)
    finally:
        server.stop()
        server.db.dispose()


@pytest.fixture
def laptop(agency: Agency, tmp_path: Path) -> Iterator[Callable[..., Laptop]]:
    """laptop(name, username): a profile enrolled with the agency, its first sync done."""
    made: list[Laptop] = []

    def make(name: str, username: str = "liaison") -> Laptop:
        home = tmp_path / name
        store = LocalStore.create(home, PASSPHRASE, worker=username, kdf=KdfParams.fresh(**FAST_KDF))
        enroll(store, agency.server.url, username, SERVER_PASSWORD)
        device = Laptop(home, store)
        device.sync()
        made.append(device)
        return device

    yield make
    for device in made:
        device.store.close()  # closing twice is harmless; the window may have closed it


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[Laptop], MainWindow]]:
    """open_window(laptop): its store closed here, the app started on its folder and unlocked."""
    apps: list[Desktop] = []

    def start(device: Laptop) -> MainWindow:
        device.store.close()
        make_app()
        app = Desktop(device.home)
        app.start()
        apps.append(app)
        window = unlock(qtbot, app)
        device.store = window.store
        return window

    yield start
    wait_idle(qtbot)
    for app in apps:
        window = app.main_window
        if isinstance(window, MainWindow):
            window.close()
            qtbot.waitUntil(lambda w=window: w.store_closed, timeout=30000)
    wait_idle(qtbot)
