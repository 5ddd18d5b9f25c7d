"""Every endpoint reads bodies the same way: gzip inflated, other encodings refused, one size limit."""

from __future__ import annotations

import gzip
import json
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker_server import admin
from caseworker_server.app import create_app
from caseworker_server.config import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PROTOCOL = {"X-Caseworker-Protocol": "1"}
LIMIT = 4096


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        f"sqlite:///{tmp_path / 'server.db'}", settings=Settings(max_body_bytes=LIMIT), run_migrations=True
    )
    with app.state.db.write() as session:
        admin.add_user(session, "liaison", "liaison", "correct horse 1")
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.dispose()


@pytest.fixture
def signed_in(client: TestClient) -> dict[str, str]:
    login = {"username": "liaison", "password": "correct horse 1", "device_id": str(uuid.uuid4())}
    response = client.post("/v1/auth/token", json=login, headers=PROTOCOL)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _post(client: TestClient, path: str, body: bytes, **headers: str) -> tuple[int, str]:
    response = client.post(path, content=body, headers={**PROTOCOL, "Content-Type": "application/json", **headers})
    return response.status_code, str(response.json().get("detail", ""))


def test_a_gzipped_body_reaches_an_endpoint_that_parses_its_own_body(client: TestClient) -> None:
    login = json.dumps(
        {"username": "nobody", "password": "x" * 12, "device_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}
    )
    status, detail = _post(client, "/v1/auth/token", gzip.compress(login.encode()), **{"Content-Encoding": "gzip"})
    assert status == 401 and "Wrong username or password" in detail  # read and understood, not a 400


def test_bad_gzip_unknown_encodings_and_bombs_are_refused_plainly(
    client: TestClient, signed_in: dict[str, str]
) -> None:
    assert _post(client, "/v1/sync/reconcile", b"not gzip", **signed_in, **{"Content-Encoding": "gzip"})[0] == 400
    assert _post(client, "/v1/sync/reconcile", b"{}", **signed_in, **{"Content-Encoding": "br"})[0] == 415
    bomb = gzip.compress(b"[" + b" " * (LIMIT * 4) + b"]")  # small on the wire, large inflated
    assert len(bomb) < LIMIT
    status, detail = _post(client, "/v1/sync/reconcile", bomb, **signed_in, **{"Content-Encoding": "gzip"})
    assert status == 413 and "too large" in detail


def test_a_stranger_is_refused_before_the_body_is_read(client: TestClient) -> None:
    """Without a valid token the body is never inflated or parsed: bad gzip and bombs get the same 401."""
    bomb = gzip.compress(b"[" + b" " * (LIMIT * 4) + b"]")
    for path in ("/v1/sync/push", "/v1/sync/reconcile"):
        for body, encoding in ((b"not gzip", "gzip"), (bomb, "gzip"), (b"{}", "br"), (b"{", "identity")):
            for token in ({}, {"Authorization": "Bearer forged"}):
                status, detail = _post(client, path, body, **token, **{"Content-Encoding": encoding})
                assert (status, detail) == (401, "Sign in first.") or (status == 401 and "sign in" in detail.lower())


def test_a_chunked_body_past_the_limit_is_refused(client: TestClient, signed_in: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b" " * 1024

    response = client.post(
        "/v1/sync/reconcile", content=chunks(), headers={**PROTOCOL, **signed_in, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
