"""Sync over real networks: compressed bodies, proxies and captive portals, revoked devices and cases."""

from __future__ import annotations

from datetime import date

from caseworker_app.domain import Task
from caseworker_app.sync import apply


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
