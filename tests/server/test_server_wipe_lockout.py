"""Issue 20, items 1, 9, 10, 11: a laptop ordered wiped is cut off at once; resetting a password,
disabling an account and revoking a device end every session at once; a refresh retry is
honoured for minutes, not weeks; device commands act on one account only."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from serverkit import PASSWORD, PROTOCOL, Device, World, edit, new_id, new_row

from caseworker_server import admin, auth
from caseworker_server import cli as server_cli
from caseworker_server.config import Settings
from caseworker_server.models import utcnow

NEW_PASSWORD = "a brand new pass phrase"


def _refresh(world: World, device: Device, token: str | None = None) -> Any:
    body = {"refresh_token": token or device.tokens["refresh_token"], "device_id": device.device_id}
    return world.client.post("/v1/auth/refresh", json=body, headers=PROTOCOL)


def _push(world: World, device: Device, *mutations: dict[str, Any]) -> Any:
    return world.client.post("/v1/sync/push", json={"mutations": list(mutations)}, headers=device.headers)


def _login(world: World, username: str, password: str, device_id: str | None = None) -> Any:
    body = {"username": username, "password": password, "device_id": device_id or new_id(), "device_name": "x"}
    return world.client.post("/v1/auth/token", json=body, headers=PROTOCOL)


def _later(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    start = utcnow()
    monkeypatch.setattr(auth, "utcnow", lambda: start + delta)


def _cli(world: World, monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return server_cli.main(["--database-url", world.url, *args])


def _grade_edit(world: World, device: Device, new: str) -> dict[str, Any]:
    child = device.held[("person", world.child["own"])]
    return edit(
        "person", world.child["own"], world.cases["own"], child["version"], grade=(child["fields"]["grade"], new)
    )


# -- item 1: a wipe order allows the last push of earlier edits, then the receipt; nothing else --


def test_a_laptop_ordered_wiped_sends_only_its_last_edits_then_its_receipt(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = world.login("liaison")
    device.sync()
    with world.db.write() as session:
        admin.wipe_device(session, device.device_id)

    # No new tokens, no pull, no who-am-I: each answers with the signed order.
    for response in (
        _refresh(world, device),
        device.pull_raw(),
        world.client.get("/v1/me", headers=device.headers),
        _login(world, "liaison", PASSWORD, device.device_id),
    ):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "wipe" and response.json()["wipe_order"]["signature"]

    # The one push a sync under way still makes: edits of records the server has go in, nothing new.
    note = new_row("note", world.cases["own"], narrative="Typed by whoever holds the laptop now.", status="draft")
    case_id = new_id()
    opened = new_row("case", case_id, row_id=case_id, reference="X-1", family_name="Invented", stage="intake")
    edited, new_note, new_case = _push(world, device, _grade_edit(world, device, "5"), note, opened).json()["results"]
    assert edited["status"] == "applied"
    assert new_note["status"] == "rejected" and "wipe" in new_note["reason"]
    assert new_case["status"] == "rejected" and "wipe" in new_case["reason"]
    reader = world.login("supervisor")
    reader.sync()
    assert reader.row("person", world.child["own"])["grade"] == "5"
    assert ("note", note["row_id"]) not in reader.held and case_id not in reader.case_ids()

    # Past the short window, even that push answers with the order.
    _later(monkeypatch, timedelta(seconds=Settings().wipe_push_window_seconds + 1))
    late = _push(world, device, _grade_edit(world, device, "6"))
    assert late.status_code == 401 and late.json()["code"] == "wipe"
    monkeypatch.undo()

    # Then the receipt, and from then on nothing at all.
    body = {"refresh_token": device.tokens["refresh_token"], "device_id": device.device_id}
    assert world.client.post("/v1/auth/wipe-confirmed", json=body, headers=PROTOCOL).status_code == 200
    assert _push(world, device, _grade_edit(world, device, "7")).status_code == 401
    assert _refresh(world, device).status_code == 401


@pytest.mark.parametrize("action", ["reset-password", "disable", "revoke"])
def test_resetting_disabling_or_revoking_ends_every_session_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    office, home = world.login("liaison"), world.login("liaison")
    colleague = world.login("liaison2")
    if action == "reset-password":
        assert _cli(world, monkeypatch, "user", "reset-password", "liaison", stdin=NEW_PASSWORD + "\n") == 0
        ended = [office, home]
    elif action == "disable":
        assert _cli(world, monkeypatch, "user", "disable", "liaison") == 0
        ended = [office, home]
    else:
        assert _cli(world, monkeypatch, "device", "revoke", office.device_id, "--user", "liaison") == 0
        ended = [office]
    for device in ended:
        assert device.pull_raw().status_code == 401
        assert _push(world, device, _grade_edit_blind(world)).status_code == 401
        assert _refresh(world, device).status_code == 401
    for device in {id(d): d for d in (home, colleague)}.values():
        if device not in ended:
            assert device.pull_raw().status_code == 200
    if action == "disable":
        # Item 11: enabling the account again does not revive what it had before.
        assert _cli(world, monkeypatch, "user", "enable", "liaison") == 0
        for device in ended:
            assert device.pull_raw().status_code == 401
            assert _refresh(world, device).status_code == 401
        assert world.login("liaison").pull_raw().status_code == 200
    if action == "reset-password":
        assert _login(world, "liaison", PASSWORD).status_code == 401
        assert _login(world, "liaison", NEW_PASSWORD).status_code == 200


def _grade_edit_blind(world: World) -> dict[str, Any]:
    return edit("person", world.child["own"], world.cases["own"], 1, grade=("4", "9"))


# -- item 11: a disabled account is no oracle for its password ---------------------------------


def test_a_disabled_account_answers_the_right_password_as_it_answers_a_wrong_one(world: World) -> None:
    with world.db.write() as session:
        admin.set_disabled(session, "liaison")
    right, wrong = _login(world, "liaison", PASSWORD), _login(world, "liaison", "not the password at all")
    assert right.status_code == wrong.status_code == 401
    assert right.json() == wrong.json()


# -- item 9: a lost refresh answer may be fetched again for minutes, not for weeks -------------


def test_a_refresh_retry_past_the_grace_counts_as_reuse(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    device = world.login("liaison")
    spent = device.tokens["refresh_token"]
    first = _refresh(world, device, spent)
    assert first.status_code == 200
    _later(monkeypatch, timedelta(minutes=4))  # the laptop retried a few minutes later
    assert _refresh(world, device, spent).json()["refresh_token"] == first.json()["refresh_token"]
    _later(monkeypatch, timedelta(days=1))
    replay = _refresh(world, device, spent)
    assert replay.status_code == 401 and replay.json()["code"] == "token_reused"
    monkeypatch.undo()
    # The whole chain ended: the successor, and the access token that came with it.
    assert _refresh(world, device, first.json()["refresh_token"]).status_code == 401
    device.tokens = first.json()
    assert device.pull_raw().status_code == 401


# -- item 10: device ids belong to one account; admin commands and wipe orders name it ----------


def test_device_commands_act_on_the_named_account_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    shared_id = new_id()  # two accounts whose laptops picked the same id
    mine, theirs = world.login("liaison", shared_id), world.login("liaison2", shared_id)
    assert _cli(world, monkeypatch, "device", "wipe", shared_id) == 1  # which one? it does not guess
    assert mine.pull_raw().status_code == 200 and theirs.pull_raw().status_code == 200

    assert _cli(world, monkeypatch, "device", "wipe", shared_id, "--user", "liaison") == 0
    ordered = mine.pull_raw()
    assert ordered.status_code == 401
    assert ordered.json()["wipe_order"]["username"] == "liaison"
    assert ordered.json()["wipe_order"]["device_id"] == shared_id
    assert theirs.pull_raw().status_code == 200

    assert _cli(world, monkeypatch, "device", "revoke", shared_id, "--user", "liaison2") == 0
    assert theirs.pull_raw().json()["code"] == "device_revoked"
    assert _cli(world, monkeypatch, "device", "enable", shared_id, "--user", "liaison2") == 0
    assert _login(world, "liaison2", PASSWORD, shared_id).status_code == 200
    # Enabling one account's laptop never lifts the other's wipe order.
    assert mine.pull_raw().json()["code"] == "wipe"
    assert _cli(world, monkeypatch, "device", "wipe", shared_id, "--user", "nobody") == 1
