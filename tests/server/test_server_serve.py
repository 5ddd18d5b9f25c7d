"""`caseworker-server serve` says where it listens and logs each request without tokens, bodies or query values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
from helpers import free_port

from caseworker_app import __version__
from caseworker_app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def test_serve_prints_a_startup_line_and_one_access_line_per_request(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CASEWORKER_DATABASE_URL"}
    env.update(CASEWORKER_SERVER_HOME=str(tmp_path / "home"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "caseworker_server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        httpx.get(
            f"{base}/v1/sync/pull?cursor=918273&limit=5",
            headers={**headers, "Authorization": "Bearer secret-token-4711"},
            timeout=5,
        )
        httpx.post(
            f"{base}/v1/auth/token",
            json={"username": "alvarez-family-secret", "password": "a password 4711", "device_id": "d"},
            headers=headers,
            timeout=5,
        )
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    lines = out.strip().splitlines()
    assert lines, err
    assert lines[0] == (
        f"caseworker-server {__version__}: serving http://127.0.0.1:{port} "
        f"(database sqlite:///{tmp_path / 'home' / 'caseworker-server.db'}, 1 worker, protocol {PROTOCOL_VERSION}); "
        "Ctrl-C stops it."
    )
    access = "\n".join(lines[1:])
    assert re.search(r"GET /v1/health 200 \d+\.\d ms", access), access
    assert re.search(r"GET /v1/sync/pull\?cursor=&limit= 401 \d+\.\d ms", access), access
    assert re.search(r"POST /v1/auth/token \d{3} \d+\.\d ms", access), access
    for secret in ("918273", "secret-token-4711", "alvarez-family-secret", "a password 4711"):
        assert secret not in out and secret not in err


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caseworker_server.cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"caseworker-server {__version__} (sync protocol {PROTOCOL_VERSION})"
