"""Nothing expensive before authentication, measured on a real `caseworker-server serve` process.

Strangers sending small gzip bodies that inflate to megabytes (to push and reconcile)
must be turned away from their headers alone: the server's memory stays flat and
`/v1/health` keeps answering promptly while the junk arrives.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from serverkit import PROTOCOL, build_world, serve_process

# Generous bounds for a loaded machine; the reproduction saw +454 MB and a 5.7 s health check.
RSS_GROWTH_BOUND_MB = 80
HEALTH_BOUND_SECONDS = 1.0
JUNK_AUTH = {"Authorization": "Bearer not-a-real-token"}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS for the server process")


@pytest.fixture
def server(database_url: str) -> Iterator[tuple[str, int]]:
    world = build_world(database_url)  # migrated, with users; the process below serves the same database
    world.client.close()
    world.db.dispose()
    with serve_process(database_url) as (base, process):
        yield base, process.pid


def _push_bomb() -> bytes:
    """About 8 KB on the wire, just under the 8 MB body limit once inflated."""
    return gzip.compress(b"{" + b" " * (8 * 1024 * 1024 - 16) + b"}", compresslevel=9)


def _reconcile_junk() -> bytes:
    """Valid JSON (a long list of held records), about 8 MB inflated, some KB on the wire."""
    records = [{"entity": "note", "row_id": "0" * 36, "version": 1}] * 115_000
    return gzip.compress(json.dumps({"records": records}).encode(), compresslevel=9)


def _send(base: str, path: str, body: bytes) -> int:
    headers = {**PROTOCOL, **JUNK_AUTH, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    with httpx.Client(base_url=base, timeout=120) as client:
        return client.post(path, content=body, headers=headers).status_code


def test_strangers_gzip_bodies_cost_no_memory_and_do_not_stall_health(server: tuple[str, int]) -> None:
    base, pid = server
    bomb, junk = _push_bomb(), _reconcile_junk()
    assert len(bomb) < 16 * 1024 and len(junk) < 64 * 1024
    _send(base, "/v1/sync/push", bomb)  # warm-up: the first request loads code paths once
    before = _rss_mb(pid)

    slowest = 0.0
    peak = before
    done = threading.Event()

    def watch() -> None:
        nonlocal slowest, peak
        with httpx.Client(base_url=base, timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                assert client.get("/v1/health").status_code == 200
                slowest = max(slowest, time.perf_counter() - started)
                peak = max(peak, _rss_mb(pid))
                time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            sent = [pool.submit(_send, base, "/v1/sync/push", bomb) for _ in range(60)]
            sent += [pool.submit(_send, base, "/v1/sync/reconcile", junk) for _ in range(20)]
            statuses = [f.result() for f in sent]
    finally:
        done.set()
        watcher.join(timeout=120)
    peak = max(peak, _rss_mb(pid))

    print(f"server memory grew by {peak - before:.0f} MB; slowest /v1/health {slowest:.2f} s")
    assert peak - before < RSS_GROWTH_BOUND_MB, f"server memory grew by {peak - before:.0f} MB"
    assert slowest < HEALTH_BOUND_SECONDS, f"/v1/health took {slowest:.2f} s while junk arrived"
    assert set(statuses) == {401}, statuses  # turned away as strangers, whatever the body held
