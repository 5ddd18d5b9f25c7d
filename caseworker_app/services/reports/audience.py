"""Who a report is for, and the one policy table saying what each audience may see.

Renderers never decide redactions themselves: they ask the `Redaction` for the
audience and use the filtering helpers below, so a level is defined only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from caseworker_app.domain.entities import Person, Referral
from caseworker_app.domain.vocabulary import PersonRole, ServiceType
from caseworker_app.i18n import N_, _


class Audience(StrEnum):
    FULL = "full"
    SCHOOL = "school"
    FAMILY = "family"


# Services the school takes part in or provides. Mental health, holiday
# assistance and community resources are the family's business, not the
# school's. McKinney-Vento (homelessness) support is run by the district's own
# homeless liaison (enrollment, transportation), so the school keeps it.
SCHOOL_SERVICES: frozenset[ServiceType] = frozenset(
    {
        ServiceType.SCHOOL_NEEDS,
        ServiceType.PLAN_504,
        ServiceType.HOMEBOUND,
        ServiceType.TRANSPORTATION,
        ServiceType.FOOD_BACKPACK,
        ServiceType.HOMELESSNESS,
    }
)

# What a copy prints in place of a hidden name or a withheld placement detail (translated per document).
HIDDEN_NAME = N_("[household member]")
WITHHELD = N_("[withheld]")


@dataclass(frozen=True)
class Redaction:
    """What one audience may see. Every renderer decision reads one of these fields."""

    audience: Audience
    label: str  # printed in the footer: who this copy is for (a msgid, translated per document)
    notice: str  # printed under the title of a redacted copy; empty for the full record (a msgid)
    # Case classification: protective vs preventive, placement, stage.
    show_protective_details: bool
    show_risk_level: bool
    # Safety assessments: decision, threats, protective capacities, rationale.
    show_safety_assessment: bool
    show_safety_plan: bool
    # Narratives, addenda, visit purpose and observations (free text from the worker).
    show_narrative: bool
    show_purpose_and_observations: bool
    # Where a contact took place (a home address, a shelter).
    show_location: bool
    # For a child in out-of-home care: where the child is placed and who the resource family is
    # (the contact's location, participants not on the case, their names in free text).
    show_placement_details: bool
    show_seen_alone: bool
    show_other_household_members: bool
    # None: every referral; otherwise only these services.
    referral_services: frozenset[ServiceType] | None
    show_referral_notes: bool
    show_attendance: bool
    show_tasks: bool


_POLICIES: dict[Audience, Redaction] = {
    Audience.FULL: Redaction(
        audience=Audience.FULL,
        label=N_("Internal — full record"),
        notice="",
        show_protective_details=True,
        show_risk_level=True,
        show_safety_assessment=True,
        show_safety_plan=True,
        show_narrative=True,
        show_purpose_and_observations=True,
        show_location=True,
        show_placement_details=True,
        show_seen_alone=True,
        show_other_household_members=True,
        referral_services=None,
        show_referral_notes=True,
        show_attendance=True,
        show_tasks=True,
    ),
    Audience.SCHOOL: Redaction(
        audience=Audience.SCHOOL,
        label=N_("Prepared for the school"),
        notice=N_(
            "This copy was prepared for the school. Protective-services information, "
            "safety assessments and case narratives are withheld by policy."
        ),
        show_protective_details=False,
        show_risk_level=False,
        show_safety_assessment=False,
        show_safety_plan=False,
        show_narrative=False,
        show_purpose_and_observations=False,
        show_location=False,
        show_placement_details=False,
        show_seen_alone=False,
        show_other_household_members=False,
        referral_services=SCHOOL_SERVICES,
        show_referral_notes=False,
        show_attendance=True,
        show_tasks=True,
    ),
    Audience.FAMILY: Redaction(
        audience=Audience.FAMILY,
        label=N_("Prepared for the family"),
        notice=N_("This copy was prepared for the family. Internal risk ratings are withheld by policy."),
        show_protective_details=True,
        show_risk_level=False,
        # The family takes part in the safety decision and signs the plan.
        show_safety_assessment=True,
        show_safety_plan=True,
        show_narrative=True,
        show_purpose_and_observations=True,
        show_location=True,
        show_placement_details=False,  # see family_shares_placement_details
        show_seen_alone=True,
        show_other_household_members=False,  # see family_shows_household_members
        referral_services=None,
        show_referral_notes=True,
        show_attendance=True,
        show_tasks=True,
    ),
}


def redaction_for(
    audience: Audience,
    *,
    family_shows_household_members: bool = False,
    family_shares_placement_details: bool = False,
) -> Redaction:
    """The policy for an audience; the two flags are the agency's settings for family copies."""
    policy = _POLICIES[Audience(audience)]
    if policy.audience is Audience.FAMILY and family_shows_household_members:
        policy = replace(policy, show_other_household_members=True)
    if policy.audience is Audience.FAMILY and family_shares_placement_details:
        policy = replace(policy, show_placement_details=True)
    return policy


