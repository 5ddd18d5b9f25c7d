"""A saturated node answers 503 with Retry-After and a reason, never a hang, a timeout or a 500.

Real server on loopback HTTP, made busy for real: a push held inside its transaction
(the change-number counter locked from outside) fills the only push slot, or a
connection taken out of a one-connection pool leaves none for the request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from busykit import hold_writes, served, wait_until
from serverkit import PROTOCOL, World, build_world, new_row

from caseworker_server.config import Settings


@pytest.fixture
def busy_world(request: pytest.FixtureRequest, database_url: str) -> Iterator[World]:
    built = build_world(database_url, settings=request.param)
    try:
        yield built
    finally:
        built.client.close()
        built.db.dispose()


def _auth(world: World, username: str = "liaison") -> dict[str, str]:
    return world.login(username).headers


def _visit(world: World) -> dict[str, Any]:
    return new_row("task", world.cases["own"], title="Call the school", due_on="2026-12-01")


ONE_SLOT = Settings(max_concurrent_pushes=1, push_queue_wait_seconds=0.3, retry_after_min_seconds=1)


@pytest.mark.parametrize("busy_world", [ONE_SLOT], indirect=True)
def test_a_push_over_the_limit_is_told_when_to_come_back_and_goes_through_after(busy_world: World) -> None:
    world = busy_world
    headers = _auth(world)
    first, second = _visit(world), _visit(world)
    answers: dict[str, httpx.Response] = {}
    with served(world.app) as base, httpx.Client(base_url=base, timeout=60) as http:
        with hold_writes(world.url):
            held = threading.Thread(
                target=lambda: answers.setdefault(
                    "first", http.post("/v1/sync/push", json={"mutations": [first]}, headers=headers)
                )
            )
            held.start()
            wait_until(lambda: world.app.state.gate.running == 1)
            started = time.monotonic()
            busy = http.post("/v1/sync/push", json={"mutations": [second]}, headers=headers)
            waited = time.monotonic() - started
        held.join(timeout=60)
        again = http.post("/v1/sync/push", json={"mutations": [second]}, headers=headers)

    assert busy.status_code == 503, busy.text
    assert waited < 5  # turned away after the short queue wait, not left hanging
    seconds = int(busy.headers["Retry-After"])
    assert 1 <= seconds <= ONE_SLOT.retry_after_max_seconds
    body = busy.json()
    assert body["code"] == "busy" and body["retry_after"] == seconds
    assert "busy" in body["detail"] and "Nothing was applied" in body["detail"]
    # The held push was finished and answered; the one turned away went through when sent again.
    assert answers["first"].status_code == 200
    assert [r["status"] for r in answers["first"].json()["results"]] == ["applied"]
    assert again.status_code == 200
    assert [r["status"] for r in again.json()["results"]] == ["applied"]


@pytest.mark.parametrize("busy_world", [ONE_SLOT], indirect=True)
def test_retry_after_grows_with_the_queue_and_the_push_time(busy_world: World) -> None:
    gate = busy_world.app.state.gate
    gate.mean_seconds = 4.0
    alone = gate.retry_after()
    gate.running, gate.waiting = 1, 3
    crowded = gate.retry_after()
    gate.mean_seconds = 1000.0
    assert (alone, crowded) == (4, 20)
    assert gate.retry_after() == ONE_SLOT.retry_after_max_seconds  # bounded
    gate.running = gate.waiting = 0


TINY_POOL = Settings(db_pool_size=1, db_pool_overflow=0, db_pool_wait_seconds=0.3, retry_after_min_seconds=3)


@pytest.mark.parametrize("busy_world", [TINY_POOL], indirect=True)
def test_an_exhausted_database_pool_answers_503_not_500(busy_world: World) -> None:
    world = busy_world
    headers = _auth(world)
    visit = _visit(world)
    with served(world.app) as base, httpx.Client(base_url=base, timeout=60) as http:
        held = world.db.engine.connect()  # the pool's only connection
        try:
            busy_push = http.post("/v1/sync/push", json={"mutations": [visit]}, headers=headers)
            busy_pull = http.get("/v1/sync/pull", params={"cursor": 0}, headers=headers)
        finally:
            held.close()
        after = http.post("/v1/sync/push", json={"mutations": [visit]}, headers=headers)
        health = http.get("/v1/health", headers=PROTOCOL)

    for busy in (busy_push, busy_pull):
        assert busy.status_code == 503, busy.text
        assert int(busy.headers["Retry-After"]) >= 3
        assert busy.json()["code"] == "busy"
    assert after.status_code == 200
    assert [r["status"] for r in after.json()["results"]] == ["applied"]
    assert health.status_code == 200
