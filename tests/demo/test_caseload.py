"""The synthetic caseload: deterministic, realistic in shape, and every record one the app would accept."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from caseworker_app.demo.caseload import DEFAULT_TODAY, Caseload, generate_caseload
from caseworker_app.domain.entities import (
    AttendanceRecord,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    Visit,
)
from caseworker_app.domain.rules import is_chronically_absent
from caseworker_app.domain.vocabulary import (
    CaseStage,
    ContactStatus,
    ContactType,
    PersonRole,
    Placement,
    SafetyDecision,
    TaskStatus,
)


@pytest.fixture(scope="module")
def default() -> Caseload:
    return generate_caseload()


@pytest.fixture(scope="module")
def large() -> Caseload:
    return generate_caseload("large")


@pytest.fixture(params=["default", "large"])
def caseload(request: pytest.FixtureRequest, default: Caseload, large: Caseload) -> Caseload:
    return default if request.param == "default" else large


def test_same_seed_gives_the_same_caseload_ids_included() -> None:
    first, second = generate_caseload(seed=11), generate_caseload(seed=11)
    assert first == second
    assert [r.id for r in first.records()] == [r.id for r in second.records()]


def test_another_seed_gives_other_families(default: Caseload) -> None:
    other = generate_caseload(seed=8)
    assert {r.id for r in other.records()}.isdisjoint(r.id for r in default.records())
    assert [c.family_name for c in other.cases] != [c.family_name for c in default.cases]


def test_caseloads_of_several_workers_share_the_district_schools(default: Caseload) -> None:
    other = generate_caseload(seed=11, worker="liaison2")
    ids = {s.name: s.id for s in default.schools}
    shared = [s for s in other.schools if s.name in ids]
    assert shared and all(ids[s.name] == s.id for s in shared)
    assert {c.id for c in other.cases}.isdisjoint(c.id for c in default.cases)


def test_without_a_day_it_is_generated_as_of_the_fixed_day(default: Caseload) -> None:
    assert default == generate_caseload(today=DEFAULT_TODAY)
    later = generate_caseload(today=date(2027, 4, 2))
    assert max(v.occurred_at for v in later.visits).date() < date(2027, 4, 2)
    assert max(v.occurred_at for v in later.visits).date() > date(2027, 2, 1)


def test_nothing_happens_after_today(caseload: Caseload) -> None:
    assert all(v.occurred_at.date() < DEFAULT_TODAY for v in caseload.visits)
    assert all(n.written_at.date() <= DEFAULT_TODAY for n in caseload.notes)
    assert all(n.finalized_at is None or n.finalized_at.date() <= DEFAULT_TODAY for n in caseload.notes)
    assert all(a.assessed_on < DEFAULT_TODAY for a in caseload.assessments)
    assert all(r.referred_on < DEFAULT_TODAY for r in caseload.referrals)
    assert all(c.opened_on is not None and c.opened_on < DEFAULT_TODAY for c in caseload.cases)


def test_default_profile_is_25_families_with_about_a_year_of_history(default: Caseload) -> None:
    assert len(default.cases) == 25
    assert 1_200 <= default.record_count() <= 2_400
    ongoing = [c for c in default.cases if c.stage is CaseStage.ONGOING]
    assert len(ongoing) >= 12
    for case in ongoing:
        assert case.opened_on is not None
        assert 240 <= (DEFAULT_TODAY - case.opened_on).days <= 500


def test_large_profile_is_300_cases_and_about_20000_records(large: Caseload) -> None:
    assert len(large.cases) == 300
    assert 18_000 <= large.record_count() <= 22_000
    assert len(large.schools) <= 12


def test_record_count_counts_every_synced_record(caseload: Caseload) -> None:
    assert caseload.record_count() == len(list(caseload.records()))
    assert len({r.id for r in caseload.records()}) == caseload.record_count()
    assert all(uuid.UUID(r.id).version == 4 for r in caseload.records())


def test_every_record_validates(caseload: Caseload) -> None:
    for record in caseload.records():
        record.validate()


def test_records_come_after_the_records_they_point_at(caseload: Caseload) -> None:
    emitted: set[str] = set()
    for record in caseload.records():
        assert record.case_id in emitted or record.case_id == record.id
        pointers: list[str | None] = []
        if isinstance(record, Note):
            pointers = [record.visit_id, record.addendum_to]
        elif isinstance(record, SafetyAssessment):
            pointers = [record.visit_id]
        elif isinstance(record, SafetyPlan):
            pointers = [record.assessment_id]
        elif isinstance(record, PermanencyGoal | AttendanceRecord):
            pointers = [record.child_id]
        elif isinstance(record, Referral):
            pointers = [record.person_id]
        assert all(p is None or p in emitted for p in pointers), record
        emitted.add(record.id)


def test_narratives_are_100_to_600_words(caseload: Caseload) -> None:
    counts = [len(note.narrative.split()) for note in caseload.notes]
    assert min(counts) >= 100
    assert max(counts) <= 600
    assert max(counts) - min(counts) > 200, "lengths should vary like real notes"


def test_names_include_accented_and_non_latin_letters(default: Caseload, large: Caseload) -> None:
    names = [p.full_name for p in default.people]
    assert any(not name.isascii() for name in names)
    assert any(name.isascii() for name in names)
    scripts = {unicodedata.name(ch).split()[0] for p in large.people for ch in p.full_name if ch.isalpha()}
    assert {"LATIN", "GREEK", "CYRILLIC"} <= scripts
    assert any("'" in p.last_name or "-" in p.last_name for p in large.people)


def test_every_visit_note_and_person_belongs_to_an_existing_case(caseload: Caseload) -> None:
    cases = {c.id for c in caseload.cases}
    records: list[Visit | Note | Person] = [*caseload.visits, *caseload.notes, *caseload.people]
    assert all(r.case_id in cases for r in records)
    visits = {v.id: v for v in caseload.visits}
    assert all(n.visit_id in visits and visits[n.visit_id].case_id == n.case_id for n in caseload.notes)


def test_children_seen_are_children_of_that_case(caseload: Caseload) -> None:
    children = {p.id: p.case_id for p in caseload.people if p.role is PersonRole.CHILD}
    for visit in caseload.visits:
        for seen in visit.children:
            assert children.get(seen.person_id) == visit.case_id


def test_families_have_1_to_4_children_in_k_to_5_and_1_or_2_caregivers(caseload: Caseload) -> None:
    by_case: dict[str, list[Person]] = defaultdict(list)
    for person in caseload.people:
        by_case[person.case_id].append(person)
    student_ids = [p.student_id for p in caseload.people if p.student_id]
    assert len(student_ids) == len(set(student_ids))
    for members in by_case.values():
        children = [p for p in members if p.role is PersonRole.CHILD]
        caregivers = [p for p in members if p.role is PersonRole.CAREGIVER]
        assert 1 <= len(children) <= 4
        assert 1 <= len(caregivers) <= 2
        in_school = [c for c in children if c.school_id]
        assert in_school
        assert all(c.grade in {"K", "1", "2", "3", "4", "5"} and c.student_id for c in in_school)
    assert any(p.role is PersonRole.HOUSEHOLD_MEMBER for p in caseload.people)


def test_case_references_and_workers(caseload: Caseload) -> None:
    references = [c.reference for c in caseload.cases]
    assert all(re.fullmatch(r"CW-20\d\d-\d{5}", r) for r in references)
    assert len(set(references)) == len(references)
    assert {c.assigned_worker for c in caseload.cases} == {"liaison"}
    assert sum(c.placement is Placement.IN_HOME for c in caseload.cases) > len(caseload.cases) / 2


def test_the_assigned_worker_is_the_one_asked_for() -> None:
    load = generate_caseload(worker="mrivera")
    assert {c.assigned_worker for c in load.cases} == {"mrivera"}
    assert {n.author for n in load.notes} == {"mrivera"}


def test_contacts_are_roughly_monthly_and_mostly_home_visits(caseload: Caseload) -> None:
    in_person: dict[str, int] = defaultdict(int)
    for visit in caseload.visits:
        if visit.children_seen():
            in_person[visit.case_id] += 1
    total_months = total_seen = 0.0
    for case in caseload.cases:
        if case.stage is CaseStage.ONGOING and case.opened_on is not None:
            months = (DEFAULT_TODAY - case.opened_on).days / 30.4
            assert in_person[case.id] >= 0.4 * months, case.reference  # a worker can fall behind
            total_months += months
            total_seen += in_person[case.id]
    assert 0.8 <= total_seen / total_months <= 1.3
    kinds = [v.contact_type for v in caseload.visits]
    assert kinds.count(ContactType.HOME_VISIT) > len(kinds) / 3
    assert {ContactType.SCHOOL_VISIT, ContactType.PHONE, ContactType.COLLATERAL} <= set(kinds)


def test_each_completed_contact_has_one_note_and_attempts_see_no_child(caseload: Caseload) -> None:
    first_notes = [n.visit_id or "" for n in caseload.notes if n.addendum_to is None]
    completed = [v.id for v in caseload.visits if v.status is ContactStatus.COMPLETED]
    assert sorted(first_notes) == sorted(completed)
    attempts = [v for v in caseload.visits if v.status is ContactStatus.ATTEMPTED]
    assert attempts
    assert all(not any(c.seen for c in v.children) for v in attempts)


def test_most_notes_are_final_and_drafts_are_the_latest(caseload: Caseload) -> None:
    drafts = [n for n in caseload.notes if not n.is_final]
    assert drafts
    assert len(drafts) < len(caseload.notes) / 10
    assert all(n.finalized_at is not None for n in caseload.notes if n.is_final)
    assert all(DEFAULT_TODAY - n.written_at.date() <= timedelta(days=14) for n in drafts)


def test_generated_notes_sort_with_notes_the_app_writes(default: Caseload) -> None:
    written_now = Note(case_id=default.cases[0].id, author="liaison", written_at=datetime.now(UTC))
    notes = sorted([written_now, *default.notes], key=lambda n: n.written_at)
    assert notes[-1] is written_now
    finalized = [n.finalized_at for n in default.notes if n.finalized_at is not None]
    assert all(moment.tzinfo is not None for moment in finalized)


def test_addenda_correct_earlier_final_notes_of_the_same_case(caseload: Caseload) -> None:
    notes = {n.id: n for n in caseload.notes}
    addenda = [n for n in caseload.notes if n.addendum_to is not None]
    assert addenda
    for addendum in addenda:
        original = notes[addendum.addendum_to or ""]
        assert original.is_final and original.addendum_to is None
        assert original.case_id == addendum.case_id
        assert addendum.is_final
        assert original.finalized_at is not None and addendum.written_at > original.finalized_at


def test_safety_decisions_follow_the_threats_and_plans_follow_decisions(caseload: Caseload) -> None:
    decisions = {a.decision for a in caseload.assessments}
    assert SafetyDecision.SAFE in decisions and SafetyDecision.CONDITIONALLY_SAFE in decisions
    planned = {p.assessment_id for p in caseload.safety_plans}
    for assessment in caseload.assessments:
        assert (assessment.decision is SafetyDecision.SAFE) == (not assessment.threats)
        assert (assessment.id in planned) == (assessment.decision is SafetyDecision.CONDITIONALLY_SAFE)
    active = [p.case_id for p in caseload.safety_plans if p.active]
    assert len(active) == len(set(active)), "at most one active safety plan per case"


def test_children_in_out_of_home_care_have_permanency_goals(large: Caseload) -> None:
    out_of_home = {c.id for c in large.cases if c.placement is Placement.OUT_OF_HOME}
    assert out_of_home
    goals = {g.child_id for g in large.permanency_goals}
    for person in large.people:
        if person.role is PersonRole.CHILD:
            assert (person.id in goals) == (person.case_id in out_of_home)
    assert all(g.alternative != g.primary for g in large.permanency_goals)


def test_some_children_are_chronically_absent_and_most_are_not(caseload: Caseload) -> None:
    records: dict[str, list[AttendanceRecord]] = defaultdict(list)
    for record in caseload.attendance:
        records[record.child_id].append(record)
    chronic = [is_chronically_absent(r) for r in records.values()]
    assert 0 < sum(chronic) < len(chronic) / 2
    full_months = [r.days_enrolled for r in caseload.attendance if r.period[5:] in {"09", "10", "03", "05"}]
    assert full_months and all(18 <= days <= 22 for days in full_months)


def test_referrals_and_tasks_have_history(caseload: Caseload) -> None:
    assert len({r.status for r in caseload.referrals}) >= 4
    assert len({r.service for r in caseload.referrals}) >= 5
    overdue = [t for t in caseload.tasks if t.status is TaskStatus.OPEN and t.due_on < DEFAULT_TODAY]
    done = [t for t in caseload.tasks if t.status is TaskStatus.DONE]
    assert overdue and done


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="huge"):
        generate_caseload("huge")
