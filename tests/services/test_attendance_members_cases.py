"""Attendance with the chronic absenteeism flag, household members, a case's stage, risk and permanency goals."""

from __future__ import annotations

from datetime import date

import pytest
from services_kit import Household

from caseworker_app.domain import AttendanceRecord, Case, PermanencyGoal, Person, School, ValidationError
from caseworker_app.domain.vocabulary import CaseStage, PermanencyGoalType, RiskLevel
from caseworker_app.services import attendance, cases, members
from caseworker_app.store.errors import RecordChanged
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import CaseRow


def test_attendance_is_one_record_per_child_and_period_and_flags_chronic_absence(
    store: LocalStore, household: Household
) -> None:
    result = attendance.record_attendance(store, household.ana.id, "2026-10", days_enrolled=20, days_absent=1)
    assert not result.chronically_absent
    result = attendance.record_attendance(store, household.ana.id, "2026-11", days_enrolled=20, days_absent=2)
    assert not result.chronically_absent  # 3 of 40 days
    result = attendance.record_attendance(store, household.ana.id, "2026-11", days_enrolled=20, days_absent=3)
    assert result.chronically_absent  # corrected: 4 of 40 days is 10%
    assert [(r.period, r.days_absent) for r in result.records] == [("2026-10", 1), ("2026-11", 3)]
    assert result.rate("2026-11") == pytest.approx(0.15)
    assert len(store.repo.for_case(AttendanceRecord, household.case.id)) == 2
    with pytest.raises(ValidationError, match="more than the days enrolled"):
        attendance.record_attendance(store, household.ben.id, "2026-11", days_enrolled=5, days_absent=6)
    with pytest.raises(ValidationError, match="for children"):
        attendance.record_attendance(store, household.mother.id, "2026-11", days_enrolled=5, days_absent=0)


def test_members_are_added_and_their_school_details_edited(store: LocalStore, household: Household) -> None:
    school = School(name="Riverbend Elementary")
    store.repo.save_schools([school])
    aunt = members.add_member(store, household.case.id, "caregiver", "Lucia", "Silva", relationship="maternal aunt")
    assert aunt in members.caregivers(store, household.case.id)
    saved = members.edit_member(
        store, household.ana.id, {"school_id": school.id, "grade": "4", "student_id": "S-100"}, seen=household.ana
    )
    assert set(saved.changed) == {"school_id", "grade", "student_id"}
    assert store.repo.get(Person, household.ana.id).grade == "4"
    with pytest.raises(ValidationError, match="agency's schools"):
        members.edit_member(store, household.ana.id, {"school_id": "nowhere"}, seen=saved.record)
    with pytest.raises(ValidationError, match="Only children"):
        members.edit_member(store, aunt.id, {"grade": "4"}, seen=aunt)
    with pytest.raises(ValidationError, match="first name"):
        members.add_member(store, household.case.id, "child", " ", "Silva")


def test_stage_and_risk_changes_keep_what_a_sync_brought(store: LocalStore, household: Household) -> None:
    loaded = household.case
    with store.db.transaction(remote=True) as session:  # the supervisor raised the risk; a sync brought it
        row = session.get(CaseRow, loaded.id)
        assert row is not None
        row.risk_level = "high"
    saved = cases.change_stage(store, loaded.id, "closing", seen=loaded)
    assert saved.changed == ("stage",)
    stored = store.repo.get(Case, loaded.id)
    assert (stored.stage, stored.risk_level) == (CaseStage.CLOSING, RiskLevel.HIGH)
    closed = cases.change_stage(store, loaded.id, "closed", seen=stored, closed_on=date(2026, 11, 30)).record
    assert closed.closed_on == date(2026, 11, 30)
    reopened = cases.change_stage(store, loaded.id, "ongoing", seen=closed).record
    assert reopened.closed_on is None
    conflict = cases.change_risk(store, loaded.id, "low", seen=loaded)
    assert [c.field for c in conflict.conflicts] == ["risk_level"]
    assert store.repo.get(Case, loaded.id).risk_level is RiskLevel.HIGH
    assert cases.change_risk(store, loaded.id, "very_high", seen=reopened).changed == ("risk_level",)


def test_permanency_goals_are_set_for_children_in_out_of_home_care(store: LocalStore, household: Household) -> None:
    with pytest.raises(ValidationError, match="out-of-home"):
        cases.set_permanency_goals(store, household.ana.id, "reunification", set_on=date(2026, 11, 2))
    case = cases.edit_case(store, household.case.id, {"placement": "out_of_home"}, seen=household.case).record
    assert case.placement == "out_of_home"
    goal = cases.set_permanency_goals(
        store, household.ana.id, "reunification", "guardianship", set_on=date(2026, 11, 2)
    )
    again = cases.set_permanency_goals(store, household.ana.id, "reunification", "adoption", set_on=date(2026, 12, 1))
    assert again.id == goal.id and again.alternative is PermanencyGoalType.ADOPTION
    assert len(store.repo.for_case(PermanencyGoal, household.case.id)) == 1
    with pytest.raises(ValidationError, match="must differ"):
        cases.set_permanency_goals(store, household.ana.id, "adoption", "adoption", set_on=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="child of this case"):
        cases.set_permanency_goals(store, household.mother.id, "adoption", set_on=date(2026, 12, 1))


def test_a_stage_move_from_a_stage_someone_else_changed_asks_to_look_again(
    store: LocalStore, household: Household
) -> None:
    loaded = household.case
    with store.db.transaction(remote=True) as session:  # the supervisor moved it to closing meanwhile
        row = session.get(CaseRow, loaded.id)
        assert row is not None
        row.stage = "closing"
    with pytest.raises(RecordChanged, match="moved to closing"):
        cases.change_stage(store, loaded.id, "closed", seen=loaded)
    stored = store.repo.get(Case, loaded.id)
    assert (stored.stage, stored.closed_on) == (CaseStage.CLOSING, None)
