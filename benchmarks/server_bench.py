"""Central server throughput and latency on PostgreSQL with the large caseload.

`python -m benchmarks.server_bench` (or `python -m benchmarks.run server`): creates a
throw-away PostgreSQL database, seeds the demo users with the large caseload (300
cases, about 20,000 records) for `liaison`, runs `caseworker-server serve --workers 2`
on loopback, and drives it with concurrent keep-alive clients. Every figure is printed
with its ratio to `GET /v1/health` measured in the same run.

Targets (2-core machine): >= 500 incremental syncs per second; initial pull of the
large caseload under 1 second of server time; incremental pull of 10 changes >= 0.5x
health requests per second; a push of 100 mutations p50 <= 20x a health request; >= 5,000
applied mutations per second with 8 laptops pushing at once (distinct users and cases).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from caseworker_server import access, admin
from caseworker_server.bootstrap import init_database
from caseworker_server.changelog import ChangeSet
from caseworker_server.db import Database
from caseworker_server.demo import seed_demo
from caseworker_server.models import Record

PG_ADMIN_URL = os.environ.get("CASEWORKER_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "benchmark otter lantern"
PROTOCOL = {"X-Caseworker-Protocol": "1"}
CLIENTS = int(os.environ.get("CASEWORKER_BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("CASEWORKER_BENCH_WORKERS", "2"))
SECONDS = float(os.environ.get("CASEWORKER_BENCH_SECONDS", "4"))


@dataclass
class Rate:
    name: str
    latencies: list[float]
    elapsed: float
    target: str = ""

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def pg_database() -> Iterator[str]:
    name = f"caseworker_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def server(url: str) -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "caseworker_server.cli",
            "--database-url",
            url,
            "serve",
            "--workers",
            str(WORKERS),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes, dict[str, str]]:
    conn.request(method, path, body=body, headers={**headers, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    return response.status, data, {k.lower(): v for k, v in response.getheaders()}


def login(port: int, username: str) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps(
        {"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4()), "device_name": "bench"}
    ).encode()
    status, data, _ = request(conn, "POST", "/v1/auth/token", PROTOCOL, body)
    assert status == 200, data
    conn.close()
    return {**PROTOCOL, "Authorization": f"Bearer {json.loads(data)['access_token']}"}


def pull_all(port: int, headers: dict[str, str], cursor: int = 0) -> tuple[int, int, float, list[str]]:
    """Pull every page; returns (records, cursor, summed server time in seconds, case ids granted)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    records = 0
    server_time = 0.0
    cases: list[str] = []
    while True:
        status, data, response_headers = request(conn, "GET", f"/v1/sync/pull?cursor={cursor}", headers)
        assert status == 200, data
        server_time += float(response_headers.get("server-timing", "app;dur=0").split("dur=")[-1]) / 1000
        page = json.loads(data)
        records += len(page["changes"]) + sum(len(g["records"]) for g in page["grants"])
        cases += [g["case_id"] for g in page["grants"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            conn.close()
            return records, cursor, server_time, cases


def new_task(case_id: str) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "task",
        "row_id": str(uuid.uuid4()),
        "case_id": case_id,
        "base_version": 0,
        "changes": {
            "title": {"base": None, "new": "Benchmark follow-up"},
            "due_on": {"base": None, "new": "2026-12-01"},
        },
    }


@dataclass(frozen=True)
class Job:
    """What one client process sends, over and over, on one keep-alive connection."""

    port: int
    method: str
    path: str
    headers: dict[str, str]
    push_case: str | None = None  # push 100 fresh mutations to this case
    seconds: float = SECONDS


def client_loop(job: Job) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", job.port)
    latencies: list[float] = []
    stop = time.perf_counter() + job.seconds
    while time.perf_counter() < stop:
        body = None
        if job.push_case:
            body = json.dumps({"mutations": [new_task(job.push_case) for _ in range(100)]}).encode()
        started = time.perf_counter()
        status, data, _ = request(conn, job.method, job.path, job.headers, body)
        latencies.append(time.perf_counter() - started)
        assert status == 200, data[:200]
    conn.close()
    return latencies


def hammer(name: str, jobs: list[Job], target: str = "") -> Rate:
    """Each job in its own process, so the client side is not one interpreter's GIL."""
    with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        started = time.perf_counter()
        results = pool.map(client_loop, jobs)
        elapsed = time.perf_counter() - started
    return Rate(name, [x for r in results for x in r], max(elapsed, jobs[0].seconds), target)


LAPTOP_CASES: list[str] = []  # filled before the server process starts


def seed_laptops(db: Database, count: int) -> None:
    """`count` more liaisons, each holding one of the large caseload's cases: laptops that never share a row."""
    with db.write() as session:
        cases = sorted(
            session.query(Record.id).filter(Record.entity == "case").order_by(Record.id).limit(count + 1).all()
        )[1:]
        for n, (case_id,) in enumerate(cases):
            user = admin.add_user(session, f"laptop{n}", "liaison", PASSWORD, supervisor="supervisor")
            changes = ChangeSet()
            access.assign_case(session, changes, case_id, user, "benchmark")
            changes.stamp(session)
            LAPTOP_CASES.append(case_id)


def run(port: int) -> None:
    headers = login(port, "liaison")
    initial: list[tuple[float, float, int]] = []
    for _ in range(3):
        started = time.perf_counter()
        records, _, server_time, cases = pull_all(port, headers)
        initial.append((time.perf_counter() - started, server_time, records))
    case_id = cases[0]

    devices = [login(port, "liaison") for _ in range(CLIENTS)]
    cursor = pull_all(port, devices[0])[1]
    conn = http.client.HTTPConnection("127.0.0.1", port)
    status, data, _ = request(
        conn,
        "POST",
        "/v1/sync/push",
        headers,
        json.dumps({"mutations": [new_task(case_id) for _ in range(10)]}).encode(),
    )
    assert status == 200, data
    conn.close()
    top = pull_all(port, devices[0], cursor)[1]
    assert pull_all(port, devices[0], cursor)[0] == 10

    baseline = hammer("GET /v1/health (baseline)", [Job(port, "GET", "/v1/health", {}) for _ in devices])
    rates = [
        hammer(
            "incremental pull, no changes",
            [Job(port, "GET", f"/v1/sync/pull?cursor={top}", d) for d in devices],
            ">= 500/s",
        ),
        hammer(
            "incremental pull, 10 changes",
            [Job(port, "GET", f"/v1/sync/pull?cursor={cursor}", d) for d in devices],
            ">= 500/s",
        ),
        hammer(
            "push of 100 mutations, 1 laptop",
            [Job(port, "POST", "/v1/sync/push", devices[0], push_case=case_id)],
            "p50 <= 20x",
        ),
    ]
    laptops = [(login(port, f"laptop{n}"), case) for n, case in enumerate(LAPTOP_CASES)]
    storm = hammer(
        "push of 100 mutations, 8 laptops",
        [Job(port, "POST", "/v1/sync/push", h, push_case=c) for h, c in laptops],
        ">= 5000 mut/s",
    )
    rates.append(storm)

    print(f"\nCentral server on PostgreSQL, {WORKERS} workers, {CLIENTS} concurrent clients, loopback")
    print(f"{'figure':34} {'req/s':>9} {'p50':>10} {'p99':>10}  {'ratio req/s':>11}  {'ratio p50':>9}  target")
    for rate in [baseline, *rates]:
        print(
            f"{rate.name:34} {rate.rps:9.1f} {rate.pct(0.5) * 1000:8.2f}ms {rate.pct(0.99) * 1000:8.2f}ms  "
            f"{rate.rps / baseline.rps:11.3f}  {rate.pct(0.5) / baseline.pct(0.5):9.2f}  {rate.target}"
        )
    print(
        f"8 laptops pushing: {storm.rps * 100:.0f} applied mutations per second (target >= 5000), "
        f"p50 {storm.pct(0.5) / baseline.pct(0.5):.1f}x a health request"
    )
    wall = statistics.median(t for t, _, _ in initial)
    server_time = statistics.median(s for _, s, _ in initial)
    print(
        f"initial pull, {initial[0][2]} records: server time {server_time * 1000:.0f} ms "
        f"(target < 1000 ms), wall {wall * 1000:.0f} ms; {wall / baseline.pct(0.5):.0f}x a health request"
    )


def main() -> None:
    try:
        with pg_database() as url:
            print("seeding the large caseload ...", flush=True)
            init_database(url)
            db = Database(url)
            with db.write() as session:
                seed_demo(session, PASSWORD, profile="large")
            seed_laptops(db, CLIENTS)
            db.refresh_statistics()  # as the seed-demo and import commands do
            db.dispose()
            with server(url) as port:
                run(port)
    except Exception as exc:
        print(f"server benchmark could not run: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    main()
