"""Errors that must not vanish: a wipe report refused for now, a record of a kind this app does not know."""

from __future__ import annotations

import uuid

import pytest

from caseworker_app.store.profile import Profile
from caseworker_app.sync.errors import UpdateRequired, WipeOrdered
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.wipe import carry_out_wipe, marker_path, report_pending_wipe
from caseworker_server import admin
from caseworker_server.changelog import ChangeSet


def _wiped_state(agency, device_id: str) -> str:  # type: ignore[no-untyped-def]
    with agency.server.db.read() as session:
        (row,) = [d for d in admin.list_devices(session) if d.device_id == device_id]
    return str(row.state)


@pytest.mark.parametrize("refusal", ["http_429", "update_required"])
def test_a_wipe_report_refused_for_now_keeps_its_marker_and_goes_later(agency, laptop, monkeypatch, refusal) -> None:  # type: ignore[no-untyped-def]
    device = laptop("lost", "liaison", via_proxy=True)
    device_id = SyncState.load(device.store).device_id
    agency.admin(admin.wipe_device, device_id)
    with pytest.raises(WipeOrdered) as ordered:
        device.sync()
    proxy = agency.through_proxy()
    if refusal == "http_429":
        proxy.inject("http_429", "/v1/auth/wipe-confirmed")
    else:
        monkeypatch.setattr("caseworker_app.sync.transport.PROTOCOL_VERSION", 0)

    assert carry_out_wipe(device.store, ordered.value.order) is False
    assert not Profile(device.home).exists
    assert marker_path(device.home).exists()  # the server has not heard: keep saying it
    assert not _wiped_state(agency, device_id).startswith("wiped")

    monkeypatch.undo()
    assert report_pending_wipe(device.home) is True
    assert not marker_path(device.home).exists()
    assert _wiped_state(agency, device_id).startswith("wiped")


def test_a_record_of_an_unknown_kind_stops_the_pull_and_keeps_the_cursor(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    cursor = SyncState.load(device.store).cursor

    def add_future_record(session) -> None:  # type: ignore[no-untyped-def]
        changes = ChangeSet()
        changes.write(session, "home_visit_photo", str(uuid.uuid4()), agency.case_id, {"caption": "Front door"})
        changes.stamp(session)

    agency.admin(add_future_record)
    with pytest.raises(UpdateRequired, match="Update the app"):
        device.sync()
    assert SyncState.load(device.store).cursor == cursor  # not moved past the record for good
    with pytest.raises(UpdateRequired):  # and the next run says the same, not "up to date"
        device.sync()
