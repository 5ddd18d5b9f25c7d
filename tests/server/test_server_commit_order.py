"""Commit order (design rule 6), proven on real processes: `serve --workers 3` against PostgreSQL.

Several clients push concurrently while another pulls in a loop. Every committed change
must reach the puller, and no change may arrive twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from serverkit import PASSWORD, PROTOCOL, build_world, fresh_schema, new_id, new_row, serve_process

from caseworker_server import admin
from caseworker_server.importer import import_cases

PUSHERS = 3
BATCHES = 25


@pytest.fixture
def pg_url(pg_database: str | None) -> Iterator[str]:
    if pg_database is None:
        pytest.skip("PostgreSQL is unreachable; the multi-worker commit-order test needs it")
    with fresh_schema(pg_database) as url:
        yield url




@pytest.fixture
def server(pg_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    world = build_world(pg_url)
    cases: dict[str, str] = {}
    with world.db.write() as session:
        for n in range(PUSHERS):
            admin.add_user(session, f"pusher{n}", "liaison", PASSWORD, supervisor="supervisor")
            cases[f"pusher{n}"] = new_id()
        import_cases(
            session,
            {
                "cases": [
                    {"id": case_id, "reference": f"P-{name}", "family_name": name, "assigned_to": name}
                    for name, case_id in cases.items()
                ]
            },
        )
    world.client.close()
    world.db.dispose()
    with serve_process(pg_url, "--workers", "3", start_timeout=60) as (base, _process):
        yield base, cases


def login(client: httpx.Client, username: str) -> dict[str, str]:
    response = client.post(
        "/v1/auth/token",
        headers=PROTOCOL,
        json={"username": username, "password": PASSWORD, "device_id": new_id(), "device_name": "test"},
    )
    assert response.status_code == 200, response.text
    return {**PROTOCOL, "Authorization": f"Bearer {response.json()['access_token']}"}


def test_every_committed_change_reaches_a_concurrent_puller_once(server: tuple[str, dict[str, str]]) -> None:
    base, cases = server
    committed: dict[str, int] = {}  # row id -> newest version the server acknowledged
    lock = threading.Lock()
    errors: list[str] = []
    done = threading.Event()

    def pusher(name: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            headers = login(client, name)
            for batch in range(BATCHES):
                rows = [
                    new_row("task", cases[name], title=f"{name} {batch}.{i}", due_on="2026-12-01") for i in range(4)
                ]
                if batch % 3 == 2:  # some edits too, so rows change more than once
                    rows.append(
                        {
                            "mutation_id": new_id(),
                            "entity": "task",
                            "row_id": rows[0]["row_id"],
                            "case_id": cases[name],
                            "base_version": 1,
                            "changes": {"status": {"base": "open", "new": "done"}},
                        }
                    )
                response = client.post("/v1/sync/push", json={"mutations": rows}, headers=headers)
                if response.status_code != 200:
                    errors.append(f"push {response.status_code}")
                    continue
                with lock:
                    for result in response.json()["results"]:
                        if result["status"] in ("applied", "merged"):
                            row_id = result["fields"]["id"]
                            committed[row_id] = max(committed.get(row_id, 0), result["version"])
                        else:
                            errors.append(result["status"])

    threads = [threading.Thread(target=pusher, args=(name,)) for name in cases]
    seen_seqs: set[int] = set()
    held: dict[str, int] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        headers = login(client, "supervisor")
        cursor = 0

        def pull_once() -> None:
            nonlocal cursor
            while True:
                response = client.get("/v1/sync/pull", params={"cursor": cursor, "limit": 50}, headers=headers)
                assert response.status_code == 200, response.text
                page: dict[str, Any] = response.json()
                records = [c for g in page["grants"] for c in g["records"]] + page["changes"]
                for change in records:
                    assert change["seq"] not in seen_seqs, "a change arrived twice"
                    seen_seqs.add(change["seq"])
                    if change["entity"] == "task":
                        held[change["row_id"]] = change["version"]
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    return

        for thread in threads:
            thread.start()
        pulls = 0
        while any(t.is_alive() for t in threads):
            pull_once()
            pulls += 1
        for thread in threads:
            thread.join()
        done.set()
        pull_once()

    assert not errors, errors[:5]
    assert len(committed) == PUSHERS * BATCHES * 4
    assert pulls > 5  # the puller really ran alongside the pushers
    missing = {row for row, version in committed.items() if held.get(row) != version}
    assert not missing, f"{len(missing)} committed changes never reached the puller"
