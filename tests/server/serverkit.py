"""Helpers for the server suite: a small agency world, signed-in devices, mutation builders."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text

from caseworker_server import admin
from caseworker_server.app import create_app
from caseworker_server.config import Settings
from caseworker_server.db import Database
from caseworker_server.importer import import_cases

with warnings.catch_warnings():  # starlette suggests httpx2 for its test client; httpx is what we ship
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse 1"
PROTOCOL = {"X-Caseworker-Protocol": "1"}


def new_id() -> str:
    return str(uuid.uuid4())


def new_row(entity: str, case_id: str, row_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """A mutation creating a row: every field with base null."""
    return {
        "mutation_id": new_id(),
        "entity": entity,
        "row_id": row_id or new_id(),
        "case_id": case_id,
        "base_version": 0,
        "changes": {k: {"base": None, "new": v} for k, v in fields.items()},
    }


def edit(
    entity: str, row_id: str, case_id: str, base_version: int, resolves: str | None = None, **fields: tuple[Any, Any]
) -> dict[str, Any]:
    """A mutation changing fields: name=(base, new)."""
    return {
        "mutation_id": new_id(),
        "entity": entity,
        "row_id": row_id,
        "case_id": case_id,
        "base_version": base_version,
        "changes": {k: {"base": b, "new": n} for k, (b, n) in fields.items()},
        "resolves_conflict": resolves,
    }


@dataclass
class Device:
    """A signed-in client: a device id and its tokens."""

    client: TestClient
    username: str
    device_id: str
    tokens: dict[str, Any]
    cursor: int = 0
    held: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {**PROTOCOL, "Authorization": f"Bearer {self.tokens['access_token']}"}

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.client.post("/v1/sync/push", json={"mutations": list(mutations)}, headers=self.headers)
        assert response.status_code == 200, response.text
        return list(response.json()["results"])

    def pull_raw(self, cursor: int | None = None, limit: int | None = None) -> Any:
        params: dict[str, int] = {"cursor": self.cursor if cursor is None else cursor}
        if limit is not None:
            params["limit"] = limit
        return self.client.get("/v1/sync/pull", params=params, headers=self.headers)

    def sync(self, limit: int | None = None) -> dict[str, Any]:
        """Pull every page, apply it to `held`, and return what arrived."""
        arrived: dict[str, Any] = {"changes": [], "grants": [], "revocations": []}
        while True:
            response = self.pull_raw(limit=limit)
            assert response.status_code == 200, response.text
            page = response.json()
            for grant in page["grants"]:
                arrived["grants"].append(grant["case_id"])
                for change in grant["records"]:
                    self.held[(change["entity"], change["row_id"])] = change
            for change in page["changes"]:
                arrived["changes"].append(change)
                self.held[(change["entity"], change["row_id"])] = change
            for case_id in page["revocations"]:
                arrived["revocations"].append(case_id)
                for key in [k for k, v in self.held.items() if v["case_id"] == case_id]:
                    del self.held[key]
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return arrived

    def case_ids(self) -> set[str]:
        return {v["case_id"] for v in self.held.values() if v["case_id"]}

    def row(self, entity: str, row_id: str) -> dict[str, Any]:
        return dict(self.held[(entity, row_id)]["fields"])


@dataclass
class World:
    """A server with a small agency: a team (supervisor, liaison, liaison2), an outsider, an admin.

    Cases: `own` (liaison's), `team` (liaison2's, same supervisor), `foreign` (other's, no team).
    Each case has one child member; `child` maps case name to the child's id.
    """

    url: str
    app: Any
    client: TestClient
    db: Database
    cases: dict[str, str]
    child: dict[str, str]
    school_id: str

    def login(self, username: str, device_id: str | None = None) -> Device:
        device_id = device_id or new_id()
        response = self.client.post(
            "/v1/auth/token",
            json={"username": username, "password": PASSWORD, "device_id": device_id, "device_name": "laptop"},
            headers=PROTOCOL,
        )
        assert response.status_code == 200, response.text
        return Device(self.client, username, device_id, response.json())


USERS = (
    ("admin", "admin", None),
    ("supervisor", "supervisor", None),
    ("liaison", "liaison", "supervisor"),
    ("liaison2", "liaison", "supervisor"),
    ("other", "liaison", None),
)
HOLDERS = {"own": "liaison", "team": "liaison2", "foreign": "other"}


def build_world(url: str, settings: Settings | None = None) -> World:
    app = create_app(url, settings=settings, run_migrations=True)
    db: Database = app.state.db
    school_id = new_id()
    cases = {name: new_id() for name in HOLDERS}
    child = {name: new_id() for name in HOLDERS}
    with db.write() as session:
        for username, role, supervisor in USERS:
            admin.add_user(session, username, role, PASSWORD, supervisor=supervisor, display_name=username.title())
        import_cases(
            session,
            {
                "schools": [{"id": school_id, "name": "Riverbend Elementary", "district": "Riverbend"}],
                "cases": [
                    {
                        "id": cases[name],
                        "reference": f"C-{n}",
                        "family_name": f"Family {n}",
                        "stage": "ongoing",
                        "opened_on": "2026-01-05",
                        "school_id": school_id,
                        "assigned_to": holder,
                        "members": [
                            {
                                "id": child[name],
                                "role": "child",
                                "first_name": f"Kid{n}",
                                "last_name": "X",
                                "date_of_birth": "2016-03-01",
                                "school_id": school_id,
                                "grade": "4",
                            }
                        ],
                    }
                    for n, (name, holder) in enumerate(HOLDERS.items(), 1)
                ],
            },
        )
    return World(url, app, TestClient(app), db, cases, child, school_id)


@contextmanager
def fresh_schema(base: str) -> Iterator[str]:
    """A URL of the PostgreSQL database `base` pointing at a new, empty schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@contextmanager
def serve_process(database_url: str, *args: str, env: dict[str, str] | None = None,
                  start_timeout: float = 90) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real `caseworker-server serve` process on a free loopback port over `database_url`: its
    base URL and the process, once /v1/health answers; stopped (and killed if it must be) after."""
    import httpx
    from helpers import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "caseworker_server.cli", "--database-url", database_url, "serve",
         "--port", str(port), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
