"""Load test of the several-node recipe: `python -m benchmarks.load --laptops 100 300 1000 --minutes 2`.

Starts HAProxy -> two nodes -> PgBouncer -> a throw-away PostgreSQL database on this machine from the
files in deploy/ (benchmarks/load/fleet.py), gives each simulated laptop its own liaison with a caseload
sized like the default demo, runs Locust headless for a bounded time per step, and prints a Markdown
table: p50/p95/p99 per endpoint, errors, 503s with Retry-After (apart), mutations per second, and the
number of laptops at which the p95 of all requests first passed 250 ms while the laptops ramped up.

Time is compressed: a laptop syncs every --interval seconds (60 by default) instead of every few
minutes, so 100 laptops here load the server like 300-500 laptops in the field. Loopback only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from benchmarks.load.fleet import FleetError, fleet, missing_tools, require_loopback
from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.codec import encode
from caseworker_app.domain.entities import ENTITY_NAMES
from caseworker_server import access, admin, auth
from caseworker_server.bootstrap import init_database
from caseworker_server.changelog import ChangeSet, bulk_insert
from caseworker_server.db import Database
from caseworker_server.reference import put_school

PG_ADMIN_URL = os.environ.get("CASEWORKER_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "load test otter lantern"
P95_LIMIT_MS = 250
EVERYDAY = ("/v1/sync/pull", "/v1/sync/push")
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@contextmanager
def throwaway_database() -> Iterator[str]:
    name = f"caseworker_load_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def provision(url: str, laptops: int) -> list[str]:
    """One liaison per laptop, each with a caseload like the default demo's (as `seed-demo` builds it)."""
    init_database(url)
    db = Database(url)
    names = [f"load-{n:04d}" for n in range(laptops)]
    # Every simulated laptop shares one password: hash it once, not once per liaison.
    shared_hash = auth.hash_password(PASSWORD)
    try:
        with patch.object(auth, "hash_password", lambda _password: shared_hash):
            with db.write() as session:
                admin.add_user(session, "load-supervisor", "supervisor", PASSWORD)
            for n, name in enumerate(names):
                with db.write() as session:
                    _liaison_with_caseload(session, name, seed=1000 + n)
    finally:
        db.dispose()
    return names


def _liaison_with_caseload(session: Session, name: str, seed: int) -> None:
    user = admin.add_user(session, name, "liaison", PASSWORD, supervisor="load-supervisor")
    caseload = generate_caseload("default", seed=seed, worker=name)
    changes = ChangeSet()
    for school in caseload.schools:
        put_school(session, changes, school.id, school.name, school.district)
    changes.stamp(session)
    bulk_insert(session, [(ENTITY_NAMES[type(r)], r.id, r.case_id, encode(r)) for r in caseload.records()])
    for case in caseload.cases:
        assigned = ChangeSet()
        access.assign_case(session, assigned, case.id, user, "load-test")
        assigned.stamp(session)


def run_locust(
    url: str, ca_file: Path, users: list[str], laptops: int, args: argparse.Namespace, out: Path
) -> dict[str, Any]:
    prefix = out / f"locust-{laptops}"
    counts = out / f"counts-{laptops}.json"
    env = {
        **os.environ,
        "CASEWORKER_LOAD_PASSWORD": PASSWORD,
        "CASEWORKER_LOAD_INTERVAL": str(args.interval),
        "CASEWORKER_LOAD_USERS": ",".join(users[:laptops]),
        "CASEWORKER_LOAD_CA": str(ca_file),
        "CASEWORKER_LOAD_COUNTS": str(counts),
    }
    spawn_rate = max(1.0, laptops / max(1.0, args.minutes * 60 / 2))  # everyone signed in by half-time
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(laptops),
        "-r",
        f"{spawn_rate:.2f}",
        "--run-time",
        f"{int(args.minutes * 60)}s",
        "--stop-timeout",
        "30",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--csv-full-history",
    ]
    started = time.monotonic()
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    with open(f"{prefix}_stats.csv") as stats_file:
        stats = list(csv.DictReader(stats_file))
    with open(f"{prefix}_stats_history.csv") as history_file:
        history = list(csv.DictReader(history_file))
    # The everyday syncs (not the sign-in, the first sync or the day-offline push), over locust's rolling window.
    passed_at = next(
        (
            row["User Count"]
            for row in history
            if row["Name"] in EVERYDAY and row["95%"] not in ("N/A", "") and float(row["95%"]) > P95_LIMIT_MS
        ),
        None,
    )
    totals = json.loads(counts.read_text()) if counts.exists() else {}
    return {"stats": stats, "elapsed": elapsed, "passed_at": passed_at, "counts": totals}


