"""A hand-made family, an in-memory record source and PDF text helpers for the report tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest
from pypdf import PdfReader

from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    ChildSeen,
    Note,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    SafetyPlanAction,
    School,
    Task,
    Visit,
)
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.domain.vocabulary import (
    CaseStage,
    CaseType,
    ContactType,
    NoteStatus,
    PersonRole,
    ReferralStatus,
    RiskLevel,
    SafetyDecision,
    ServiceType,
)
from caseworker_app.services.reports import AgencyBranding

T = TypeVar("T")


class RecordMissing(CaseworkerError):
    pass


class MemorySource:
    """RecordSource over a list of records, as the store's repository behaves."""

    def __init__(self, records: list[Any]) -> None:
        self.records = {r.id: r for r in records}

    def add(self, *records: Any) -> None:
        for record in records:
            self.records[record.id] = record

    def get(self, cls: type[T], record_id: str) -> T:
        record = self.records.get(record_id)
        if not isinstance(record, cls):
            raise RecordMissing(f"No {cls.__name__.lower()} with id {record_id}.")
        return record

    def for_case(self, cls: type[T], case_id: str) -> list[T]:
        return [
            r
            for r in self.records.values()
            if isinstance(r, cls)
            and getattr(r, "case_id", None) == case_id
            and getattr(r, "deleted_at", None) is None
        ]


@dataclass
class AuditRecorder:
    events: list[dict[str, Any]] = field(default_factory=list)

    def audit(
        self,
        action: str,
        *,
        case_id: str | None = None,
        entity: str | None = None,
        row_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            {"actor": "liaison", "action": action, "case_id": case_id, "entity": entity,
             "row_id": row_id, "detail": detail or {}, "at": datetime.now(UTC)}
        )


VISIT_AT = datetime(2025, 3, 4, 15, 30)
NARRATIVE = (
    "Met Ana María at the kitchen table; the apartment was warm and there was food in the fridge.\n\n"
    "Νίκος showed me his homework & his reading log <b>not bold</b>. "
    "Dmitri Volkov was present for part of the visit and left before we talked about the plan."
)
ADDENDUM_1 = "Correction: the visit started at 3:30 PM, not 3:00 PM."
ADDENDUM_2 = "Second addendum: school nurse confirmed the inhaler is at school."


@dataclass
class Family:
    school: School
    case: Case
    ana: Person  # child, accented Latin
    nikos: Person  # child, Greek
    olga: Person  # caregiver, Cyrillic
    dmitri: Person  # other household member
    visit: Visit
    note: Note
    addenda: list[Note]
    assessment: SafetyAssessment
    plan: SafetyPlan
    referrals: list[Referral]
    tasks: list[Task]
    attendance: list[AttendanceRecord]

    def records(self) -> list[Any]:
        return [
            self.school, self.case, self.ana, self.nikos, self.olga, self.dmitri, self.visit, self.note,
            *self.addenda, self.assessment, self.plan, *self.referrals, *self.tasks, *self.attendance,
        ]

    def source(self) -> MemorySource:
        return MemorySource(self.records())


