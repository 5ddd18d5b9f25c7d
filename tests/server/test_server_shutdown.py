"""Stopping a node: SIGTERM lets a push under way finish and be answered; SIGKILL mid-push leaves
none of it (a push is one transaction), and sending it again applies it exactly once.

A real `caseworker-server serve` process; the push is held inside its transaction by the
test holding the change-number counter (SQLite: the write lock), as a long batch would be.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from typing import Any

import httpx
from busykit import hold_writes
from serverkit import PASSWORD, PROTOCOL, build_world, new_id, new_row, serve_process
from sqlalchemy import func, select

from caseworker_server.models import Record, RecordHistory

BATCH = 300


def _signed_in(base: str) -> dict[str, str]:
    answer = httpx.post(
        f"{base}/v1/auth/token",
        json={"username": "liaison", "password": PASSWORD, "device_id": new_id(), "device_name": "laptop"},
        headers=PROTOCOL,
    )
    assert answer.status_code == 200, answer.text
    return {**PROTOCOL, "Authorization": f"Bearer {answer.json()['access_token']}"}


def _batch(case_id: str) -> list[dict[str, Any]]:
    return [new_row("task", case_id, title=f"Follow-up call {n}", due_on="2026-12-01") for n in range(BATCH)]


def _push_in_background(
    base: str, headers: dict[str, str], batch: list[dict[str, Any]]
) -> tuple[threading.Thread, list[Any]]:
    answers: list[Any] = []

    def send() -> None:
        try:
            answers.append(httpx.post(f"{base}/v1/sync/push", json={"mutations": batch}, headers=headers, timeout=60))
        except httpx.HTTPError as exc:
            answers.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, answers


def _held_rows(world: Any, batch: list[dict[str, Any]]) -> tuple[int, int]:
    ids = [m["row_id"] for m in batch]
    with world.db.read() as session:
        records = session.execute(select(func.count()).where(Record.entity == "task", Record.id.in_(ids))).scalar_one()
        versions = session.execute(
            select(func.count()).where(RecordHistory.entity == "task", RecordHistory.row_id.in_(ids))
        ).scalar_one()
    return int(records), int(versions)


def test_sigterm_finishes_the_push_under_way_and_answers_it(database_url: str) -> None:
    world = build_world(database_url)
    batch = _batch(world.cases["own"])
    try:
        with serve_process(database_url, env={"CASEWORKER_SHUTDOWN_GRACE_SECONDS": "60"}) as (base, process):
            headers = _signed_in(base)
            with hold_writes(database_url):
                thread, answers = _push_in_background(base, headers, batch)
                time.sleep(1.5)  # the push has arrived and waits inside its transaction
                process.send_signal(signal.SIGTERM)
                time.sleep(1.0)
                assert process.poll() is None  # still finishing the push under way ...
                try:  # ... but no longer taking new requests
                    refused = httpx.get(f"{base}/v1/health", timeout=3).status_code
                except httpx.HTTPError:
                    refused = None
                assert refused is None
            thread.join(60)
            # It exits by itself once the push is answered (uvicorn re-raises the signal it handled).
            assert process.wait(timeout=60) in (0, -signal.SIGTERM)
        (answer,) = answers
        assert isinstance(answer, httpx.Response) and answer.status_code == 200, answer
        assert {r["status"] for r in answer.json()["results"]} == {"applied"}
        assert len(answer.json()["results"]) == BATCH
        assert _held_rows(world, batch) == (BATCH, BATCH)
    finally:
        world.client.close()
        world.db.dispose()


def test_sigkill_mid_push_leaves_none_of_it_and_a_resend_applies_it_once(database_url: str) -> None:
    world = build_world(database_url)
    batch = _batch(world.cases["own"])
    try:
        with serve_process(database_url) as (base, process):
            headers = _signed_in(base)
            with hold_writes(database_url):
                thread, answers = _push_in_background(base, headers, batch)
                time.sleep(1.5)  # the push is under way, held before its commit
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
            thread.join(60)
        assert isinstance(answers[0], httpx.HTTPError)  # the laptop never got an answer ...
        assert _held_rows(world, batch) == (0, 0)  # ... and nothing of the batch was kept

        with serve_process(database_url) as (base, _process):
            headers = _signed_in(base)
            first = httpx.post(f"{base}/v1/sync/push", json={"mutations": batch}, headers=headers, timeout=60)
            again = httpx.post(f"{base}/v1/sync/push", json={"mutations": batch}, headers=headers, timeout=60)
        assert first.status_code == again.status_code == 200
        assert {r["status"] for r in first.json()["results"]} == {"applied"}
        assert len(again.json()["results"]) == BATCH  # answered from the record ...
        assert _held_rows(world, batch) == (BATCH, BATCH)  # ... and applied exactly once
    finally:
        world.client.close()
        world.db.dispose()


def test_serve_refuses_a_setting_that_is_not_a_number(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caseworker_server.cli", "--database-url", f"sqlite:///{tmp_path / 's.db'}", "serve"],
        env={"CASEWORKER_MAX_CONCURRENT_PUSHES": "many", "CASEWORKER_SERVER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "CASEWORKER_MAX_CONCURRENT_PUSHES must be a number" in result.stderr
