"""Refresh-token rotation: a lost answer never signs a laptop out; a replay revokes the whole sign-in."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from serverkit import PROTOCOL, Device, World
from sqlalchemy import func, select

from caseworker_server import auth
from caseworker_server.models import Token, utcnow


def _refresh(world: World, device: Device, token: str) -> Any:
    return world.client.post(
        "/v1/auth/refresh", json={"refresh_token": token, "device_id": device.device_id}, headers=PROTOCOL
    )


def _later(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    start = utcnow()
    monkeypatch.setattr(auth, "utcnow", lambda: start + delta)


def _token_count(world: World) -> int:
    with world.db.read() as session:
        return int(session.execute(select(func.count()).select_from(Token)).scalar_one())


def test_a_lost_refresh_answer_retried_minutes_later_keeps_the_laptop_signed_in(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = world.login("liaison")
    spent = device.tokens["refresh_token"]
    lost = _refresh(world, device, spent)  # the answer never reaches the laptop
    assert lost.status_code == 200

    _later(monkeypatch, timedelta(minutes=5))  # within the grace; past it, a retry is a replay
    retry = _refresh(world, device, spent)
    assert retry.status_code == 200, retry.text
    assert retry.json()["refresh_token"] == lost.json()["refresh_token"]  # the same successor
    device.tokens = retry.json()
    monkeypatch.undo()
    assert device.pull_raw().status_code == 200  # a working access token came with it
    assert _refresh(world, device, device.tokens["refresh_token"]).status_code == 200  # and the chain goes on


def test_retries_of_one_refresh_mint_no_extra_sessions(world: World) -> None:
    device = world.login("liaison")
    spent = device.tokens["refresh_token"]
    first = _refresh(world, device, spent).json()
    count = _token_count(world)
    for _ in range(3):
        again = _refresh(world, device, spent).json()
        assert again["refresh_token"] == first["refresh_token"]
        assert again["access_token"] == first["access_token"]
    assert _token_count(world) == count


def test_a_replay_after_the_successor_was_used_revokes_the_chain(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    device = world.login("liaison")
    elsewhere = world.login("liaison")  # another sign-in of the same user is not touched
    spent = device.tokens["refresh_token"]
    successor = _refresh(world, device, spent).json()
    newest = _refresh(world, device, successor["refresh_token"]).json()  # the successor was used once
    device.tokens = newest
    assert device.pull_raw().status_code == 200

    with caplog.at_level(logging.WARNING, logger="caseworker_server.auth"):
        replay = _refresh(world, device, spent)
    assert replay.status_code == 401 and replay.json()["code"] == "token_reused"
    assert any("chain revoked" in r.getMessage() for r in caplog.records)  # for IT
    assert spent not in caplog.text and newest["refresh_token"] not in caplog.text

    # Every token of that sign-in is dead: the device must sign in again.
    assert device.pull_raw().status_code == 401
    assert _refresh(world, device, newest["refresh_token"]).status_code == 401
    assert elsewhere.pull_raw().status_code == 200
