""""N cases removed from this laptop" counts only cases that were here.

A fresh laptop's first pull carries revocations of cases it never held (the server repeats
them on later pages); the summary after enrolling said "1 cases removed" for those.
"""

from __future__ import annotations

import uuid

from caseworker_app.domain import Case
from caseworker_app.services.sync import describe
from caseworker_app.sync.engine import SyncReport
from caseworker_app.sync.received import Page


def test_revoking_a_case_never_held_removes_nothing_and_says_nothing(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    engine = device.engine()
    try:
        report = SyncReport()
        page = Page(changes=[], revocations=[str(uuid.uuid4())], has_more=False, next_cursor=1)
        engine._apply_page(page, report)
        assert report.revoked == []
        assert "removed" not in describe(report)

        page = Page(changes=[], revocations=[agency.case_id, agency.case_id], has_more=False, next_cursor=2)
        engine._apply_page(page, report)
    finally:
        engine.transport.close()
    assert report.revoked == [agency.case_id]
    assert "1 case removed from this laptop" in describe(report)
    assert device.store.repo.all(Case) == []
