"""The casework domain: entities, vocabularies and rules, in plain Python (no I/O)."""

from caseworker_app.domain.entities import (
    ENTITY_NAMES,
    ENTITY_TYPES,
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
    Synced,
    Task,
    Visit,
)
from caseworker_app.domain.errors import CaseworkerError, FinalizedNoteError, ValidationError

__all__ = [
    "ENTITY_NAMES",
    "ENTITY_TYPES",
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
    "Synced",
    "Task",
    "ValidationError",
    "Visit",
]
