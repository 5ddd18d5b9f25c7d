"""Casework records as plain dataclasses.

Every synced record carries a client-made UUID, the case it belongs to, the
server's version (0 until the server first acknowledged it) and a tombstone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker_app.domain.clock import as_utc
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.vocabulary import (
    PROTECTIVE_CAPACITIES,
    SAFETY_THREATS,
    CaseStage,
    CaseType,
    ContactStatus,
    ContactType,
    NoteStatus,
    NotSeenReason,
    PermanencyGoalType,
    PersonRole,
    Placement,
    ReferralStatus,
    RiskLevel,
    SafetyDecision,
    ServiceType,
    TaskStatus,
)
from caseworker_app.i18n import _


def new_id() -> str:
    return str(uuid.uuid4())


def _require(value: str, field_name: str, message: str) -> None:
    if not value or not value.strip():
        raise ValidationError(field_name, message)


# A language code as BCP 47 writes it, short form: 'es', 'vi', 'pt-BR', 'zh-Hant'.
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _check_language(code: str) -> None:
    if code and not _LANGUAGE_CODE.match(code):
        raise ValidationError("preferred_language", "The preferred language must be a language code such as es or vi.")


@dataclass(kw_only=True)
class Synced:
    """Fields every synced record shares."""

    id: str = field(default_factory=new_id)
    case_id: str = ""
    version: int = 0
    deleted_at: datetime | None = None

    def __post_init__(self) -> None:
        self.deleted_at = as_utc(self.deleted_at)

    def validate(self) -> None:
        _require(self.case_id, "case_id", _("Choose the case this record belongs to."))


@dataclass(kw_only=True)
class School:
    """Reference data: a school liaisons work in."""

    id: str = field(default_factory=new_id)
    name: str
    district: str = ""


@dataclass(kw_only=True)
class Case(Synced):
    """A family the agency serves; its case_id is its own id."""

    reference: str
    family_name: str
    stage: CaseStage = CaseStage.INTAKE
    case_type: CaseType = CaseType.PREVENTIVE
    placement: Placement = Placement.IN_HOME
    risk_level: RiskLevel = RiskLevel.LOW
    assigned_worker: str = ""
    school_id: str | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    # The language the family reads written material in ('es', 'vi'); "" when not recorded.
    preferred_language: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.case_id:
            self.case_id = self.id

    def validate(self) -> None:
        _require(self.reference, "reference", _("Enter the case reference number."))
        _require(self.family_name, "family_name", _("Enter the family name."))
        if self.case_id != self.id:
            raise ValidationError("case_id", _("A case belongs to itself."))
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError("closed_on", _("The closing date cannot be before the opening date."))
        if self.stage is CaseStage.CLOSED and self.closed_on is None:
            raise ValidationError("closed_on", _("Enter the date the case was closed."))
        _check_language(self.preferred_language)


@dataclass(kw_only=True)
class Person(Synced):
    """A child, caregiver or other household member of a case."""

    role: PersonRole
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    relationship: str = ""
    school_id: str | None = None
    grade: str = ""
    student_id: str = ""
    # An adult's language for written material, when it differs from the family's; "" when not recorded.
    preferred_language: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def validate(self) -> None:
        super().validate()
        _require(self.first_name, "first_name", _("Enter the person's first name."))
        if self.role is not PersonRole.CHILD and (self.grade or self.student_id):
            raise ValidationError("grade", _("Only children have a grade and a student id."))
        _check_language(self.preferred_language)


@dataclass(kw_only=True)
class ChildSeen:
    """One child of the case at a contact: seen, seen alone, or not seen and why.

    A record with `seen` False and no reason comes from before reasons were recorded: it
    still says the child was not seen.
    """

    person_id: str
    seen: bool = False
    seen_alone: bool = False
    not_seen_reason: str = ""  # a NotSeenReason value when not seen
    not_seen_note: str = ""  # why, in words, for NotSeenReason.OTHER

    @property
    def outcome(self) -> str:
        """'seen_alone', 'seen', a NotSeenReason value, or 'not_seen' (no reason recorded)."""
        if self.seen:
            return "seen_alone" if self.seen_alone else "seen"
        return self.not_seen_reason or "not_seen"

    def validate(self) -> None:
        if self.seen_alone and not self.seen:
            raise ValidationError("children", _("A child recorded as seen alone must also be recorded as seen."))
        if self.not_seen_reason:
            if self.seen:
                raise ValidationError(
                    "children", _("A child recorded as seen cannot also have a reason for not being seen.")
                )
            if self.not_seen_reason not in {r.value for r in NotSeenReason}:
                raise ValidationError(
                    "children", _("Unknown reason a child was not seen: {reason}.").format(reason=self.not_seen_reason)
                )


@dataclass(kw_only=True)
class Visit(Synced):
    """A contact with the family: home visit, school visit, phone call and the rest."""

    contact_type: ContactType
    status: ContactStatus = ContactStatus.COMPLETED
    occurred_at: datetime
    location: str = ""
    participants: list[str] = field(default_factory=list)
    children: list[ChildSeen] = field(default_factory=list)
    purpose: str = ""
    observations: str = ""
    worker: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.occurred_at = as_utc(self.occurred_at) or self.occurred_at

    def children_seen(self) -> set[str]:
        """Ids of the children seen face to face at a completed contact."""
        if self.status is not ContactStatus.COMPLETED or not self.contact_type.face_to_face:
            return set()
        return {c.person_id for c in self.children if c.seen}

    def validate(self) -> None:
        super().validate()
        for child in self.children:
            child.validate()
        if self.status is ContactStatus.ATTEMPTED and any(c.seen for c in self.children):
            raise ValidationError(
                "children", _("An attempted contact cannot record children as seen; mark it completed.")
            )


@dataclass(kw_only=True)
class Note(Synced):
    """Narrative. Drafts belong to their author; a final note changes only through addenda."""

    author: str
    narrative: str = ""
    visit_id: str | None = None
    status: NoteStatus = NoteStatus.DRAFT
    # The server's times once synced: when it received the note and when it was finalized.
    written_at: datetime
    finalized_at: datetime | None = None
    addendum_to: str | None = None
    # The laptop's own clock when the note was written: kept, but only as the laptop's word.
    recorded_on_laptop_at: datetime | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        self.written_at = as_utc(self.written_at) or self.written_at
        self.finalized_at = as_utc(self.finalized_at)
        self.recorded_on_laptop_at = as_utc(self.recorded_on_laptop_at)

    @property
    def is_final(self) -> bool:
        return self.status is NoteStatus.FINAL

    def validate(self) -> None:
        super().validate()
        _require(self.author, "author", _("A note needs an author."))
        if self.is_final:
            _require(self.narrative, "narrative", _("Write the narrative before finalizing the note."))
            if self.finalized_at is None:
                raise ValidationError("finalized_at", _("A final note needs the time it was finalized."))
        if self.addendum_to is not None and self.addendum_to == self.id:
            raise ValidationError("addendum_to", _("An addendum must point at another note."))


@dataclass(kw_only=True)
class SafetyAssessment(Synced):
    """Safety threats found, protective capacities, and the safety decision."""

    assessed_on: date
    visit_id: str | None = None
    threats: list[str] = field(default_factory=list)
    protective_capacities: list[str] = field(default_factory=list)
    decision: SafetyDecision
    rationale: str = ""
    assessor: str = ""

    def validate(self) -> None:
        super().validate()
        unknown = [t for t in self.threats if t not in SAFETY_THREATS]
        if unknown:
            raise ValidationError("threats", _("Unknown safety threat: {code}.").format(code=unknown[0]))
        unknown = [c for c in self.protective_capacities if c not in PROTECTIVE_CAPACITIES]
        if unknown:
            raise ValidationError(
                "protective_capacities", _("Unknown protective capacity: {code}.").format(code=unknown[0])
            )
        if self.decision is SafetyDecision.SAFE and self.threats:
            raise ValidationError(
                "decision",
                _(
                    "Threats were found, so the decision cannot be 'safe'; "
                    "choose conditionally safe with a safety plan, or unsafe."
                ),
            )
        if self.decision is not SafetyDecision.SAFE and not self.threats:
            raise ValidationError("threats", _("Mark the safety threats that support this decision."))


@dataclass(kw_only=True)
class SafetyPlanAction:
    action: str
    responsible: str
    monitoring: str = ""


@dataclass(kw_only=True)
class SafetyPlan(Synced):
    """What will keep the child safe, who does it, and how it is monitored."""

    assessment_id: str | None = None
    actions: list[SafetyPlanAction] = field(default_factory=list)
    starts_on: date
    review_on: date | None = None
    active: bool = True

    def validate(self) -> None:
        super().validate()
        if not self.actions:
            raise ValidationError("actions", _("A safety plan needs at least one action."))
        for action in self.actions:
            _require(action.action, "actions", _("Describe each safety plan action."))
            _require(action.responsible, "actions", _("Name who is responsible for each action."))
        if self.review_on and self.review_on < self.starts_on:
            raise ValidationError("review_on", _("The review date cannot be before the plan starts."))


@dataclass(kw_only=True)
class PermanencyGoal(Synced):
    """Primary and alternative permanency goals for a child in out-of-home care."""

    child_id: str
    primary: PermanencyGoalType
    alternative: PermanencyGoalType | None = None
    set_on: date

    def validate(self) -> None:
        super().validate()
        if self.alternative is not None and self.alternative == self.primary:
            raise ValidationError("alternative", _("The alternative goal must differ from the primary goal."))


@dataclass(kw_only=True)
class Referral(Synced):
    """A referral to a service, tracked from referred to completed or declined."""

    service: ServiceType
    person_id: str | None = None
    agency: str = ""
    status: ReferralStatus = ReferralStatus.REFERRED
    referred_on: date
    status_on: date | None = None
    notes: str = ""


@dataclass(kw_only=True)
class AttendanceRecord(Synced):
    """One child's attendance over one period (a month, usually)."""

    child_id: str
    period: str
    days_enrolled: int
    days_absent: int = 0
    days_tardy: int = 0

    def validate(self) -> None:
        super().validate()
        if self.days_enrolled < 0 or self.days_absent < 0 or self.days_tardy < 0:
            raise ValidationError("days_absent", _("Day counts cannot be negative."))
        if self.days_absent > self.days_enrolled:
            raise ValidationError(
                "days_absent", _("Days absent cannot be more than the days enrolled in the period.")
            )


@dataclass(kw_only=True)
class Task(Synced):
    """A follow-up with a due date."""

    title: str
    due_on: date
    status: TaskStatus = TaskStatus.OPEN
    assigned_to: str = ""

    def validate(self) -> None:
        super().validate()
        _require(self.title, "title", _("Describe the follow-up task."))


SYNCED_TYPES: tuple[type[Synced], ...] = (
    Case,
    Person,
    Visit,
    Note,
    SafetyAssessment,
    SafetyPlan,
    PermanencyGoal,
    Referral,
    AttendanceRecord,
    Task,
)

# Names of the record kinds in the store's outbox and on the wire.
ENTITY_NAMES: dict[type[Synced], str] = {
    Case: "case",
    Person: "person",
    Visit: "visit",
    Note: "note",
    SafetyAssessment: "safety_assessment",
    SafetyPlan: "safety_plan",
    PermanencyGoal: "permanency_goal",
    Referral: "referral",
    AttendanceRecord: "attendance_record",
    Task: "task",
}
ENTITY_TYPES: dict[str, type[Synced]] = {name: cls for cls, name in ENTITY_NAMES.items()}
