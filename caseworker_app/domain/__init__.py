"""The casework domain: entities, vocabularies and rules, in plain Python (no I/O)."""

from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    ChildSeen,
    Note,
    PermanencyGoal,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    SafetyPlanAction,
    School,
    Task,
    Visit,
)
from caseworker_app.domain.errors import CaseworkerError, FinalizedNoteError, ValidationError

__all__ = [
    "AttendanceRecord",
    "Case",
    "CaseworkerError",
    "ChildSeen",
    "FinalizedNoteError",
    "Note",
    "PermanencyGoal",
    "Person",
    "Referral",
    "SafetyAssessment",
    "SafetyPlan",
    "SafetyPlanAction",
    "School",
    "Task",
    "ValidationError",
    "Visit",
]
