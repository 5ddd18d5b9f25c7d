"""Controlled vocabularies from the field, with the labels people read."""

from collections.abc import Callable
from enum import StrEnum

from caseworker_app.i18n import N_, _


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
    ServiceType.HOMELESSNESS: N_("Homelessness (McKinney-Vento) support"),
    ServiceType.FOOD_BACKPACK: N_("Food backpack program"),
    ServiceType.MENTAL_HEALTH: N_("Mental health services"),
    ServiceType.SCHOOL_NEEDS: N_("School needs (supplies, fees, trips)"),
    ServiceType.PLAN_504: N_("504 plan"),
    ServiceType.HOMEBOUND: N_("Homebound services"),
    ServiceType.TRANSPORTATION: N_("Transportation"),
    ServiceType.HOLIDAY_ASSISTANCE: N_("Holiday assistance"),
    ServiceType.COMMUNITY_RESOURCE: N_("Community resource"),
}

# The safety threats checklist, as codes with the wording a worker reads.
SAFETY_THREATS: dict[str, str] = {
    "violence_in_home": N_("Household violence that places the child in danger"),
    "caregiver_out_of_control": N_("Caregiver's behavior is violent or out of control"),
    "caregiver_perceives_child_negatively": N_("Caregiver describes the child in extremely negative terms"),
    "caregiver_threatens_harm": N_("Caregiver threatens to severely harm the child"),
    "unexplained_injury": N_("Child has a serious injury with no plausible explanation"),
    "basic_needs_unmet": N_("Child's basic needs for food, clothing or shelter are not met"),
    "hazardous_living_conditions": N_("Living conditions are hazardous and immediately threatening"),
    "substance_use_impairs_care": N_("Caregiver's substance use seriously impairs care of the child"),
    "child_fearful_of_home": N_("Child is fearful of the home or people in it"),
    "no_adult_supervision": N_("Child lacks supervision appropriate to age"),
}

PROTECTIVE_CAPACITIES: dict[str, str] = {
    "meets_basic_needs": N_("Caregiver meets the child's basic needs"),
    "aware_of_threats": N_("Caregiver recognizes the threats to the child"),
    "acts_to_protect": N_("Caregiver has acted to protect the child before"),
    "support_network": N_("Family has a support network that helps"),
    "accepts_services": N_("Caregiver accepts help and services"),
    "emotional_bond": N_("Caregiver shows an emotional bond with the child"),
}