def explain(audience: Audience) -> tuple[str, str]:
    """What a copy for `audience` shows and what it withholds, as the export dialog says it.

    Each is a phrase that reads after "Shows:" and "Withholds:".
    """
    audience = Audience(audience)
    if audience is Audience.FULL:
        return (
            _("everything recorded: risk level, safety assessments and plans, narratives, where each "
              "contact took place, every household member and every referral."),
            _("nothing. For the agency's own file, a supervisor or the court."),
        )
    if audience is Audience.SCHOOL:
        return (
            _("the children seen, attendance, school-related referrals (school needs, 504 plan, "
              "transportation, food backpack, homelessness support) and next steps."),
            _("protective-services details, risk level, safety assessments and plans, narratives, "
              "where contacts took place and other household members."),
        )
    return (
        _("what the family took part in: the contacts, the children seen, the safety decision and plan, "
          "narratives, referrals and next steps."),
        _("the internal risk level and other household members; for a child in out-of-home care, where "
          "the child is placed and the resource family's names and contact details, unless your agency "
          "has marked them shareable."),
    )


def visible_people(people: Iterable[Person], policy: Redaction) -> list[Person]:
    """Members the audience may read about, children first then caregivers then others."""
    order = {PersonRole.CHILD: 0, PersonRole.CAREGIVER: 1, PersonRole.HOUSEHOLD_MEMBER: 2}
    shown = [
        p
        for p in people
        if p.deleted_at is None
        and (policy.show_other_household_members or p.role is not PersonRole.HOUSEHOLD_MEMBER)
    ]
    return sorted(shown, key=lambda p: (order[p.role], p.last_name, p.first_name))


def visible_referrals(
    referrals: Iterable[Referral], people: Iterable[Person], policy: Redaction
) -> list[Referral]:
    """Referrals of the allowed services, leaving out those for hidden household members."""
    hidden_ids = {p.id for p in people if p.role is PersonRole.HOUSEHOLD_MEMBER}
    result = []
    for referral in referrals:
        if referral.deleted_at is not None:
            continue
        if policy.referral_services is not None and referral.service not in policy.referral_services:
            continue
        if not policy.show_other_household_members and referral.person_id in hidden_ids:
            continue
        result.append(referral)
    return result


class NameScrubber:
    """Replaces hidden household members' names in free text with a neutral marker.

    Free text cannot be redacted perfectly; this removes full names, and first
    names as whole words unless a visible person shares them. Surnames are left
    alone because they are usually the family's own name.
    """

    def __init__(
        self,
        people: Iterable[Person],
        policy: Redaction,
        withheld: Iterable[str] = (),
        *,
        hidden_mark: str = HIDDEN_NAME,
        withheld_mark: str = WITHHELD,
    ) -> None:
        self._hidden_mark, self._withheld_mark = hidden_mark, withheld_mark
        people = [p for p in people if p.deleted_at is None]
        hidden = [] if policy.show_other_household_members else [
            p for p in people if p.role is PersonRole.HOUSEHOLD_MEMBER
        ]
        # Words of visible people's names: a hidden first name that is one of them stays.
        visible_words = {
            word.casefold()
            for p in people
            if p not in hidden
            for word in re.split(r"[\s-]+", p.full_name)
            if word
        }
        names: set[str] = set()
        for person in hidden:
            if person.full_name.strip():
                names.add(person.full_name)
            first = person.first_name.strip()
            if len(first) > 1 and first.casefold() not in visible_words:
                names.add(first)
        self._pattern: re.Pattern[str] | None = None
        if names:
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        # Placement details (a resource parent's name, an address) the copy must not repeat.
        phrases = sorted({w.strip() for w in withheld if len(w.strip()) > 2}, key=len, reverse=True)
        self._withheld: re.Pattern[str] | None = None
        if phrases:
            either = "|".join(re.escape(w) for w in phrases)
            self._withheld = re.compile(rf"(?<!\w)(?:{either})(?!\w)", re.IGNORECASE)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._withheld is not None:
            text = self._withheld.sub(lambda _m: self._withheld_mark, text)
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda _m: self._hidden_mark, text)
