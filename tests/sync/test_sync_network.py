"""Sync over real networks: compressed bodies, proxies and captive portals, revoked devices and cases."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from caseworker_app.cli import sync as cli_sync
from caseworker_app.domain import Note, Task
from caseworker_app.services.sync import rejected_changes
from caseworker_app.store import queries
from caseworker_app.sync import apply
from caseworker_app.sync.enroll import enroll
from caseworker_app.sync.errors import NoServer, SignInRequired
from caseworker_app.sync.state import SyncState
from caseworker_server import admin
from caseworker_server import cli as server_cli
from caseworker_server.models import Record


def test_reconcile_of_a_large_profile_goes_through_the_real_server(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("large", "liaison")
    for n in range(80):
        device.store.repo.save(Task(case_id=agency.case_id, title=f"Follow-up {n}", due_on=date(2026, 12, 1)))
    assert device.sync().results == {"applied": 80}
    with device.store.db.reading() as session:
        assert len(apply.held_rows(session)) > 80  # a held-record list well over the 2 KB gzip threshold

    engine = device.engine()
    try:
        assert engine.reconcile() == 0  # the server read the gzipped list and found everything in place
    finally:
        engine.transport.close()


@pytest.mark.parametrize("answer", ["portal", "http_502", "http_503"])
def test_a_captive_portal_or_proxy_is_network_but_no_server(agency, laptop, answer: str) -> None:  # type: ignore[no-untyped-def]
    device = laptop("road", "liaison", via_proxy=True)
    device.store.repo.save(Task(case_id=agency.case_id, title="Call the school", due_on=date(2026, 12, 1)))
    proxy = agency.through_proxy()
    for _ in range(6):  # more than the transport's retries
        proxy.inject(answer)
    with pytest.raises(NoServer, match="not the sync server"):
        device.sync()
    assert queries.outbox_size(device.store.db) == 1  # kept for later


def test_watch_says_no_server_once_backs_off_with_a_cap_and_recovers(agency, laptop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = laptop("road", "liaison", via_proxy=True)
    proxy = agency.through_proxy()
    failing_runs = 7
    for _ in range(failing_runs):
        proxy.inject("portal", "/v1/auth/refresh")  # each run fails at its first request
    said: list[str] = []
    pauses: list[float] = []

    def pause(seconds: float) -> bool:
        pauses.append(seconds)
        return len(pauses) > failing_runs  # stop after the first good run's interval

    monkeypatch.setattr("caseworker_app.cli.sync.MAX_OFFLINE_WAIT", 60.0)
    assert cli_sync.watch(device.store, pause=pause, say=said.append, rng=random.Random(7)) == 0

    no_server = [line for line in said if "not the sync server" in line]
    assert len(no_server) == 1  # said once, in plain words
    assert any("answers again" in line for line in said) and "Synced" in said[-1]
    backoff = pauses[:failing_runs]
    assert 5 * 0.75 <= backoff[0] <= 5 * 1.25
    assert all(b <= 60.0 for b in backoff) and backoff[-1] >= 60.0 * 0.75  # capped, still jittered
    assert backoff[3] > 2 * backoff[0]  # growing
    assert pauses[-1] == cli_sync.WATCH_INTERVAL


def test_a_revoked_laptop_is_told_what_to_ask_and_enrolls_again_once_enabled(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    device_id = SyncState.load(device.store).device_id
    agency.admin(admin.revoke_device, device_id)
    with pytest.raises(SignInRequired, match=f"caseworker-server device enable {device_id} --user liaison"):
        device.sync()
    with pytest.raises(SignInRequired, match="Ask IT to enable the device"):
        enroll(device.store, device.url, "liaison", agency.password)

    assert server_cli.main(["--database-url", agency.server.database_url, "device", "enable", device_id]) == 0
    enroll(device.store, device.url, "liaison", agency.password)
    device.sync()


def test_a_disabled_account_is_told_what_to_ask_and_enrolls_again_once_enabled(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    agency.admin(admin.set_disabled, "liaison")
    with pytest.raises(SignInRequired, match="caseworker-server user enable liaison"):
        device.sync()
    # Signing in with the password says no more than a wrong password would (no oracle).
    with pytest.raises(SignInRequired, match="Wrong username or password"):
        enroll(device.store, device.url, "liaison", agency.password)
    assert server_cli.main(["--database-url", agency.server.database_url, "user", "enable", "liaison"]) == 0
    # Disabling ended the laptop's session for good: enabling revives nothing, it enrolls again.
    with pytest.raises(SignInRequired):
        device.sync()
    enroll(device.store, device.url, "liaison", agency.password)
    device.sync()


def test_edits_of_a_case_revoked_between_push_and_pull_go_up_first(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("old", "liaison")
    device.store.repo.save(Task(case_id=agency.case_id, title="Sent in the push", due_on=date(2026, 12, 1)))
    agency.admin(admin.assign, agency.case_id, "liaison2")
    late = Task(case_id=agency.case_id, title="Written after the push", due_on=date(2026, 12, 2))

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("Sending") and not late.version and queries.outbox_size(device.store.db) == 1:
            device.store.repo.save(late)  # the batch is already out; this edit misses the push

    engine = device.engine()
    try:
        report = engine.run(progress)
    finally:
        engine.transport.close()
    assert report.revoked == [agency.case_id]
    # Both went up before the purge; the case is no longer this worker's, so the server adds
    # neither to it, and both stay on the laptop as refused changes, in words a person can act on.
    assert agency.admin(lambda s: s.get(Record, ("task", late.id))) is None
    assert queries.outbox_size(device.store.db) == 0
    kept = rejected_changes(device.store)
    assert {k["row_id"] for k in kept} >= {late.id}
    assert all("no longer have access" in k["reason"] for k in kept)


def test_edits_of_a_revoked_case_the_server_refuses_stay_as_refused_changes(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("old", "liaison")
    bad = Note(
        case_id=agency.case_id,
        author="liaison",
        narrative="Correction.",
        written_at=datetime(2026, 11, 2, tzinfo=UTC),
        addendum_to="00000000-0000-4000-8000-000000000000",
    )
    device.store.repo.save(bad)
    agency.admin(admin.assign, agency.case_id, "liaison2")
    report = device.sync()
    assert report.revoked == [agency.case_id] and report.results == {"rejected": 1}
    (kept,) = rejected_changes(device.store)  # the case is gone from the laptop; the words are not
    assert kept["row_id"] == bad.id and "no longer have access" in kept["reason"]
