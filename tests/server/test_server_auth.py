"""Accounts and devices: login, refresh, rate limiting, disabled users, revoked and wiped devices."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serverkit import PASSWORD, PROTOCOL, World, build_world, new_id

from caseworker_server import admin
from caseworker_server.config import Settings


def _login(world: World, username: str, password: str, device_id: str | None = None) -> object:
    return world.client.post(
        "/v1/auth/token",
        json={"username": username, "password": password, "device_id": device_id or new_id(), "device_name": "x"},
        headers=PROTOCOL,
    )


def test_login_returns_tokens_and_wrong_password_is_refused(world: World) -> None:
    device = world.login("liaison")
    assert device.tokens["user"] == {"username": "liaison", "display_name": "Liaison", "role": "liaison"}
    assert device.tokens["expires_in"] <= 3600
    me = world.client.get("/v1/me", headers=device.headers)
    assert me.json()["username"] == "liaison"
    for username, password in (("liaison", "wrong password"), ("nobody", PASSWORD)):
        response = _login(world, username, password)
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert response.json()["detail"] == "Wrong username or password."  # type: ignore[attr-defined]


def test_tokens_are_required_and_checked(world: World) -> None:
    for headers in (
        PROTOCOL,
        {**PROTOCOL, "Authorization": "Bearer nonsense"},
        {**PROTOCOL, "Authorization": "Basic abc"},
    ):
        response = world.client.get("/v1/sync/pull", headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"]


def test_refresh_rotates_the_pair_and_is_bound_to_the_device(world: World) -> None:
    device = world.login("liaison")
    old = device.tokens["refresh_token"]
    wrong = world.client.post("/v1/auth/refresh", json={"refresh_token": old, "device_id": new_id()}, headers=PROTOCOL)
    assert wrong.status_code == 401
    response = world.client.post(
        "/v1/auth/refresh", json={"refresh_token": old, "device_id": device.device_id}, headers=PROTOCOL
    )
    assert response.status_code == 200
    assert response.json()["access_token"] != device.tokens["access_token"]
    retry = world.client.post(
        "/v1/auth/refresh", json={"refresh_token": old, "device_id": device.device_id}, headers=PROTOCOL
    )
    assert retry.status_code == 200  # a lost answer may be retried
    assert retry.json()["refresh_token"] == response.json()["refresh_token"]


@pytest.fixture
def strict_world(database_url: str) -> Iterator[World]:
    built = build_world(database_url, Settings(login_free_failures=3, login_failures_per_address=5))
    yield built
    built.client.close()
    built.db.dispose()


def test_login_is_rate_limited_per_user_and_per_address(strict_world: World) -> None:
    world = strict_world
    for _ in range(3):
        assert _login(world, "liaison", "bad password").status_code == 401  # type: ignore[attr-defined]
    limited = _login(world, "liaison", PASSWORD)
    assert limited.status_code == 429  # type: ignore[attr-defined]
    assert int(limited.headers["Retry-After"]) > 0  # type: ignore[attr-defined]
    assert "Too many" in limited.json()["detail"]  # type: ignore[attr-defined]
    # Other users from the same address still get in until the address limit is reached.
    assert _login(world, "other", PASSWORD).status_code == 200  # type: ignore[attr-defined]
    for name in ("x1", "x2"):
        _login(world, name, "bad password")
    # At the address cap, unknown names wait; a colleague with no recent failures still gets in.
    assert _login(world, "x3", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    assert _login(world, "supervisor", PASSWORD).status_code == 200  # type: ignore[attr-defined]


def test_a_disabled_user_cannot_log_in_or_sync(world: World) -> None:
    device = world.login("liaison")
    with world.db.write() as session:
        admin.set_disabled(session, "liaison")
    response = _login(world, "liaison", PASSWORD)
    # The same answer as a wrong password: sign-in is no oracle for a disabled account's password.
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json()["detail"] == "Wrong username or password."  # type: ignore[attr-defined]
    assert device.pull_raw().status_code == 401
    refresh = world.client.post(
        "/v1/auth/refresh",
        json={"refresh_token": device.tokens["refresh_token"], "device_id": device.device_id},
        headers=PROTOCOL,
    )
    assert refresh.status_code == 401


def test_a_revoked_device_gets_401(world: World) -> None:
    device = world.login("liaison")
    with world.db.write() as session:
        admin.revoke_device(session, device.device_id)
    response = device.pull_raw()
    assert response.status_code == 401
    assert response.json()["code"] == "device_revoked"
    again = _login(world, "liaison", PASSWORD, device.device_id)
    assert again.status_code == 401  # type: ignore[attr-defined]
    # The same user on another laptop is unaffected.
    assert world.login("liaison").pull_raw().status_code == 200


def test_a_wiped_device_is_told_to_wipe_and_its_confirmation_is_recorded(world: World) -> None:
    device = world.login("liaison")
    with world.db.write() as session:
        admin.wipe_device(session, device.device_id)
    refresh_body = {"refresh_token": device.tokens["refresh_token"], "device_id": device.device_id}
    # A push under way may still finish (accept_push_before_wipe, on by default)...
    pushed = world.client.post("/v1/sync/push", json={"mutations": []}, headers=device.headers)
    assert pushed.status_code == 200
    # ...but everything else, refresh included, answers with the order, signed and naming the device.
    refreshed = world.client.post("/v1/auth/refresh", json=refresh_body, headers=PROTOCOL)
    for response in (refreshed, device.pull_raw(), _login(world, "liaison", PASSWORD, device.device_id)):
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert response.json()["wipe"] is True  # type: ignore[attr-defined]
        assert response.json()["code"] == "wipe"  # type: ignore[attr-defined]
        assert response.json()["wipe_order"]["device_id"] == device.device_id  # type: ignore[attr-defined]
        assert response.json()["wipe_order"]["username"] == "liaison"  # type: ignore[attr-defined]
        assert response.json()["wipe_order"]["signature"]  # type: ignore[attr-defined]
    confirmed = world.client.post(
        "/v1/auth/wipe-confirmed",
        json={"refresh_token": device.tokens["refresh_token"], "device_id": device.device_id},
        headers=PROTOCOL,
    )
    assert confirmed.status_code == 200
    with world.db.read() as session:
        (row,) = admin.list_devices(session, "liaison")
    assert row.state == "wiped"
    after = device.pull_raw()
    assert after.status_code == 401 and after.json()["code"] == "device_revoked"


def test_protocol_version_is_required_everywhere_but_health(world: World) -> None:
    assert world.client.get("/v1/health").status_code == 200
    for method, path in (
        ("post", "/v1/auth/token"),
        ("get", "/v1/sync/pull"),
        ("post", "/v1/sync/push"),
        ("post", "/v1/sync/reconcile"),
        ("post", "/v1/auth/refresh"),
    ):
        response = getattr(world.client, method)(path, headers={"X-Caseworker-Protocol": "99"})
        assert response.status_code == 426
        assert response.json()["detail"] == "This version of Caseworker is too old for the server; update the app."


def test_a_server_may_refuse_even_the_last_push_of_a_wiped_device(database_url: str) -> None:
    world = build_world(database_url, Settings(accept_push_before_wipe=False))
    try:
        device = world.login("liaison")
        with world.db.write() as session:
            admin.wipe_device(session, device.device_id)
        pushed = world.client.post("/v1/sync/push", json={"mutations": []}, headers=device.headers)
        assert pushed.status_code == 401 and pushed.json()["code"] == "wipe"
        refresh_body = {"refresh_token": device.tokens["refresh_token"], "device_id": device.device_id}
        refreshed = world.client.post("/v1/auth/refresh", json=refresh_body, headers=PROTOCOL)
        assert refreshed.status_code == 401 and refreshed.json()["code"] == "wipe"
    finally:
        world.client.close()
        world.db.dispose()