# Every other code people read, worded once: stages, risk levels, outcomes, record kinds.
# Marked with N_ and translated where shown, so the window, the terminal and each PDF
# can read them in their own language.
CODE_LABELS: dict[str, str] = {
    # stages, types, placement
    "intake": N_("Intake"),
    "assessment": N_("Assessment"),
    "ongoing": N_("Ongoing"),
    "closing": N_("Closing"),
    "closed": N_("Closed"),
    "preventive": N_("Preventive"),
    "protective": N_("Protective"),
    "in_home": N_("In home"),
    "out_of_home": N_("Out of home"),
    # risk
    "low": N_("Low"),
    "moderate": N_("Moderate"),
    "high": N_("High"),
    "very_high": N_("Very high"),
    # people
    "child": N_("Child"),
    "caregiver": N_("Caregiver"),
    "household_member": N_("Household member"),
    # contacts
    "home_visit": N_("Home visit"),
    "school_visit": N_("School visit"),
    "office": N_("Office"),
    "phone": N_("Phone"),
    "virtual": N_("Virtual"),
    "collateral": N_("Collateral"),
    "attempted": N_("Attempted"),
    "completed": N_("Completed"),
    "not_home": N_("Not home"),
    "at_school": N_("At school"),
    "refused": N_("Refused"),
    "other": N_("Other"),
    # notes, safety, permanency
    "draft": N_("Draft"),
    "final": N_("Final"),
    "safe": N_("Safe"),
    "conditionally_safe": N_("Conditionally safe"),
    "unsafe": N_("Unsafe"),
    "reunification": N_("Reunification"),
    "adoption": N_("Adoption"),
    "guardianship": N_("Guardianship"),
    "relative_placement": N_("Relative placement"),
    "another_planned_arrangement": N_("Another planned arrangement"),
    # referrals and tasks
    "referred": N_("Referred"),
    "accepted": N_("Accepted"),
    "in_progress": N_("In progress"),
    "declined": N_("Declined"),
    "open": N_("Open"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    # record kinds (sync lists, refused changes)
    "case": N_("Case"),
    "person": N_("Person"),
    "visit": N_("Visit"),
    "note": N_("Note"),
    "safety_assessment": N_("Safety assessment"),
    "safety_plan": N_("Safety plan"),
    "permanency_goal": N_("Permanency goal"),
    "referral": N_("Referral"),
    "attendance_record": N_("Attendance record"),
    "task": N_("Task"),
}


# Record fields as people read them (conflicts, refused changes): marked here, translated where shown.
FIELD_LABELS: dict[str, str] = {
    "action": N_("Action"),
    "actions": N_("Actions"),
    "active": N_("Active"),
    "addendum_to": N_("Addendum to"),
    "agency": N_("Agency"),
    "alternative": N_("Alternative goal"),
    "assessed_on": N_("Assessed on"),
    "assessor": N_("Assessor"),
    "assigned_to": N_("Assigned to"),
    "assigned_worker": N_("Assigned worker"),
    "author": N_("Author"),
    "case_type": N_("Case type"),
    "children": N_("Children"),
    "closed_on": N_("Closed on"),
    "contact_type": N_("Contact type"),
    "date_of_birth": N_("Date of birth"),
    "days_absent": N_("Days absent"),
    "days_enrolled": N_("Days enrolled"),
    "days_tardy": N_("Days tardy"),
    "decision": N_("Decision"),
    "district": N_("District"),
    "due_on": N_("Due on"),
    "family_name": N_("Family name"),
    "finalized_at": N_("Finalized at"),
    "first_name": N_("First name"),
    "grade": N_("Grade"),
    "last_name": N_("Last name"),
    "location": N_("Location"),
    "monitoring": N_("Monitoring"),
    "name": N_("Name"),
    "narrative": N_("Narrative"),
    "not_seen_note": N_("Why not seen (note)"),
    "not_seen_reason": N_("Why not seen"),
    "notes": N_("Notes"),
    "observations": N_("Observations"),
    "occurred_at": N_("Occurred at"),
    "opened_on": N_("Opened on"),
    "participants": N_("Participants"),
    "period": N_("Period"),
    "placement": N_("Placement"),
    "preferred_language": N_("Written language"),
    "primary": N_("Primary goal"),
    "protective_capacities": N_("Protective capacities"),
    "purpose": N_("Purpose"),
    "rationale": N_("Rationale"),
    "reference": N_("Reference"),
    "referred_on": N_("Referred on"),
    "relationship": N_("Relationship"),
    "responsible": N_("Responsible"),
    "review_on": N_("Review on"),
    "risk_level": N_("Risk level"),
    "role": N_("Role"),
    "school_id": N_("School"),
    "seen": N_("Seen"),
    "seen_alone": N_("Seen alone"),
    "service": N_("Service"),
    "set_on": N_("Set on"),
    "stage": N_("Stage"),
    "starts_on": N_("Starts on"),
    "status": N_("Status"),
    "status_on": N_("Status on"),
    "student_id": N_("Student id"),
    "threats": N_("Safety threats"),
    "title": N_("Title"),
    "worker": N_("Worker"),
    "written_at": N_("Written at"),
}

def as_words(code: str | None, translate: Callable[[str], str] | None = None) -> str:
    """A code as people read it, on screen and on paper: the vocabulary's own wording where it has
    one ("food_backpack" -> its service name), else the code's words ("very_high" -> "Very high").

    `translate` is the gettext of the language wanted (a family's PDF in its own language:
    `i18n.translations("es").gettext`); by default the language the app runs in.
    """
    if not code:
        return ""
    tr = translate or _
    for table in (SERVICE_LABELS, SAFETY_THREATS, PROTECTIVE_CAPACITIES, CODE_LABELS, FIELD_LABELS):
        if code in table:
            return tr(table[code])  # type: ignore[index]
    words = str(code).replace("_", " ").strip()
    return words[:1].upper() + words[1:]
