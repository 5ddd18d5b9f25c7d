"""Controlled vocabularies from the field, with the labels people read."""

from enum import StrEnum


class CaseStage(StrEnum):
    INTAKE = "intake"
    ASSESSMENT = "assessment"
    ONGOING = "ongoing"
    CLOSING = "closing"
    CLOSED = "closed"


class CaseType(StrEnum):
    PREVENTIVE = "preventive"
    PROTECTIVE = "protective"


class Placement(StrEnum):
    IN_HOME = "in_home"
    OUT_OF_HOME = "out_of_home"


class RiskLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


class PersonRole(StrEnum):
    CHILD = "child"
    CAREGIVER = "caregiver"
    HOUSEHOLD_MEMBER = "household_member"


class ContactType(StrEnum):
    HOME_VISIT = "home_visit"
    SCHOOL_VISIT = "school_visit"
    OFFICE = "office"
    PHONE = "phone"
    VIRTUAL = "virtual"
    COLLATERAL = "collateral"

    @property
    def face_to_face(self) -> bool:
        """Phone, virtual and collateral contacts do not count as seeing a child in person."""
        return self in (ContactType.HOME_VISIT, ContactType.SCHOOL_VISIT, ContactType.OFFICE)


class ContactStatus(StrEnum):
    ATTEMPTED = "attempted"
    COMPLETED = "completed"


class NotSeenReason(StrEnum):
    """Why a child of the household was not seen at a contact."""

    NOT_HOME = "not_home"
    AT_SCHOOL = "at_school"
    REFUSED = "refused"
    OTHER = "other"  # with a note saying why


class NoteStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class SafetyDecision(StrEnum):
    SAFE = "safe"
    CONDITIONALLY_SAFE = "conditionally_safe"
    UNSAFE = "unsafe"


class PermanencyGoalType(StrEnum):
    REUNIFICATION = "reunification"
    ADOPTION = "adoption"
    GUARDIANSHIP = "guardianship"
    RELATIVE_PLACEMENT = "relative_placement"
    ANOTHER_PLANNED_ARRANGEMENT = "another_planned_arrangement"


class ServiceType(StrEnum):
    HOMELESSNESS = "homelessness"
    FOOD_BACKPACK = "food_backpack"
    MENTAL_HEALTH = "mental_health"
    SCHOOL_NEEDS = "school_needs"
    PLAN_504 = "plan_504"
    HOMEBOUND = "homebound"
    TRANSPORTATION = "transportation"
    HOLIDAY_ASSISTANCE = "holiday_assistance"
    COMMUNITY_RESOURCE = "community_resource"


class ReferralStatus(StrEnum):
    REFERRED = "referred"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


SERVICE_LABELS: dict[ServiceType, str] = {
    ServiceType.HOMELESSNESS: "Homelessness (McKinney-Vento) support",
    ServiceType.FOOD_BACKPACK: "Food backpack program",
    ServiceType.MENTAL_HEALTH: "Mental health services",
    ServiceType.SCHOOL_NEEDS: "School needs (supplies, fees, trips)",
    ServiceType.PLAN_504: "504 plan",
    ServiceType.HOMEBOUND: "Homebound services",
    ServiceType.TRANSPORTATION: "Transportation",
    ServiceType.HOLIDAY_ASSISTANCE: "Holiday assistance",
    ServiceType.COMMUNITY_RESOURCE: "Community resource",
}

# The safety threats checklist, as codes with the wording a worker reads.
SAFETY_THREATS: dict[str, str] = {
    "violence_in_home": "Household violence that places the child in danger",
    "caregiver_out_of_control": "Caregiver's behavior is violent or out of control",
    "caregiver_perceives_child_negatively": "Caregiver describes the child in extremely negative terms",
    "caregiver_threatens_harm": "Caregiver threatens to severely harm the child",
    "unexplained_injury": "Child has a serious injury with no plausible explanation",
    "basic_needs_unmet": "Child's basic needs for food, clothing or shelter are not met",
    "hazardous_living_conditions": "Living conditions are hazardous and immediately threatening",
    "substance_use_impairs_care": "Caregiver's substance use seriously impairs care of the child",
    "child_fearful_of_home": "Child is fearful of the home or people in it",
    "no_adult_supervision": "Child lacks supervision appropriate to age",
}

PROTECTIVE_CAPACITIES: dict[str, str] = {
    "meets_basic_needs": "Caregiver meets the child's basic needs",
    "aware_of_threats": "Caregiver recognizes the threats to the child",
    "acts_to_protect": "Caregiver has acted to protect the child before",
    "support_network": "Family has a support network that helps",
    "accepts_services": "Caregiver accepts help and services",
    "emotional_bond": "Caregiver shows an emotional bond with the child",
}


def as_words(code: str | None) -> str:
    """A code as people read it, on screen and on paper: the vocabulary's own wording where it has
    one ("food_backpack" -> its service name), else the code's words ("very_high" -> "Very high")."""
    if not code:
        return ""
    if code in SERVICE_LABELS:
        return SERVICE_LABELS[ServiceType(code)]
    if code in SAFETY_THREATS:
        return SAFETY_THREATS[code]
    if code in PROTECTIVE_CAPACITIES:
        return PROTECTIVE_CAPACITIES[code]
    words = str(code).replace("_", " ").strip()
    return words[:1].upper() + words[1:]