def make_family(*, final: bool = True) -> Family:
    school = School(name="Lincoln Elementary")
    case = Case(
        reference="C-2025-0042", family_name="García-Ivanova", stage=CaseStage.ONGOING,
        case_type=CaseType.PROTECTIVE, risk_level=RiskLevel.HIGH, assigned_worker="Jordan Lee",
        school_id=school.id, opened_on=date(2024, 9, 1),
    )
    cid = case.id
    ana = Person(case_id=cid, role=PersonRole.CHILD, first_name="Ana María", last_name="García-Ivanova",
                 date_of_birth=date(2015, 5, 2), school_id=school.id, grade="4", relationship="daughter")
    nikos = Person(case_id=cid, role=PersonRole.CHILD, first_name="Νίκος", last_name="Παπαδόπουλος",
                   school_id=school.id, grade="2", relationship="son")
    olga = Person(case_id=cid, role=PersonRole.CAREGIVER, first_name="Ольга", last_name="Иванова",
                  relationship="mother")
    dmitri = Person(case_id=cid, role=PersonRole.HOUSEHOLD_MEMBER, first_name="Dmitri", last_name="Volkov",
                    relationship="mother's partner")
    visit = Visit(
        case_id=cid, contact_type=ContactType.HOME_VISIT, occurred_at=VISIT_AT,
        location="14 Elm Street, Apt 3", participants=["Ольга Иванова", "Dmitri Volkov", "Jordan Lee"],
        children=[ChildSeen(person_id=ana.id, seen=True, seen_alone=True),
                  ChildSeen(person_id=nikos.id, seen=True, seen_alone=False)],
        purpose="Monthly face-to-face visit and safety plan review.",
        observations="Home clean; smoke detector working. Children appeared well fed.",
        worker="Jordan Lee",
    )
    written = VISIT_AT + timedelta(hours=2)
    note = Note(
        case_id=cid, author="Jordan Lee", narrative=NARRATIVE, visit_id=visit.id,
        status=NoteStatus.FINAL if final else NoteStatus.DRAFT, written_at=written,
        finalized_at=written + timedelta(minutes=30) if final else None,
    )
    addenda = [
        Note(case_id=cid, author="Jordan Lee", narrative=text, addendum_to=note.id, status=NoteStatus.FINAL,
             written_at=written + timedelta(days=d), finalized_at=written + timedelta(days=d, minutes=5))
        for d, text in ((2, ADDENDUM_2), (1, ADDENDUM_1))  # stored out of order on purpose
    ]
    assessment = SafetyAssessment(
        case_id=cid, assessed_on=VISIT_AT.date(), visit_id=visit.id,
        threats=["violence_in_home", "substance_use_impairs_care"],
        protective_capacities=["emotional_bond", "accepts_services"],
        decision=SafetyDecision.CONDITIONALLY_SAFE,
        rationale="Mother is protective and agreed that Dmitri will not stay overnight.",
        assessor="Jordan Lee",
    )
    plan = SafetyPlan(
        case_id=cid, assessment_id=assessment.id, starts_on=VISIT_AT.date(),
        review_on=VISIT_AT.date() + timedelta(days=30),
        actions=[SafetyPlanAction(action="Grandmother stays overnight on weekends",
                                  responsible="Ольга Иванова", monitoring="Weekly call from the worker")],
    )
    day = VISIT_AT.date()
    referrals = [
        Referral(case_id=cid, service=ServiceType.SCHOOL_NEEDS, person_id=ana.id, agency="Lincoln PTA",
                 referred_on=day, notes="Field trip fee and winter coat."),
        Referral(case_id=cid, service=ServiceType.MENTAL_HEALTH, person_id=olga.id,
                 agency="Riverside Counseling", referred_on=day, status=ReferralStatus.ACCEPTED,
                 notes="Trauma-focused counseling."),
        Referral(case_id=cid, service=ServiceType.COMMUNITY_RESOURCE, person_id=dmitri.id,
                 agency="Men's recovery group", referred_on=day, notes="Outpatient program."),
    ]
    tasks = [
        Task(case_id=cid, title="Call school counselor about attendance plan", due_on=day + timedelta(days=7),
             assigned_to="Jordan Lee"),
        Task(case_id=cid, title="Safety plan review visit", due_on=day + timedelta(days=30),
             assigned_to="Jordan Lee"),
    ]
    attendance = [
        AttendanceRecord(case_id=cid, child_id=ana.id, period=f"2025-{m:02d}", days_enrolled=20,
                         days_absent=a, days_tardy=1)
        for m, a in ((1, 1), (2, 4), (3, 3))
    ] + [
        AttendanceRecord(case_id=cid, child_id=nikos.id, period=f"2025-{m:02d}", days_enrolled=20,
                         days_absent=0)
        for m in (1, 2, 3)
    ]
    return Family(school, case, ana, nikos, olga, dmitri, visit, note, addenda, assessment, plan,
                  referrals, tasks, attendance)


AGENCY = AgencyBranding(name="Riverside County Family Services")


@pytest.fixture
def family() -> Family:
    return make_family()


@pytest.fixture
def family_factory() -> Any:
    return make_family


@pytest.fixture
def audit_log() -> AuditRecorder:
    return AuditRecorder()


@pytest.fixture
def agency() -> AgencyBranding:
    return AGENCY


@pytest.fixture
def pdf_pages() -> Any:
    def extract(pdf: bytes, password: str | None = None) -> list[str]:
        reader = PdfReader(io.BytesIO(pdf))
        if password is not None:
            reader.decrypt(password)
        return [page.extract_text() or "" for page in reader.pages]

    return extract


@pytest.fixture
def pdf_text(pdf_pages: Any) -> Any:
    def extract(pdf: bytes, password: str | None = None) -> str:
        return normalize("\n".join(pdf_pages(pdf, password)))

    return extract


def normalize(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces, for phrase asserts."""
    return " ".join(text.split())
