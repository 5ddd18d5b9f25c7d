"""Every endpoint reads bodies the same way: gzip inflated, other encodings refused, one size limit."""

from __future__ import annotations

import gzip
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.dispose()


def _post(client: TestClient, path: str, body: bytes, **headers: str) -> tuple[int, str]:
    response = client.post(path, content=body, headers={**PROTOCOL, "Content-Type": "application/json", **headers})
    return response.status_code, str(response.json().get("detail", ""))


def test_a_gzipped_body_reaches_an_endpoint_that_parses_its_own_body(client: TestClient) -> None:
    login = json.dumps(
        {"username": "nobody", "password": "x" * 12, "device_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}
    )
    status, detail = _post(client, "/v1/auth/token", gzip.compress(login.encode()), **{"Content-Encoding": "gzip"})
    assert status == 401 and "Wrong username or password" in detail  # read and understood, not a 400


def test_bad_gzip_unknown_encodings_and_bombs_are_refused_plainly(client: TestClient) -> None:
    assert _post(client, "/v1/sync/reconcile", b"not gzip", **{"Content-Encoding": "gzip"})[0] == 400
    assert _post(client, "/v1/sync/reconcile", b"{}", **{"Content-Encoding": "br"})[0] == 415
    bomb = gzip.compress(b"[" + b" " * (LIMIT * 4) + b"]")  # small on the wire, large inflated
    assert len(bomb) < LIMIT
    status, detail = _post(client, "/v1/sync/reconcile", bomb, **{"Content-Encoding": "gzip"})
    assert status == 413 and "too large" in detail


def test_a_chunked_body_past_the_limit_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b" " * 1024

    response = client.post(
        "/v1/sync/reconcile", content=chunks(), headers={**PROTOCOL, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
