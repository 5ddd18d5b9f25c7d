"""The deploy/ recipe works as shipped: laptops sync over TLS through HAProxy to two nodes that share
PostgreSQL through PgBouncer in transaction mode, and sign-in limits see the laptop's own address."""

from __future__ import annotations

import os
import ssl
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest
from fleetkit import make_laptop, seed_agency, throwaway_database
from sqlalchemy import select

from benchmarks.load.fleet import fleet, missing_tools
from caseworker_app.domain import Task
from caseworker_server.models import LoginThrottle


@pytest.fixture
def tools() -> None:
    missing = missing_tools()
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install haproxy pgbouncer)"
        if os.environ.get("CASEWORKER_REQUIRE_FLEET"):
            pytest.fail(f"{reason}; CASEWORKER_REQUIRE_FLEET is set")
        pytest.skip(reason)


def test_laptops_sync_through_haproxy_two_nodes_and_pgbouncer(tools: None, tmp_path: Path) -> None:
    with throwaway_database() as database, fleet(database, folder=tmp_path) as running:
        agency = seed_agency(database)
        ca = str(running.ca_file)
        field = make_laptop(tmp_path, "field", "liaison", running.url, ca)
        office = make_laptop(tmp_path, "office", "supervisor", running.url, ca)

        # Enough rounds that the same statements run many times on each node: a statement prepared on
        # one PostgreSQL connection and used after PgBouncer handed the node another would fail here.
        titles = []
        for n in range(12):
            titles.append(f"Call the school counselor {n}")
            field.store.repo.save(Task(case_id=agency.case_id, title=titles[-1], due_on=date(2026, 12, 1)))
            assert field.sync().pushed == 1
            office.sync()
        held = sorted(t.title for t in office.store.repo.all(Task))
        assert held == sorted(titles)

        # A node that stops is taken out by the health checks; laptops keep syncing through the other.
        running.nodes[0].stop()
        for n in range(4):
            field.store.repo.save(Task(case_id=agency.case_id, title=f"One node left {n}", due_on=date(2026, 12, 2)))
            assert field.sync().pushed == 1
        office.sync()
        assert len(office.store.repo.all(Task)) == len(titles) + 4

        # X-Forwarded-For reaches the nodes: a failed sign-in is counted against the laptop's address
        # (127.0.0.2 here), not against HAProxy's.
        transport = httpx.HTTPTransport(local_address="127.0.0.2", verify=ssl.create_default_context(cafile=ca))
        with httpx.Client(transport=transport, base_url=running.url) as client:
            refused = client.post(
                "/v1/auth/token",
                json={
                    "username": "liaison",
                    "password": "wrong password",
                    "device_id": str(uuid.uuid4()),
                    "device_name": "x",
                },
                headers={"X-Caseworker-Protocol": "1"},
            )
        assert refused.status_code == 401
        addresses = agency.admin(lambda s: set(s.scalars(select(LoginThrottle.address))))
        assert "127.0.0.2" in addresses

        for laptop in (field, office):
            laptop.store.close()
