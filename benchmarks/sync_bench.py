"""Client sync end to end on loopback against the server on PostgreSQL.

Initial sync of the large caseload (300 cases, about 20,000 records) as records
per second, against a baseline of the same pages (the engine's page sizes) merely
downloaded and decoded, nothing applied; the two alternate, fresh laptop after
fresh laptop, so a busy machine slows both alike (target: sync >= 0.85 x raw).
Then an incremental sync with 10 changes on the large and on the default profile,
whose ratio large / default shows whether the cost follows the changes (<= 1.2).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from benchmarks.common import Figure, print_figures
from benchmarks.server_bench import PASSWORD, PROTOCOL, pg_database, server
from caseworker_app.domain import Task
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import engine as sync_engine
from caseworker_app.sync.engine import SyncEngine
from caseworker_app.sync.enroll import enroll
from caseworker_server.bootstrap import init_database
from caseworker_server.db import Database
from caseworker_server.demo import seed_demo

REPEAT = 15
INITIAL_RUNS = 5


def machine_cpu() -> float:
    """CPU seconds spent so far by every process on this machine (all cores): the server, PostgreSQL
    and the client share them here, so a run's total says how far any overlap could take it."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def raw_pull(base: str, username: str) -> tuple[int, float, float]:
    """The baseline: every page of the caseload fetched and decoded, nothing applied.
    (records, seconds, machine CPU seconds)."""
    with httpx.Client(base_url=base, headers=PROTOCOL, timeout=60) as client:
        token = client.post(
            "/v1/auth/token",
            json={
                "username": username,
                "password": PASSWORD,
                "device_id": "00000000-0000-4000-8000-000000000001",
                "device_name": "bench",
            },
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        start, machine = time.perf_counter(), machine_cpu()
        cursor, records, limit = 0, 0, sync_engine.FIRST_PULL_PAGE
        while True:
            page = client.get("/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers=headers).json()
            limit = sync_engine.PULL_PAGE
            records += len(page["changes"]) + sum(len(g["records"]) for g in page["grants"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return records, time.perf_counter() - start, machine_cpu() - machine


@dataclass
class FirstSync:
    store: LocalStore
    seconds: float
    pulled: int
    client_cpu: float  # this process only
    machine_cpu: float  # every process: the server and PostgreSQL too


def enrolled_store(home: Path, base: str, username: str) -> FirstSync:
    """A fresh laptop after its first sync."""
    store = LocalStore.create(home, "benchmark passphrase", worker=username)
    enroll(store, base, username, PASSWORD)
    engine = SyncEngine(store)
    start, cpu, machine = time.perf_counter(), time.process_time(), machine_cpu()
    report = engine.run()
    elapsed, cpu, machine = time.perf_counter() - start, time.process_time() - cpu, machine_cpu() - machine
    engine.transport.close()
    return FirstSync(store, elapsed, report.pulled, cpu, machine)


def incremental(store: LocalStore) -> list[float]:
    engine = SyncEngine(store)
    tasks = store.repo.all(Task)[:10]
    samples = []
    for n in range(REPEAT + 2):
        for task in tasks:
            task.title = f"Follow up, round {n}"
            task.due_on = date(2027, 1, 1) + timedelta(days=n)
            store.repo.save(task)
        start = time.perf_counter()
        report = engine.run()
        samples.append(time.perf_counter() - start)
        assert report.results == {"applied": 10}, report.results
    engine.transport.close()
    return samples[2:]  # the first runs warm the connection and caches


def run() -> list[Figure]:
    with pg_database() as url, tempfile.TemporaryDirectory() as tmp:
        init_database(url)
        db = Database(url)
        with db.write() as session:
            seed_demo(session, PASSWORD, profile="large")
        db.refresh_statistics()  # as the seed-demo and import commands do
        db.dispose()
        with server(url) as port:
            base = f"http://127.0.0.1:{port}"
            raw_pull(base, "liaison")  # warms the server's caches for both
            raw: list[float] = []
            initial: list[float] = []
            client_cpu: list[float] = []
            machine_raw: list[float] = []
            machine_sync: list[float] = []
            for n in range(INITIAL_RUNS):  # fresh laptops; the last one stays for the incremental runs
                raw_records, raw_seconds, raw_machine = raw_pull(base, "liaison")
                machine_raw.append(raw_machine)
                raw.append(raw_seconds)
                first = enrolled_store(Path(tmp) / f"first-{n}", base, "liaison")
                pulled = first.pulled
                machine_sync.append(first.machine_cpu)
                initial.append(first.seconds)
                client_cpu.append(first.client_cpu)
                if n < INITIAL_RUNS - 1:
                    first.store.close()
            large = first.store
            small = enrolled_store(Path(tmp) / "default", base, "liaison2").store
            large_inc = incremental(large)
            small_inc = incremental(small)
            large.close()
            small.close()
    seconds, raw_median = statistics.median(initial), statistics.median(raw)
    rate, raw_rate = pulled / seconds, raw_records / raw_median
    # Each laptop's rate over the raw rate measured just before it.
    pairs = sorted((pulled / s) / (raw_records / r) for s, r in zip(initial, raw, strict=True))
    print(
        f"\ninitial sync ({INITIAL_RUNS} fresh laptops): {pulled} records in {seconds:.2f} s (median; "
        f"{min(initial):.2f}-{max(initial):.2f} s) = {rate:,.0f} records/s; raw pages without applying, "
        f"alternating with them: {raw_median:.2f} s ({min(raw):.2f}-{max(raw):.2f} s) = {raw_rate:,.0f} records/s; "
        f"ratio {rate / raw_rate:.2f} of the download rate (each pair: {', '.join(f'{p:.2f}' for p in pairs)}; "
        "target >= 0.85)"
    )
    # With two cores the client's own work competes with the server's: the ratio follows it.
    print(
        f"client CPU per first sync: {statistics.median(client_cpu):.2f} s (median; "
        f"{min(client_cpu):.2f}-{max(client_cpu):.2f} s), against {raw_median:.2f} s of raw download"
    )
    cores, busy = os.cpu_count() or 1, statistics.median(machine_sync)
    print(
        f"machine CPU (server, PostgreSQL and client together): {statistics.median(machine_raw):.2f} s per raw "
        f"download, {busy:.2f} s per first sync; on {cores} cores no overlap brings the sync under "
        f"{busy / cores:.2f} s, a ratio of at most {raw_median / max(busy / cores, 1e-9):.2f}"
    )
    small_ms, large_ms = statistics.median(small_inc), statistics.median(large_inc)
    print(
        f"incremental sync, 10 changes: default profile {small_ms * 1000:.1f} ms, large profile "
        f"{large_ms * 1000:.1f} ms, ratio {large_ms / small_ms:.2f} (target <= 1.2)"
    )
    return [
        Figure(
            "initial sync, large caseload (per record)",
            [s / pulled for s in initial],
            "raw pull per record",
            1 / raw_rate,
            f"<= 1.18 x raw, i.e. >= 0.85 of its rate (got {rate / raw_rate:.2f})",
        ),
        Figure(
            "incremental sync, 10 changes, default profile", small_inc, "same", statistics.median(small_inc), "< 50 ms"
        ),
        Figure(
            "incremental sync, 10 changes, large profile",
            large_inc,
            "default profile",
            statistics.median(small_inc),
            "< 50 ms, ratio <= 1.2",
        ),
    ]


def main() -> None:
    print_figures("Client sync on loopback, server on PostgreSQL", run())


if __name__ == "__main__":
    main()
