"""A busy server (503 + Retry-After) is obeyed: the laptop says so, waits as told, then sends.

The server is made busy for real: another laptop's push holds the node's only push slot,
waiting inside its transaction for the database write lock the test holds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from typing import Any

import httpx
import pytest

from caseworker_app.domain import Task
from caseworker_app.services.sync import run_once
from caseworker_app.services.sync_status import SERVER_BUSY, SyncStatus
from caseworker_app.store import queries
from caseworker_app.sync.errors import Cancelled, ServerBusy
from caseworker_server.admission import PushGate
from caseworker_server.config import Settings
from caseworker_server.models import Record

PROTOCOL = {"X-Caseworker-Protocol": "1"}


def _busy_after(agency: Any, seconds: int) -> PushGate:
    """One push slot, a short queue wait, and Retry-After fixed at `seconds`."""
    gate = PushGate(
        Settings(
            max_concurrent_pushes=1,
            push_queue_wait_seconds=0.1,
            retry_after_min_seconds=seconds,
            retry_after_max_seconds=seconds,
        )
    )
    agency.server.app.state.gate = gate
    return gate


@contextmanager
def _slot_taken(agency: Any, gate: PushGate) -> Iterator[threading.Event]:
    """Another laptop's push holds the only slot until the event is set (or the block ends)."""
    base = agency.server.url
    token = httpx.post(
        f"{base}/v1/auth/token",
        json={"username": "liaison2", "password": agency.password, "device_id": str(uuid.uuid4()), "device_name": "x"},
        headers=PROTOCOL,
    ).json()["access_token"]
    release = threading.Event()
    answered: list[int] = []
    path = agency.server.database_url.removeprefix("sqlite:///")

    def other_push() -> None:
        conn = sqlite3.connect(path, isolation_level=None)  # the write lock, taken outside the server
        try:
            conn.execute("BEGIN IMMEDIATE")
            holder = threading.Thread(
                target=lambda: answered.append(
                    httpx.post(
                        f"{base}/v1/sync/push",
                        json={"mutations": []},
                        headers={**PROTOCOL, "Authorization": f"Bearer {token}"},
                        timeout=60,
                    ).status_code
                )
            )
            holder.start()
            release.wait(60)
            conn.execute("ROLLBACK")
            holder.join(60)
        finally:
            conn.close()

    thread = threading.Thread(target=other_push)
    thread.start()
    deadline = time.monotonic() + 20
    while gate.running < 1:
        assert time.monotonic() < deadline, "the other push never took the slot"
        time.sleep(0.02)
    try:
        yield release
    finally:
        release.set()
        thread.join(60)
    assert answered == [200]  # the push that held the slot was finished and answered


def _task(agency: Any, device: Any) -> Task:
    task = Task(case_id=agency.case_id, title="Call the school nurse", due_on=date(2026, 12, 1))
    device.store.repo.save(task)
    return task


def _on_server(agency: Any, task: Task) -> bool:
    with agency.server.db.read() as session:
        return session.get(Record, ("task", task.id)) is not None


class Crowd:
    """Takes the node's only push slot (another laptop's held push) when the laptop starts sending:
    after it signed in, as a laptop arriving at a crowded node would find it."""

    def __init__(self, agency: Any, gate: PushGate) -> None:
        self.agency, self.gate = agency, gate
        self.release: threading.Event | None = None
        self._stack = ExitStack()

    def progress(self, _fraction: float, message: str) -> None:
        if message.startswith("Sending") and self.release is None:
            self.release = self._stack.enter_context(_slot_taken(self.agency, self.gate))

    def __enter__(self) -> Crowd:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()


def test_the_laptop_says_the_server_is_busy_waits_as_told_then_sends(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine")
    task = _task(agency, device)
    said: list[str] = []
    with Crowd(agency, _busy_after(agency, 1)) as crowd:

        def progress(fraction: float, message: str) -> None:
            said.append(message)
            crowd.progress(fraction, message)
            if "busy" in message and crowd.release is not None:
                threading.Timer(0.5, crowd.release.set).start()  # the other push ends meanwhile

        started = time.monotonic()
        outcome = run_once(device.store, progress=progress)
        spent = time.monotonic() - started

    assert "The server is busy, trying again in 1 s." in said
    assert spent >= 1.0  # it waited the seconds it was given before sending again
    assert outcome.report is not None and outcome.report.results == {"applied": 1}
    assert queries.outbox_size(device.store.db) == 0
    assert _on_server(agency, task)


def test_cancel_stops_the_wait_at_once_and_nothing_is_lost(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine")
    task = _task(agency, device)
    cancel = threading.Event()
    said: list[str] = []
    with Crowd(agency, _busy_after(agency, 60)) as crowd:

        def progress(fraction: float, message: str) -> None:
            said.append(message)
            crowd.progress(fraction, message)
            if "busy" in message:
                threading.Timer(0.3, cancel.set).start()

        started = time.monotonic()
        with pytest.raises(Cancelled):
            run_once(device.store, progress=progress, cancel=cancel)
        assert time.monotonic() - started < 10  # not the 60 s it was told
    assert any(m.startswith(("The server is busy, trying again in 6", "The server is busy, trying again in 7"))
               for m in said)  # 60 s plus jitter
    assert queries.outbox_size(device.store.db) == 1 and not _on_server(agency, task)

    run_once(device.store)  # the server is free again: the change goes, once
    assert queries.outbox_size(device.store.db) == 0 and _on_server(agency, task)


def test_a_server_busy_past_the_runs_patience_keeps_every_change(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine")
    task = _task(agency, device)
    with Crowd(agency, _busy_after(agency, 1)) as crowd:
        engine = device.engine(busy_retries=1)
        try:
            with pytest.raises(ServerBusy, match="busy; your changes are kept"):
                engine.run(progress=crowd.progress)
        finally:
            engine.transport.close()
    assert queries.outbox_size(device.store.db) == 1 and not _on_server(agency, task)
    device.sync()
    assert _on_server(agency, task)


def test_the_status_of_a_run_that_gave_up_on_a_busy_server_says_so() -> None:
    status = SyncStatus(
        enrolled=True, server="https://sync.example", waiting=2, refused=0, conflicts=0,
        last_success=None, problem="busy", problem_text=None,
    )
    assert status.state == SERVER_BUSY
    assert status.headline() == "The sync server is busy; your changes are kept and go at the next try"
    assert status.others() == ["2 waiting"]
