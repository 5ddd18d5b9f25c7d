"""Sync runs side by side: a rotated refresh token, one run per profile, edits made during a run."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from caseworker_app.domain import Task
from caseworker_app.services.sync import describe
from caseworker_app.store import queries
from caseworker_app.sync.errors import SyncRunning
from caseworker_app.sync.run_lock import RunLock
from caseworker_server.models import Record, Token, utcnow


def test_a_long_lived_engine_uses_the_refresh_token_another_run_rotated(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    background = device.engine()  # the window's engine, made when the window opened
    try:
        device.sync()  # a run from the terminal rotates the refresh token
        # ... an hour ago: the spent token's grace (for lost answers) is long over.
        agency.admin(
            lambda s: s.execute(
                update(Token).where(Token.revoked_at.isnot(None)).values(revoked_at=utcnow() - timedelta(hours=1))
            )
        )
        background.run()  # signed in with the token in the store, not the one it started with
    finally:
        background.transport.close()
    device.sync()  # and still signed in afterwards


def test_a_second_run_on_the_same_profile_says_a_sync_is_running(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    device.store.repo.save(Task(case_id=agency.case_id, title="Call the nurse", due_on=date(2026, 12, 1)))
    with RunLock(device.home):  # another run (another process or thread) is under way
        with pytest.raises(SyncRunning, match="already running"):
            device.sync()
        assert queries.outbox_size(device.store.db) == 1  # nothing touched

        waiting = threading.Thread(target=lambda: device.engine().run(wait=30))
        waiting.start()  # a run that may wait ...
        waiting.join(0.5)
        assert waiting.is_alive()  # ... waits for the lock
    waiting.join(30)
    assert queries.outbox_size(device.store.db) == 0  # and then ran


def _edit_during(device, agency, times: int):  # type: ignore[no-untyped-def]
    """A progress callback that records a task while the run is receiving (as a person at the keyboard)."""
    made: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        if len(made) < times and message.startswith(("Received", "Sending")):
            task = Task(case_id=agency.case_id, title=f"Written during sync {len(made)}", due_on=date(2026, 12, 2))
            device.store.repo.save(task)
            made.append(task.id)

    return progress, made


def _on_server(agency, row_id: str) -> bool:  # type: ignore[no-untyped-def]
    return agency.admin(lambda s: s.get(Record, ("task", row_id))) is not None


def test_an_edit_made_during_a_run_goes_up_in_the_same_run(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    progress, made = _edit_during(device, agency, times=1)
    engine = device.engine()
    try:
        report = engine.run(progress)
    finally:
        engine.transport.close()
    assert len(made) == 1 and _on_server(agency, made[0])
    assert queries.outbox_size(device.store.db) == 0 and report.waiting == 0


def test_a_run_that_cannot_send_an_edit_says_it_goes_next_time(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    progress, made = _edit_during(device, agency, times=2)  # the second lands during the extra push
    last: list[str] = []
    engine = device.engine()
    try:
        report = engine.run(lambda f, m: (progress(f, m), last.append(m)))
    finally:
        engine.transport.close()
    assert len(made) == 2 and _on_server(agency, made[0]) and not _on_server(agency, made[1])
    assert report.waiting == 1
    assert last[-1] == "Up to date, 1 change made during the sync will go next time"
    assert "1 change made during the sync will go next time" in describe(report)
    assert queries.outbox_size(device.store.db) == 1
