"""The one sync status the window and `caseworker status` share, derived from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from caseworker_app.domain import Case, Note
from caseworker_app.services.sync_status import SyncStatus, read_status
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.state import SyncState


def status(**given: object) -> SyncStatus:
    base: dict[str, object] = dict(enrolled=True, server="https://sync.example", waiting=0, refused=0, conflicts=0,
                                   last_success=None, problem=None, problem_text=None)
    base.update(given)
    return SyncStatus(**base)  # type: ignore[arg-type]


def test_what_a_person_must_act_on_wins_and_the_rest_is_still_said() -> None:
    both = status(conflicts=1, refused=1, waiting=2, last_success=datetime.now(UTC).isoformat())
    assert both.headline() == "1 conflict to settle"
    assert both.others() == ["1 refused", "2 waiting"]
    assert status(refused=2).headline() == "2 changes the server refused"
    assert status(problem="signed_out", conflicts=1).headline().startswith("Signed out")
    assert status(problem="offline", waiting=3).headline() == "Offline: 3 changes waiting"
    assert "no sync server" in status(problem="no_server").headline()
    assert status(waiting=1).headline() == "1 change waiting to sync"
    assert status().headline() == "Not synced yet"
    assert status(last_success="2026-12-01T10:00:00+00:00").headline() == "All changes synced"


def test_a_profile_with_no_agency_never_reads_as_synced() -> None:
    alone = status(enrolled=False, server=None, waiting=4)
    assert alone.headline() == "Not connected to an agency: 4 changes stay on this laptop"
    assert alone.last_synced() == ""
    assert "synced" not in status(enrolled=False, server=None).headline().lower()


def test_the_last_successful_sync_reads_in_minutes_and_hours() -> None:
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert status(last_success=(now - timedelta(minutes=3)).isoformat()).last_synced(now) == "Synced 3 min ago"
    assert status(last_success=(now - timedelta(hours=2)).isoformat()).last_synced(now) == "Synced 2 hours ago"
    assert status(last_success=now.isoformat()).last_synced(now) == "Synced just now"
    assert status().last_synced(now) == "Never synced"


def test_read_from_the_store(store: LocalStore) -> None:
    assert read_status(store).headline().startswith("Not connected to an agency")
    case = Case(reference="CW-1", family_name="Brown")
    store.repo.save(case)
    store.repo.save(Note(case_id=case.id, author="liaison", narrative="Called.", written_at=datetime.now(UTC)))
    state = SyncState.load(store)
    state.server_url, state.refresh_token, state.device_id = "https://sync.example", "t", "d"
    state.last_problem, state.last_error = "offline", "The sync server cannot be reached; working offline."
    state.save(store)
    found = read_status(store)
    assert found.enrolled and found.waiting == 2 and found.headline() == "Offline: 2 changes waiting"
