"""Sign-in limits: counted atomically, per (user, address) with growing delays, forwarded
addresses believed only from configured proxies; and the API description only with --docs."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import requests
import uvicorn
from fastapi.testclient import TestClient
from serverkit import PASSWORD, PROTOCOL, World, build_world

from caseworker_server import ratelimit
from caseworker_server.app import create_app
from caseworker_server.config import Settings
from caseworker_server.models import utcnow


def _login(world: World, username: str, password: str, forwarded: str | None = None) -> Any:
    headers = dict(PROTOCOL)
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    body = {"username": username, "password": password, "device_id": str(uuid.uuid4()), "device_name": "x"}
    return world.client.post("/v1/auth/token", json=body, headers=headers)


@pytest.fixture
def proxied(database_url: str) -> Iterator[World]:
    """A server behind a proxy it trusts (the test client's address stands for the proxy)."""
    world = build_world(database_url, Settings(trusted_proxies=("testclient",)))
    yield world
    world.client.close()
    world.db.dispose()


def test_forwarded_addresses_are_ignored_unless_from_a_trusted_proxy(database_url: str) -> None:
    world = build_world(database_url, Settings(login_failures_per_address=4))
    try:
        for n in range(4):  # a local process pretending to be four different clients
            assert _login(world, f"user{n}", "wrong password", forwarded=f"10.9.9.{n}").status_code == 401
        # All four counted against the one real peer: a wrong guess now gets no verdict.
        assert _login(world, "liaison", "wrong password", forwarded="10.9.9.200").status_code == 429
    finally:
        world.client.close()
        world.db.dispose()


def test_a_guesser_elsewhere_does_not_lock_the_user_out(proxied: World) -> None:
    for _ in range(5):
        assert _login(proxied, "liaison", "wrong password", forwarded="203.0.113.7").status_code == 401
    blocked = _login(proxied, "liaison", PASSWORD, forwarded="203.0.113.7")
    assert blocked.status_code == 429
    # The liaison at school, behind the same proxy, still signs in.
    assert _login(proxied, "liaison", PASSWORD, forwarded="198.51.100.20").status_code == 200
    # A client claiming to be a trusted hop further left changes nothing: the nearest untrusted hop counts.
    assert _login(proxied, "liaison", PASSWORD, forwarded="198.51.100.20, 203.0.113.7").status_code == 429


def test_each_further_failure_waits_longer_and_none_locks_for_good(
    proxied: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        _login(proxied, "liaison", "wrong password", forwarded="203.0.113.7")
    waits = []
    shift = timedelta()
    for _ in range(3):
        refused = _login(proxied, "liaison", PASSWORD, forwarded="203.0.113.7")
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        shift += timedelta(seconds=waits[-1] + 1)
        start = utcnow()
        monkeypatch.setattr(ratelimit, "utcnow", lambda s=start, d=shift: s + d)
        assert _login(proxied, "liaison", "wrong password", forwarded="203.0.113.7").status_code == 401
    assert waits[0] < waits[1] < waits[2]
    start = utcnow()
    monkeypatch.setattr(ratelimit, "utcnow", lambda: start + shift + timedelta(hours=1))
    assert _login(proxied, "liaison", PASSWORD, forwarded="203.0.113.7").status_code == 200


def _serve(app: Any) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_parallel_wrong_passwords_get_exactly_the_free_checks_on_postgresql(database_url: str) -> None:
    world = build_world(database_url)
    try:
        for url in _serve(world.app):

            def attempt(_n: int, url: str = url) -> int:
                body = {"username": "liaison", "password": "wrong", "device_id": str(uuid.uuid4()), "device_name": "x"}
                return requests.post(f"{url}/v1/auth/token", json=body, headers=PROTOCOL, timeout=120).status_code

            with ThreadPoolExecutor(max_workers=40) as pool:
                statuses = list(pool.map(attempt, range(40)))
        assert statuses.count(401) == Settings().login_free_failures  # password checks actually made
        assert statuses.count(429) == 40 - Settings().login_free_failures
    finally:
        world.client.close()
        world.db.dispose()


def test_the_api_description_is_served_only_with_docs(database_url: str) -> None:
    for docs in (False, True):
        app = create_app(database_url, settings=Settings(docs=docs), run_migrations=True)
        with TestClient(app) as client:
            for path in ("/docs", "/redoc", "/openapi.json"):
                assert client.get(path).status_code == (200 if docs else 404)
        app.state.db.dispose()
