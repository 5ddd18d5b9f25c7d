"""A real sync server on loopback with a small agency, for tests outside tests/sync (first run, enroll)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import SERVER_PASSWORD

sys.path.insert(0, str(Path(__file__).resolve().parent / "sync"))
from live_server import LiveServer

from caseworker_server import admin
from caseworker_server.importer import import_cases

FAMILY_NAME = "Nguyễn"


def _case(case_id: str, child_id: str) -> dict[str, Any]:
    return {
        "id": case_id,
        "reference": "CW-2026-00042",
        "family_name": FAMILY_NAME,
        "stage": "ongoing",
        "case_type": "protective",
        "placement": "in_home",
        "risk_level": "moderate",
        "opened_on": "2026-01-05",
        "assigned_to": "liaison",
        "members": [
            {"id": child_id, "role": "child", "first_name": "Linh", "last_name": FAMILY_NAME, "grade": "3"},
        ],
    }


@contextmanager
def agency_server(folder: Path) -> Iterator[LiveServer]:
    """A started server with a supervisor and a liaison (password SERVER_PASSWORD) and one case."""
    server = LiveServer(f"sqlite:///{folder / 'server.db'}")
    with server.db.write() as session:
        admin.add_user(session, "supervisor", "supervisor", SERVER_PASSWORD, display_name="Sam Supervisor")
        admin.add_user(
            session, "liaison", "liaison", SERVER_PASSWORD, supervisor="supervisor", display_name="Jordan Rivera"
        )
        import_cases(
            session,
            {
                "schools": [{"id": str(uuid.uuid4()), "name": "Riverbend Elementary", "district": "Riverbend"}],
                "cases": [_case(str(uuid.uuid4()), str(uuid.uuid4()))],
            },
        )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.db.dispose()


def devices_of(server: LiveServer, username: str) -> list[str]:
    """The device ids the server has registered for one user."""
    from sqlalchemy import text

    with server.db.write() as session:
        rows = session.execute(
            text("SELECT d.device_uid FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username = :u"),
            {"u": username},
        ).all()
    return [str(r[0]) for r in rows]
