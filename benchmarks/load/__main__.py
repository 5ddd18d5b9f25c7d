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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
from sqlalchemy import create_engine, text

from benchmarks.load.fleet import FleetError, fleet, missing_tools, require_loopback
from benchmarks.load.provision import provision
from caseworker_server.bootstrap import init_database

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


def cpu_seconds(nodes: list[int], locust: int) -> dict[str, float]:
    """CPU time used so far by PostgreSQL's processes, the nodes (with their workers) and Locust."""
    used = {"postgres": 0.0, "nodes": 0.0, "locust": 0.0}
    for process in psutil.process_iter(["name", "username", "cpu_times"]):
        times = process.info["cpu_times"]
        if times is not None and process.info["username"] == "postgres" and process.info["name"] == "postgres":
            used["postgres"] += times.user + times.system
    for part, pid in [*(("nodes", pid) for pid in nodes), ("locust", locust)]:
        try:
            parent = psutil.Process(pid)
            for process in [parent, *parent.children(recursive=True)]:
                times = process.cpu_times()
                used[part] += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return used


def run_locust(
    url: str, ca_file: Path, users: list[str], laptops: int, args: argparse.Namespace, out: Path, nodes: list[int]
) -> dict[str, Any]:
    prefix = out / f"locust-{laptops}"
    counts_file = out / f"counts-{laptops}"
    env = {
        **os.environ,
        "CASEWORKER_LOAD_PASSWORD": PASSWORD,
        "CASEWORKER_LOAD_INTERVAL": str(args.interval),
        "CASEWORKER_LOAD_USERS": ",".join(users[:laptops]),
        "CASEWORKER_LOAD_CA": str(ca_file),
        "CASEWORKER_LOAD_COUNTS": str(counts_file),
        "CASEWORKER_LOAD_PROCESSES": str(args.processes),
    }
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
        f"{args.spawn_rate:g}",
        "--run-time",
        f"{int(ramp_seconds(laptops, args) + args.minutes * 60)}s",
        "--stop-timeout",
        "30",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--csv-full-history",
    ]
    if args.processes > 1:
        command += ["--processes", str(args.processes)]
    started, clock = time.monotonic(), time.time()
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # CPU of PostgreSQL and of the nodes over the steady part only (a shared PostgreSQL counts others too).
    time.sleep(max(0.0, ramp_seconds(laptops, args)))
    before, steady_started = cpu_seconds(nodes, locust.pid), time.monotonic()
    time.sleep(max(0.0, args.minutes * 60 - 2))
    after, steady_took = cpu_seconds(nodes, locust.pid), time.monotonic() - steady_started
    locust.wait()
    elapsed = time.monotonic() - started
    with open(f"{prefix}_stats_history.csv") as history_file:
        history = list(csv.DictReader(history_file))
    # The everyday syncs over Locust's rolling window while laptops ramp up: where p95 first passes 250 ms.
    passed_at = next(
        (
            row["User Count"]
            for row in history
            if row["Name"] in EVERYDAY and row["95%"] not in ("N/A", "") and float(row["95%"]) > P95_LIMIT_MS
        ),
        None,
    )
    with open(f"{prefix}_failures.csv") as failures_file:
        failures = [
            (f"{row['Method']} {row['Name']}", row["Error"], int(row["Occurrences"]))
            for row in csv.DictReader(failures_file)
        ]
    counts: Counter[str] = Counter()
    requests: list[tuple[float, str, float, bool]] = []
    pushed: list[tuple[float, int]] = []
    for part in out.glob(f"{counts_file.name}.*"):  # one file per Locust process
        logged = json.loads(part.read_text())
        counts.update(logged["counts"])
        requests += [tuple(entry) for entry in logged["requests"]]
        pushed += [tuple(entry) for entry in logged["pushed"]]
    steady_from = clock + ramp_seconds(laptops, args)
    steady_seconds = max(1.0, clock + elapsed - steady_from)
    return {
        "rows": phase_rows(requests, steady_from),
        "elapsed": elapsed,
        "passed_at": passed_at,
        "failures": sorted(failures, key=lambda failure: -failure[2]),
        "counts": counts,
        "steady_rate": sum(n for at, n in pushed if at >= steady_from) / steady_seconds,
        "cpu": {part: (after[part] - before[part]) / steady_took for part in after},  # cores busy
    }


def phase_rows(requests: list[tuple[float, str, float, bool]], steady_from: float) -> list[dict[str, Any]]:
    """Percentiles per request name and phase (ramp-up: laptops starting; steady: all of them syncing)."""
    groups: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    for at, name, ms, ok in requests:
        phase = "steady" if at >= steady_from else "ramp-up"
        groups.setdefault((phase, name), []).append((ms, ok))
    rows = []
    for (phase, name), entries in sorted(groups.items(), key=lambda item: (item[0][0] != "ramp-up", item[0][1])):
        times = sorted(ms for ms, _ok in entries)
        rows.append(
            {
                "phase": phase,
                "name": name,
                "count": len(times),
                "errors": sum(1 for _ms, ok in entries if not ok),
                **{f"p{q}": times[min(len(times) - 1, int(len(times) * q / 100))] for q in (50, 95, 99)},
            }
        )
    return rows


def ramp_seconds(laptops: int, args: argparse.Namespace) -> float:
    """Time for every laptop to start (at --spawn-rate) and make its first sync (about one interval)."""
    return float(laptops / args.spawn_rate + args.interval)


