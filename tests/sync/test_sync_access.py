"""Reassignment, wipe, and the clear refusals: what happens to a laptop when the agency decides."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from caseworker_app.domain import Case, Note, Person
from caseworker_app.store import queries
from caseworker_app.store.profile import Profile
from caseworker_app.sync.errors import ServerFault, SignInRequired, UpdateRequired, WipeOrdered
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.wipe import carry_out_wipe, marker_path
from caseworker_server import admin
from caseworker_server.models import Record


def test_reassigning_purges_the_old_laptop_and_keeps_its_late_work_as_refused(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    """Access ends at the reassignment: a note the old laptop still held is refused, kept there, never applied."""
    from caseworker_app.sync.refused import list_refused

    old, new = laptop("old", "liaison"), laptop("new", "liaison2")
    assert new.store.repo.all(Case) == []
    note = Note(case_id=agency.case_id, author="liaison", narrative="Written offline before the case moved.",
                written_at=datetime.now(UTC))
    old.store.repo.save(note)

    agency.admin(admin.assign, agency.case_id, "liaison2")
    report = old.sync()
    assert report.results == {"rejected": 1} and report.revoked == [agency.case_id]
    assert old.store.repo.all(Case) == [] and old.store.repo.all(Person) == []
    assert queries.search(old.store.db, "Nguyễn") == []
    (kept,) = list_refused(old.store)
    assert kept.row_id == note.id and "no longer have access to this case" in kept.reason

    report = new.sync()
    assert report.granted == [agency.case_id]
    assert new.store.repo.get(Case, agency.case_id).assigned_worker == "liaison2"
    assert [n.id for n in new.store.repo.all(Note)] == []
    assert {p.id for p in new.store.repo.for_case(Person, agency.case_id)} == {agency.child_id, agency.caregiver_id}


def test_a_wiped_laptop_destroys_its_store_and_key_at_the_next_sync(agency, laptop, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    device = laptop("lost", "liaison")
    device_id = SyncState.load(device.store).device_id
    agency.admin(admin.wipe_device, device_id)
    with pytest.raises(WipeOrdered) as ordered:
        device.sync()
    assert carry_out_wipe(device.store, ordered.value.order) is True
    assert not device.home.exists() and not marker_path(device.home).exists()
    assert memory_keyring.secrets == {}
    with agency.server.db.read() as session:
        (row,) = [d for d in admin.list_devices(session) if d.device_id == device_id]
    assert row.state.startswith("wiped")


def test_a_wipe_the_server_could_not_hear_is_reported_at_the_next_contact(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    from caseworker_app.sync.wipe import report_pending_wipe

    device = laptop("lost", "liaison")
    device_id = SyncState.load(device.store).device_id
    agency.admin(admin.wipe_device, device_id)
    with pytest.raises(WipeOrdered) as ordered:
        device.sync()
    agency.server.stop()
    assert carry_out_wipe(device.store, ordered.value.order) is False
    assert not Profile(device.home).exists and marker_path(device.home).exists()
    agency.server.start()
    assert report_pending_wipe(device.home) is True
    assert not marker_path(device.home).exists()


def test_an_old_protocol_gets_update_the_app_and_keeps_the_outbox(agency, laptop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    person = device.store.repo.get(Person, agency.child_id)
    person.grade = "4"
    device.store.repo.save(person)
    monkeypatch.setattr("caseworker_app.sync.transport.PROTOCOL_VERSION", 0)
    with pytest.raises(UpdateRequired, match="update the app"):
        device.sync()
    assert queries.outbox_size(device.store.db) == 1


def test_a_refused_refresh_token_asks_to_sign_in_and_touches_nothing(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    person = device.store.repo.get(Person, agency.child_id)
    person.grade = "4"
    device.store.repo.save(person)
    state = SyncState.load(device.store)
    state.refresh_token = "no-longer-valid"
    state.save(device.store)
    with pytest.raises(SignInRequired, match="sign in again"):
        device.sync()
    assert queries.outbox_size(device.store.db) == 1
    assert device.store.repo.get(Person, agency.child_id).grade == "4"


def test_a_server_answering_garbage_stops_the_run_and_keeps_the_outbox(agency, laptop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    person = device.store.repo.get(Person, agency.child_id)
    person.grade = "5"
    device.store.repo.save(person)
    real = requests.Session.request

    def garbage(self, method, url, **kwargs):  # type: ignore[no-untyped-def]
        response = real(self, method, url, **kwargs)
        if "/v1/sync/push" in url:
            response._content = b"<html>proxy error page</html>"
        return response

    monkeypatch.setattr(requests.Session, "request", garbage)
    with pytest.raises(ServerFault, match="not understood"):
        device.sync()
    assert queries.outbox_size(device.store.db) == 1
    monkeypatch.undo()
    assert device.sync().results == {"applied": 1}  # the server had applied it: the resend is answered once
    with agency.server.db.read() as session:
        record = session.get(Record, ("person", agency.child_id))
        assert record is not None and '"grade": "5"' in record.fields.replace('":"', '": "')
