"""Which records a visit summary and a case history are made from."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.entities import Note, Person, SafetyAssessment, Visit
from caseworker_app.domain.vocabulary import NoteStatus, PersonRole, SafetyDecision, TaskStatus
from caseworker_app.services.reports import (
    Audience,
    ExportError,
    case_history_data,
    render_case_history,
    visit_summary_data,
)
from caseworker_app.services.reports.bundle import period_overlaps


def test_visit_summary_picks_the_visit_note_its_addenda_and_same_day_records(
    family: Any, agency: Any
) -> None:
    source = family.source()
    later = family.visit.occurred_at + timedelta(days=9)
    other_visit = replace(family.visit, id="other-visit", occurred_at=later)
    other_note = replace(family.note, id="other-note", visit_id="other-visit")
    old_task = replace(family.tasks[0], id="old-task", due_on=date(2025, 1, 2))
    done_task = replace(family.tasks[0], id="done-task", status=TaskStatus.DONE)
    deleted = replace(family.addenda[0], id="deleted-addendum", deleted_at=datetime.now(UTC))
    later_referral = replace(family.referrals[0], id="later", referred_on=date(2025, 3, 20))
    source.add(other_visit, other_note, old_task, done_task, deleted, later_referral)

    data = visit_summary_data(source, family.visit.id, agency)
    assert data.note is not None and data.note.id == family.note.id
    assert [a.narrative[:10] for a in data.addenda] == ["Correction", "Second add"]
    assert data.assessment is family.assessment
    assert data.safety_plan is family.plan
    assert {r.id for r in data.referrals} == {r.id for r in family.referrals}
    assert [t.id for t in data.tasks] == [t.id for t in family.tasks]
    assert data.schools == {family.school.id: "Lincoln Elementary"}


def test_assessment_linked_to_the_visit_wins_over_one_made_the_same_day(family: Any, agency: Any) -> None:
    source = family.source()
    same_day = SafetyAssessment(case_id=family.case.id, assessed_on=family.visit.occurred_at.date(),
                                decision=SafetyDecision.SAFE)
    source.add(same_day)
    linked_id = family.assessment.id
    assert visit_summary_data(source, family.visit.id, agency).assessment is family.assessment
    del source.records[linked_id]
    data = visit_summary_data(source, family.visit.id, agency)
    assert data.assessment is same_day
    assert data.safety_plan is family.plan  # made the same day


def test_deleted_visit_is_a_clear_error(family: Any, agency: Any) -> None:
    family.visit.deleted_at = datetime.now(UTC)
    with pytest.raises(ExportError, match="was deleted"):
        visit_summary_data(family.source(), family.visit.id, agency)


def test_case_history_keeps_the_range_and_open_tasks(family: Any, agency: Any) -> None:
    source = family.source()
    early = replace(family.visit, id="early", occurred_at=datetime(2024, 12, 20, 10, 0))
    case_note = Note(case_id=family.case.id, author="Jordan Lee", narrative="Called the school.",
                     status=NoteStatus.FINAL, written_at=datetime(2025, 2, 3, 9, 0),
                     finalized_at=datetime(2025, 2, 3, 9, 5))
    done = replace(family.tasks[0], id="done", status=TaskStatus.DONE)
    source.add(early, case_note, done)

    data = case_history_data(source, family.case.id, date(2025, 1, 1), date(2025, 2, 28), agency)
    assert data.contacts == []  # the March visit is after the range, the December one before
    assert [t.note.id for t in data.case_notes] == [case_note.id]
    assert [a.period for a in data.attendance if a.child_id == family.ana.id] == ["2025-01", "2025-02"]
    assert data.assessments == []
    assert data.safety_plans == []
    assert {t.id for t in data.tasks} == {t.id for t in family.tasks}

    march = case_history_data(source, family.case.id, date(2025, 3, 1), date(2025, 3, 31), agency)
    [contact] = march.contacts
    assert contact.visit.id == family.visit.id
    assert contact.thread is not None and len(contact.thread.addenda) == 2


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025-01", True), ("2024-12", False), ("2025-03", False), ("2025-02-14", True), ("2025-03-01", False),
     ("Spring term", True)],
)
def test_attendance_periods_in_range(period: str, expected: bool) -> None:
    assert period_overlaps(period, date(2025, 1, 15), date(2025, 2, 28)) is expected


class CaseloadSource:
    """RecordSource over a generated caseload (what the store repository returns)."""

    def __init__(self, caseload: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.by_case: dict[tuple[type, str], list[Any]] = {}
        for school in caseload.schools:
            self.by_id[school.id] = school
        for record in caseload.records():
            self.by_id[record.id] = record
            self.by_case.setdefault((type(record), record.case_id), []).append(record)

    def get(self, cls: type, record_id: str) -> Any:
        record = self.by_id.get(record_id)
        if not isinstance(record, cls):
            from caseworker_app.domain.errors import CaseworkerError

            raise CaseworkerError(f"No record {record_id}.")
        return record

    def for_case(self, cls: type, case_id: str) -> list[Any]:
        return [r for r in self.by_case.get((cls, case_id), []) if r.deleted_at is None]


def test_busiest_generated_case_renders_for_every_audience(agency: Any, pdf_pages: Any) -> None:
    caseload = generate_caseload("default", seed=7)
    source = CaseloadSource(caseload)
    case_id = Counter(v.case_id for v in caseload.visits).most_common(1)[0][0]
    visits = [v for v in caseload.visits if v.case_id == case_id]
    end = max(v.occurred_at for v in visits).date()
    start = end - timedelta(days=365)
    data = case_history_data(source, case_id, start, end, agency)
    assert len(data.contacts) >= 10

    people = [p for p in caseload.people if p.case_id == case_id]
    members = [p for p in people if p.role is PersonRole.HOUSEHOLD_MEMBER]
    for audience in Audience:
        pages = pdf_pages(render_case_history(data, audience))
        text = " ".join(" ".join(pages).split())
        assert f"Page {len(pages)} of {len(pages)}" in text
        for child in (p for p in people if p.role is PersonRole.CHILD):
            assert child.full_name in text
        if audience is not Audience.FULL:
            assert "Risk level" not in text
            for member in members:
                assert member.full_name not in text
    for visit in visits[:3]:
        summary = visit_summary_data(source, visit.id, agency)
        assert isinstance(summary.visit, Visit)
        assert all(isinstance(p, Person) for p in summary.people)
