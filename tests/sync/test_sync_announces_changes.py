"""A sync's writes are announced like any other: an open view of the case re-reads what another device changed."""

from __future__ import annotations

from datetime import date

from caseworker_app.services import changes, tasks
from caseworker_app.services.changes import Changes


def test_a_pulled_change_is_announced_for_its_case_and_kind(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    tasks.add_task(boss.store, agency.case_id, "Supervisor: review the safety plan", date(2026, 12, 10))
    boss.sync()

    heard: list[Changes] = []
    stop = changes.listen(heard.append)
    try:
        mine.sync()
    finally:
        stop()
    pulled = [c for c in heard if "Task" in c.kinds]
    assert pulled and all(c.touches(case_id=agency.case_id, kinds=["Task"]) for c in pulled)
    assert not any(c.touches(case_id="a-case-nobody-changed", kinds=["Task"]) for c in pulled)  # named, not "all"
