"""A child recorded as not seen, with the reason, reaches the server and the supervisor's laptop as recorded;
a discarded synced draft reaches them as a tombstone (real server on loopback)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caseworker_app.domain import Visit
from caseworker_app.services import visits
from caseworker_app.store.errors import RecordNotFound


def test_not_seen_reason_and_discard_travel(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    draft = visits.new_draft(mine.store, agency.case_id)
    form = {"purpose": "Monthly home visit", "location": "Family home", "narrative": "Linh was at school.",
            "occurred_at": datetime(2026, 11, 2, 16, tzinfo=UTC),
            "children": [{"person_id": agency.child_id, "seen": False, "not_seen_reason": "other",
                          "not_seen_note": "at the dentist with her aunt"}]}
    saved = visits.update_draft(mine.store, draft.visit.id, form, draft)
    visits.finalize_visit(mine.store, draft.visit.id, seen=saved.draft)
    assert set(mine.sync().results) == {"applied"}  # the visit and its final note, none refused
    boss.sync()
    (child,) = boss.store.repo.get(Visit, draft.visit.id).children
    assert (child.seen, child.not_seen_reason, child.not_seen_note) == (False, "other", "at the dentist with her aunt")

    second = visits.new_draft(mine.store, agency.case_id)
    visits.update_draft(mine.store, second.visit.id, {"narrative": "Opened by mistake"}, second)
    mine.sync()
    boss.sync()
    assert boss.store.repo.get(Visit, second.visit.id)
    assert visits.discard_draft(mine.store, second.visit.id) is False  # synced: a tombstone
    mine.sync()
    boss.sync()
    with pytest.raises(RecordNotFound):
        boss.store.repo.get(Visit, second.visit.id)
