from datetime import UTC, date, datetime

import pytest

from caseworker_app.domain import (
    AttendanceRecord,
    Case,
    ChildSeen,
    FinalizedNoteError,
    Note,
    Person,
    SafetyAssessment,
    ValidationError,
    Visit,
)
from caseworker_app.domain.codec import decode, encode
from caseworker_app.domain.rules import check_note_change, is_chronically_absent, visits_due
from caseworker_app.domain.vocabulary import (
    ContactStatus,
    ContactType,
    NoteStatus,
    PersonRole,
    SafetyDecision,
)

CASE = "case-1"


def child(first: str = "Ana") -> Person:
    return Person(case_id=CASE, role=PersonRole.CHILD, first_name=first, last_name="Silva")


def visit(
    day: date,
    kid: Person,
    *,
    seen: bool = True,
    kind: ContactType = ContactType.HOME_VISIT,
    status: ContactStatus = ContactStatus.COMPLETED,
) -> Visit:
    return Visit(
        case_id=CASE,
        contact_type=kind,
        status=status,
        occurred_at=datetime(day.year, day.month, day.day, 10),
        children=[ChildSeen(person_id=kid.id, seen=seen)] if status is ContactStatus.COMPLETED else [],
    )


def test_child_not_seen_this_month_is_due() -> None:
    kid = child()
    due = visits_due([kid], [visit(date(2026, 10, 28), kid)], today=date(2026, 11, 3))
    assert due[0].due and due[0].last_seen == date(2026, 10, 28)


def test_completed_visit_seeing_the_child_resets_the_monthly_visit() -> None:
    kid = child()
    due = visits_due([kid], [visit(date(2026, 11, 2), kid)], today=date(2026, 11, 20))
    assert not due[0].due


@pytest.mark.parametrize(
    "make",
    [
        lambda kid: visit(date(2026, 11, 2), kid, seen=False),
        lambda kid: visit(date(2026, 11, 2), kid, kind=ContactType.PHONE),
        lambda kid: visit(date(2026, 11, 2), kid, status=ContactStatus.ATTEMPTED),
    ],
    ids=["child-not-seen", "phone-call", "attempted"],
)
def test_contacts_that_do_not_see_the_child_face_to_face_leave_the_visit_due(make) -> None:  # type: ignore[no-untyped-def]
    kid = child()
    assert visits_due([kid], [make(kid)], today=date(2026, 11, 20))[0].due


def test_caregivers_are_not_due_visits() -> None:
    parent = Person(case_id=CASE, role=PersonRole.CAREGIVER, first_name="Rosa", last_name="Silva")
    assert visits_due([parent], [], today=date(2026, 11, 20)) == []


def attendance(enrolled: int, absent: int) -> AttendanceRecord:
    return AttendanceRecord(
        case_id=CASE, child_id="c", period="2026-10", days_enrolled=enrolled, days_absent=absent
    )


def test_chronic_absenteeism_starts_at_ten_percent_of_days_missed() -> None:
    assert is_chronically_absent([attendance(20, 2)])
    assert not is_chronically_absent([attendance(20, 1)])
    assert is_chronically_absent([attendance(20, 1), attendance(20, 3)])  # 4 of 40
    assert not is_chronically_absent([])


def final_note() -> Note:
    now = datetime.now(UTC)
    return Note(
        case_id=CASE,
        author="liaison",
        narrative="Met the family.",
        status=NoteStatus.FINAL,
        written_at=now,
        finalized_at=now,
    )


def test_a_final_note_cannot_change() -> None:
    before = final_note()
    after = decode(Note, encode(before))
    after.narrative = "Rewritten history."
    with pytest.raises(FinalizedNoteError, match="addendum"):
        check_note_change(before, after)


def test_a_draft_note_can_change() -> None:
    before = final_note()
    before.status = NoteStatus.DRAFT
    after = decode(Note, encode(before))
    after.narrative = "More detail."
    check_note_change(before, after)


def test_validation_errors_tell_the_worker_what_to_do() -> None:
    with pytest.raises(ValidationError) as err:
        Case(reference="CW-1", family_name=" ").validate()
    assert err.value.field == "family_name" and "Enter the family name" in str(err.value)
    with pytest.raises(ValidationError, match="cannot be 'safe'"):
        SafetyAssessment(
            case_id=CASE,
            assessed_on=date(2026, 1, 1),
            decision=SafetyDecision.SAFE,
            threats=["violence_in_home"],
        ).validate()
    with pytest.raises(ValidationError, match="more than the days enrolled"):
        attendance(10, 12).validate()
    kid = child()
    bad = visit(date(2026, 11, 2), kid)
    bad.children[0].seen, bad.children[0].seen_alone = False, True
    with pytest.raises(ValidationError, match="seen alone must also be recorded as seen"):
        bad.validate()


def test_records_round_trip_through_their_plain_form() -> None:
    kid = child("Zoë")
    original = visit(date(2026, 11, 2), kid)
    assert decode(Visit, encode(original)) == original
    # a visit time always carries its zone: stored as UTC with the offset (a naive time is taken as UTC)
    assert encode(original)["occurred_at"] == "2026-11-02T10:00:00+00:00"
