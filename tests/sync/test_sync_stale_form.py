"""A form left open during a sync, through the real server: the sync's change is never undone."""

from __future__ import annotations

from caseworker_app.domain import Case
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.sync.conflicts import list_conflicts


def test_saving_a_form_loaded_before_a_sync_keeps_the_supervisors_risk(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    loaded = mine.store.repo.get(Case, agency.case_id)  # the form opens: risk moderate
    boss.store.repo.update(Case, agency.case_id, {"risk_level": "high"}, seen=boss.store.repo.get(Case, agency.case_id))
    boss.sync()
    mine.sync()  # background sync while the form is open
    form = {k: v for k, v in vars(loaded).items() if k not in {"id", "case_id", "version", "deleted_at"}}
    mine.store.repo.update(Case, agency.case_id, form | {"reference": "CW-2026-00042-A"}, seen=loaded)
    mine.sync()
    boss.sync()
    for device in (mine, boss):
        case = device.store.repo.get(Case, agency.case_id)
        assert (case.risk_level, case.reference) == (RiskLevel.HIGH, "CW-2026-00042-A")
        assert list_conflicts(device.store) == []


def test_a_stale_same_field_edit_reaches_everyone_as_a_conflict(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    loaded = mine.store.repo.get(Case, agency.case_id)
    boss.store.repo.update(Case, agency.case_id, {"risk_level": "high"}, seen=boss.store.repo.get(Case, agency.case_id))
    boss.sync()
    mine.sync()
    saved = mine.store.repo.update(Case, agency.case_id, {"risk_level": "low"}, seen=loaded)
    assert [c.field for c in saved.conflicts] == ["risk_level"]
    assert mine.sync().results == {"conflict": 1}
    boss.sync()
    for device in (mine, boss):
        assert device.store.repo.get(Case, agency.case_id).risk_level is RiskLevel.HIGH
        (conflict,) = list_conflicts(device.store)
        assert {conflict.mine, conflict.theirs} == {"low", "high"} and conflict.base == "moderate"
