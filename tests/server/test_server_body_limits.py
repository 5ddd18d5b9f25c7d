"""One body limit for every request: small for sign-in, counted on the wire and after gunzip alike."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator

import pytest
from serverkit import PASSWORD, PROTOCOL, World


def _chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """A body sent in chunks, with no Content-Length declared."""
    yield b'{"username":"liaison","password":"'
    for _ in range(total // size):
        yield b"x" * size
    yield b'"}'


def _login_body(**extra: str) -> bytes:
    return json.dumps(
        {"username": "liaison", "password": PASSWORD, "device_id": str(uuid.uuid4()), "device_name": "laptop", **extra}
    ).encode()


@pytest.mark.parametrize("path", ["/v1/auth/token", "/v1/auth/refresh", "/v1/auth/wipe-confirmed"])
def test_sign_in_endpoints_refuse_a_large_body(world: World, path: str) -> None:
    big = world.client.post(path, content=_login_body(padding="x" * 100_000), headers=PROTOCOL)
    assert big.status_code == 413 and "too large" in big.json()["detail"]
    streamed = world.client.post(path, content=_chunks(1024 * 1024), headers=PROTOCOL)
    assert streamed.status_code == 413
    bomb = gzip.compress(_login_body(padding=" " * 2_000_000))
    assert len(bomb) < 64 * 1024  # small on the wire, two megabytes inflated
    inflated = world.client.post(path, content=bomb, headers={**PROTOCOL, "Content-Encoding": "gzip"})
    assert inflated.status_code == 413


def test_a_normal_sign_in_still_fits(world: World) -> None:
    headers = {**PROTOCOL, "Content-Type": "application/json"}
    ok = world.client.post("/v1/auth/token", content=_login_body(), headers=headers)
    assert ok.status_code == 200


def test_reconcile_and_every_other_endpoint_are_limited_too(world: World) -> None:
    device = world.login("liaison")
    records = [{"entity": "person", "row_id": "0" * 36, "version": 1}] * 200_000  # about 11 MB
    body = json.dumps({"records": records}).encode()
    plain = world.client.post("/v1/sync/reconcile", content=body, headers=device.headers)
    assert plain.status_code == 413
    packed = world.client.post(
        "/v1/sync/reconcile", content=gzip.compress(body), headers={**device.headers, "Content-Encoding": "gzip"}
    )
    assert packed.status_code == 413
    streamed = world.client.post("/v1/sync/push", content=_chunks(9 * 1024 * 1024, 256 * 1024), headers=device.headers)
    assert streamed.status_code == 413