def idle_health_ms(url: str, ca_file: Path) -> float:
    """The baseline of the same run: median GET /v1/health through HAProxy while nothing else runs."""
    timings = []
    with httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=str(ca_file))) as client:
        for _ in range(50):
            started = time.perf_counter()
            client.get("/v1/health")
            timings.append((time.perf_counter() - started) * 1000)
    return float(statistics.median(timings))


def table(results: dict[int, dict[str, Any]], args: argparse.Namespace, baseline: float) -> str:
    lines = [
        f"Load test: HAProxy, two nodes x {args.workers} worker(s), PgBouncer, PostgreSQL on this machine; "
        f"a sync every {args.interval:g} s per laptop. Laptops start at {args.spawn_rate:g}/s (ramp-up: sign-in, "
        f"first sync, one interval), then {args.minutes:g} min with every laptop syncing (steady).",
        f"Baseline: GET /v1/health through HAProxy on the idle fleet, median {baseline:.1f} ms; "
        "each time is followed by its ratio to it.",
        "",
        "| Laptops | Phase | Request | Count | p50 ms | p95 ms | p99 ms | Errors |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for laptops, result in results.items():
        for row in result["rows"]:
            lines.append(
                f"| {laptops} | {row['phase']} | {row['name']} | {row['count']} | {_ms(row['p50'], baseline)} "
                f"| {_ms(row['p95'], baseline)} | {_ms(row['p99'], baseline)} | {row['errors']} |"
            )
    lines += [
        "",
        "| Laptops | Step took | Mutations/s (steady) | CPU cores busy, steady: PostgreSQL / nodes / Locust "
        "| 503 with Retry-After (not errors) | Nodes taken out by HAProxy | Everyday p95 first over 250 ms at |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for laptops, result in results.items():
        over = f"{result['passed_at']} laptops" if result["passed_at"] else "not reached"
        lines.append(
            f"| {laptops} | {result['elapsed']:.0f} s | {result['steady_rate']:.1f} "
            f"| {result['cpu']['postgres']:.2f} / {result['cpu']['nodes']:.2f} / {result['cpu']['locust']:.2f} "
            f"| {result['counts'].get('503_retry_after', 0)} | {result.get('down', 0)} | {over} |"
        )
    failures = [(laptops, *failure) for laptops, result in results.items() for failure in result["failures"]]
    if failures:
        lines += ["", "| Laptops | Request | Error | Times |", "|---:|---|---|---:|"]
        lines += [
            f"| {laptops} | {name} | {error[:100].replace('|', '/')} | {times} |"
            for laptops, name, error, times in failures
        ]
    return "\n".join(lines)


def _health_check_failures(logs: Path) -> int:
    """Times HAProxy took a node out because its health check failed (it answers 503 when none is left)."""
    log = logs / "haproxy.log"
    if not log.exists():
        return 0
    return sum(
        1 for line in log.read_text(errors="replace").splitlines() if line.startswith("[") and " is DOWN" in line
    )


def _ms(value: float, baseline: float) -> str:
    return f"{value:.0f} ({value / baseline:.0f}x)" if baseline > 0 else f"{value:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, nargs="+", default=[100], help="laptops per step (e.g. 100 300 1000)")
    parser.add_argument("--minutes", type=float, default=2.0, help="everyday syncs per step, after the ramp-up")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between two syncs of one laptop")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="laptops started per second")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per node")
    parser.add_argument("--processes", type=int, default=1, help="Locust processes (laptops are split among them)")
    parser.add_argument("--host", default="127.0.0.1", help="where HAProxy listens; loopback only")
    args = parser.parse_args(argv)
    try:
        require_loopback(args.host)
        if args.minutes <= 0 or args.minutes > 60:
            raise FleetError("--minutes must be between 0 and 60.")
        if not 0 < args.spawn_rate <= 100 or max(args.laptops) > 5000 or min(args.laptops) < 1:
            raise FleetError("--spawn-rate is 0-100 a second and --laptops 1-5000: the run stays bounded.")
        if missing_tools():
            raise FleetError(f"{' and '.join(missing_tools())} not installed (apt-get install haproxy pgbouncer)")
        with throwaway_database() as url, tempfile.TemporaryDirectory(prefix="caseworker-load-") as folder:
            started = time.monotonic()
            init_database(url)
            users = provision(url, max(args.laptops), PASSWORD, progress=print)
            print(
                f"Provisioned {len(users)} liaisons with default demo caseloads in {time.monotonic() - started:.0f} s."
            )
            results: dict[int, dict[str, Any]] = {}
            started = time.monotonic()
            with fleet(url, workers=args.workers, folder=Path(folder), host=args.host) as running:
                print(f"Fleet up in {time.monotonic() - started:.0f} s.")
                baseline = idle_health_ms(running.url, running.ca_file)
                node_pids = [node.process.pid for node in running.nodes]
                for laptops in args.laptops:
                    results[laptops] = run_locust(
                        running.url, running.ca_file, users, laptops, args, Path(folder), node_pids
                    )
                    results[laptops]["down"] = _health_check_failures(running.logs) - sum(
                        result.get("down", 0) for result in results.values()
                    )
                    print(f"{laptops} laptops: {results[laptops]['elapsed']:.0f} s.", flush=True)
            print(table(results, args, baseline))
    except FleetError as exc:
        print(f"benchmarks.load: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