def idle_health_ms(url: str, ca_file: Path) -> float:
    """The baseline of the same run: median GET /v1/health through HAProxy while nothing else runs."""
    timings = []
    with httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=str(ca_file))) as client:
        for _ in range(50):
            started = time.perf_counter()
            client.get("/v1/health")
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def table(results: dict[int, dict[str, Any]], args: argparse.Namespace, baseline: float) -> str:
    lines = [
        f"Load test: two nodes behind HAProxy, PgBouncer, PostgreSQL on this machine; a sync every "
        f"{args.interval:g} s per laptop (time-compressed from every few minutes), {args.minutes:g} min per step.",
        f"Baseline: GET /v1/health through HAProxy on the idle fleet, median {baseline:.1f} ms "
        "(p95 x baseline in the table).",
        "",
        "| Laptops | Endpoint | Requests | p50 ms | p95 ms | p99 ms | p95 x baseline | Errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for laptops, result in results.items():
        for row in result["stats"]:
            lines.append(
                f"| {laptops} | {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} | {row['Request Count']} "
                f"| {row['50%']} | {row['95%']} | {row['99%']} | {_ratio(row['95%'], baseline)} "
                f"| {row['Failure Count']} |"
            )
    lines += [
        "",
        "| Laptops | Mutations/s | 503 with Retry-After | p95 first over 250 ms at |",
        "|---:|---:|---:|---:|",
    ]
    for laptops, result in results.items():
        rate = result["counts"].get("mutations", 0) / result["elapsed"]
        over = f"{result['passed_at']} laptops" if result["passed_at"] else "not reached"
        lines.append(f"| {laptops} | {rate:.1f} | {result['counts'].get('503_retry_after', 0)} | {over} |")
    return "\n".join(lines)


def _ratio(value: str, baseline: float) -> str:
    return f"{float(value) / baseline:.0f}" if value not in ("N/A", "") and baseline > 0 else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, nargs="+", default=[100], help="laptops per step (e.g. 100 300 1000)")
    parser.add_argument("--minutes", type=float, default=2.0, help="run time of each step (bounded)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between two syncs of one laptop")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per node")
    parser.add_argument("--host", default="127.0.0.1", help="where HAProxy listens; loopback only")
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
        if args.minutes <= 0 or args.minutes > 60:
            raise FleetError("--minutes must be between 0 and 60.")
        if missing_tools():
            raise FleetError(f"{' and '.join(missing_tools())} not installed (apt-get install haproxy pgbouncer)")
        with throwaway_database() as url, tempfile.TemporaryDirectory(prefix="caseworker-load-") as folder:
            started = time.monotonic()
            users = provision(url, max(args.laptops))
            print(
                f"Provisioned {len(users)} liaisons with default demo caseloads in {time.monotonic() - started:.0f} s."
            )
            results: dict[int, dict[str, Any]] = {}
            with fleet(url, workers=args.workers, folder=Path(folder), host=args.host) as running:
                baseline = idle_health_ms(running.url, running.ca_file)
                for laptops in args.laptops:
                    results[laptops] = run_locust(running.url, running.ca_file, users, laptops, args, Path(folder))
            print(table(results, args, baseline))
    except FleetError as exc:
        print(f"benchmarks.load: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
