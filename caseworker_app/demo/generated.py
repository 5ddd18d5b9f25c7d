"""What a generated caseload holds: its records by kind, and a family while it is being written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from caseworker_app.demo.phrasebook import Culture
from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    School,
    Synced,
    Task,
    Visit,
)


@dataclass
class Caseload:
    """One worker's generated caseload, each kind of record in its own list."""

    schools: list[School] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    assessments: list[SafetyAssessment] = field(default_factory=list)
    safety_plans: list[SafetyPlan] = field(default_factory=list)
    permanency_goals: list[PermanencyGoal] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def records(self) -> Iterator[Synced]:
        """Every synced record, each after the records it points at (a note after its visit and
        after the note it is an addendum to), so they can be inserted in this order."""
        yield from self.cases
        yield from self.people
        yield from self.visits
        yield from self.notes
        yield from self.assessments
        yield from self.safety_plans
        yield from self.permanency_goals
        yield from self.referrals
        yield from self.attendance
        yield from self.tasks

    def record_count(self) -> int:
        return sum(
            len(records)
            for records in (
                self.cases,
                self.people,
                self.visits,
                self.notes,
                self.assessments,
                self.safety_plans,
                self.permanency_goals,
                self.referrals,
                self.attendance,
                self.tasks,
            )
        )



@dataclass
class Family:
    case: Case
    culture: Culture
    caregivers: list[Person]
    members: list[Person]
    children: list[Person]
    concerns: list[str]
    start: date
    end: date
    absence: dict[str, float] = field(default_factory=dict)
    visits: list[Visit] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)

    @property
    def school_children(self) -> list[Person]:
        return [child for child in self.children if child.school_id]

    @property
    def adults(self) -> list[Person]:
        return self.caregivers + self.members
