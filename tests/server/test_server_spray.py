"""Issue 20, items 6 and 16: a password spray from an office address slows the sprayed names, never a
colleague's correct password, and is counted exactly across workers; the docs only by the flag."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from serverkit import PASSWORD, PROTOCOL, World, build_world, serve_process

from caseworker_server.config import DOCS_ENV, Settings

CAP = 5


def _login(world: World, username: str, password: str) -> Any:
    body = {"username": username, "password": password, "device_id": str(uuid.uuid4()), "device_name": "x"}
    return world.client.post("/v1/auth/token", json=body, headers=PROTOCOL)


@pytest.fixture
def capped(database_url: str) -> Iterator[World]:
    world = build_world(database_url, Settings(login_failures_per_address=CAP))
    yield world
    world.client.close()
    world.db.dispose()


def test_a_spray_never_refuses_the_correct_password_of_an_untouched_colleague(capped: World) -> None:
    world = capped
    for name in ("liaison2", "ghost1", "ghost2", "ghost3", "ghost4"):  # one guess each, from the office NAT
        assert _login(world, name, "Summer2026!!").status_code == 401
    # The address is at its cap: the sprayed names and unknown names wait...
    for name in ("liaison2", "ghost5"):
        refused = _login(world, name, PASSWORD if name == "liaison2" else "Summer2026!!")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # ...a wrong guess at an untouched name learns nothing more than a 429...
    assert _login(world, "supervisor", "Summer2026!!").status_code == 429
    assert _login(world, "supervisor", PASSWORD).status_code == 429  # that guess made it a failing name
    # ...and a colleague with no recent failures signs in with the right password.
    assert _login(world, "liaison", PASSWORD).status_code == 200
    assert _login(world, "other", PASSWORD).status_code == 200


def test_parallel_sprays_on_two_workers_get_exactly_the_cap(database_url: str) -> None:
    world = build_world(database_url)
    world.client.close()
    world.db.dispose()
    cap = Settings().login_failures_per_address
    sprays = 80
    with serve_process(database_url, "--workers", "2") as (base, _process):

        def attempt(n: int, base: str = base) -> int:
            body = {"username": f"sprayed{n}", "password": "Summer2026!!", "device_id": str(uuid.uuid4())}
            return httpx.post(f"{base}/v1/auth/token", json=body, headers=PROTOCOL, timeout=300).status_code

        with ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(attempt, range(sprays)))
        # Password checks actually answered: exactly the cap; every other attempt waited.
        assert statuses.count(401) == cap, statuses
        assert statuses.count(429) == sprays - cap, sorted(set(statuses))
        # And the colleague behind the same address still gets in.
        body = {"username": "liaison", "password": PASSWORD, "device_id": str(uuid.uuid4())}
        assert httpx.post(f"{base}/v1/auth/token", json=body, headers=PROTOCOL, timeout=120).status_code == 200


def test_the_docs_are_served_only_with_the_flag_not_by_a_leftover_variable(database_url: str) -> None:
    with serve_process(database_url, env={DOCS_ENV: "1"}) as (base, _process):
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert httpx.get(f"{base}{path}", timeout=30).status_code == 404
    with serve_process(database_url, "--docs") as (base, _process):
        assert httpx.get(f"{base}/openapi.json", timeout=30).status_code == 200
