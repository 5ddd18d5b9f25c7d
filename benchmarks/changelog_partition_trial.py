"""Partitioning the change log: pull range scans and month pruning, flat table against monthly partitions.

`python -m benchmarks.changelog_partition_trial [ROWS]`: in a throw-away database on the local
PostgreSQL (CASEWORKER_BENCH_PG, default postgres@127.0.0.1), loads ROWS rows (default
1,200,000: 12 "months" of change numbers) into a table shaped like `records` and into the same
rows partitioned by RANGE (seq), one partition per month; runs a pull page for a 30-case
caseload at three cursors, and prunes a month both ways. Every partitioned figure is printed
with its ratio to the flat table measured in the same run. See docs/scaling.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from typing import Any

import psycopg

ADMIN = os.environ.get("CASEWORKER_BENCH_PG", "host=127.0.0.1 user=postgres dbname=postgres")
MONTHS = 12
CASES = 3000
PULL = (
    "SELECT seq, entity, id, case_id, version, fields FROM {table} "
    "WHERE seq > %s AND case_id = ANY(%s) ORDER BY seq LIMIT 5001"
)


def load(conn: psycopg.Connection[Any], rows: int) -> None:
    month = rows // MONTHS
    conn.execute(
        "CREATE TABLE rec_flat (entity varchar(32), id varchar(36), case_id varchar(36), version int, seq bigint,"
        " fields text, PRIMARY KEY (entity, id))"
    )
    conn.execute(
        "INSERT INTO rec_flat SELECT 'task', md5(g::text), 'case-' || (g %% %s), 1, g,"
        ' \'{"title":"Follow-up call \' || g || \'","due_on":"2026-12-01","notes":"\' || repeat(\'x\', 150) || \'"}\''
        " FROM generate_series(1, %s) g",
        (CASES, rows),
    )
    conn.execute("CREATE INDEX ON rec_flat (case_id, seq)")
    conn.execute("CREATE INDEX ON rec_flat (seq)")
    conn.execute(
        "CREATE TABLE rec_part (entity varchar(32), id varchar(36), case_id varchar(36), version int, seq bigint,"
        " fields text) PARTITION BY RANGE (seq)"
    )
    for m in range(MONTHS):
        conn.execute(
            f"CREATE TABLE rec_part_m{m} PARTITION OF rec_part"
            f" FOR VALUES FROM ({m * month + 1}) TO ({(m + 1) * month + 1})"
        )
    conn.execute("INSERT INTO rec_part SELECT * FROM rec_flat")
    conn.execute("CREATE INDEX ON rec_part (case_id, seq)")
    conn.execute("CREATE INDEX ON rec_part (seq)")
    conn.execute("VACUUM ANALYZE rec_flat")
    conn.execute("VACUUM ANALYZE rec_part")


def pull_ms(conn: psycopg.Connection[Any], table: str, cursor: int, cases: list[str]) -> tuple[float, int]:
    times: list[float] = []
    scanned = 0
    for _ in range(7):
        plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + PULL.format(table=table), (cursor, cases)).fetchone()[
            0
        ][0]  # type: ignore[index]
        times.append(float(plan["Execution Time"]))
        stack, names = [plan["Plan"]], set()
        while stack:
            node = stack.pop()
            if node.get("Relation Name"):
                names.add(node["Relation Name"])
            stack.extend(node.get("Plans", []))
        scanned = len(names)
    return statistics.median(times), scanned


def prune_ms(conn: psycopg.Connection[Any], month: int) -> tuple[float, float]:
    with conn.transaction(force_rollback=True):
        started = time.perf_counter()
        conn.execute("DELETE FROM rec_flat WHERE seq <= %s", (month,))
        delete = (time.perf_counter() - started) * 1000
    with conn.transaction(force_rollback=True):
        started = time.perf_counter()
        conn.execute("ALTER TABLE rec_part DETACH PARTITION rec_part_m0")
        conn.execute("DROP TABLE rec_part_m0")
        detach = (time.perf_counter() - started) * 1000
    return delete, detach


def main(rows: int = 1_200_000) -> None:
    name = f"caseworker_partition_trial_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(ADMIN.replace("dbname=postgres", f"dbname={name}"), autocommit=True) as conn:
            started = time.perf_counter()
            load(conn, rows)
            print(f"loaded {rows:,} rows twice in {time.perf_counter() - started:.1f} s")
            cases = [f"case-{n}" for n in range(0, CASES, CASES // 30)]
            month = rows // MONTHS
            for label, cursor in (
                ("incremental pull (last 1% of changes)", rows - rows // 100),
                ("pull one month back", rows - month),
                ("first pull (cursor 0)", 0),
            ):
                flat, _ = pull_ms(conn, "rec_flat", cursor, cases)
                part, scanned = pull_ms(conn, "rec_part", cursor, cases)
                print(
                    f"{label:40s} flat {flat:8.2f} ms  partitioned {part:8.2f} ms  ratio {part / flat:4.2f}"
                    f"  ({scanned} of {MONTHS} partitions read)"
                )
            delete, detach = prune_ms(conn, month)
            print(
                f"{'prune one month':40s} DELETE {delete:8.1f} ms  DETACH+DROP {detach:8.1f} ms"
                f"  ratio {detach / delete:5.3f}"
            )
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_200_000)
