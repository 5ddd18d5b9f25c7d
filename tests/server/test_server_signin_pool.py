"""A sign-in hashes its password with no database connection held.

argon2 takes tens of milliseconds on purpose; at 8:30, when a county's laptops sign in together,
a hash computed inside a transaction kept a pool (or PgBouncer) connection busy for each one and
starved every other request. Here the node has a one-connection pool and a sign-in is held in the
middle of its hashing: another laptop's request must still be served.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from busykit import served, wait_until
from serverkit import PASSWORD, PROTOCOL, World, build_world, new_id

from caseworker_server import auth
from caseworker_server.config import Settings

ONE_CONNECTION = Settings(db_pool_size=1, db_pool_overflow=0, db_pool_wait_seconds=1.0, retry_after_min_seconds=1)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    built = build_world(database_url, settings=ONE_CONNECTION)
    try:
        yield built
    finally:
        built.client.close()
        built.db.dispose()


def test_a_sign_in_being_hashed_leaves_the_connection_to_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = world.login("liaison2").headers  # a laptop already signed in
    hashing, release = threading.Event(), threading.Event()
    real_verify = auth.verify_password

    def slow_verify(stored: str, password: str) -> bool:
        hashing.set()
        release.wait(30)
        return real_verify(stored, password)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    answers: dict[str, httpx.Response] = {}
    body = {"username": "liaison", "password": PASSWORD, "device_id": new_id(), "device_name": "laptop"}
    with served(world.app) as base, httpx.Client(base_url=base, timeout=60) as http:
        signing_in = threading.Thread(
            target=lambda: answers.setdefault("sign-in", http.post("/v1/auth/token", json=body, headers=PROTOCOL))
        )
        signing_in.start()
        wait_until(hashing.is_set)
        try:
            meanwhile = http.get("/v1/me", headers=headers)
        finally:
            release.set()
            signing_in.join(timeout=60)

    assert meanwhile.status_code == 200, meanwhile.text  # not 503: the only connection was free
    assert meanwhile.json()["username"] == "liaison2"
    assert answers["sign-in"].status_code == 200, answers["sign-in"].text
