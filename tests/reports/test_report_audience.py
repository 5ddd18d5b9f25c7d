"""Each audience sees only what its policy allows, proven on the text extracted from the PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from caseworker_app.domain.vocabulary import PersonRole, ServiceType
from caseworker_app.services.reports import (
    Audience,
    case_history_data,
    redaction_for,
    render_case_history,
    render_visit_summary,
    visit_summary_data,
)
from caseworker_app.services.reports.audience import NameScrubber

START, END = date(2024, 9, 1), date(2025, 8, 31)

# What the school never sees: protective-services details, safety, narrative, risk.
SCHOOL_ABSENT = [
    "Risk level",
    "High",
    "Protective, in home",
    "Ongoing",
    "Conditionally safe",
    "Household violence that places the child in danger",
    "Caregiver's substance use seriously impairs care of the child",
    "Caregiver shows an emotional bond",
    "Mother is protective",
    "Grandmother stays overnight on weekends",
    "Weekly call from the worker",
    "Met Ana María at the kitchen table",
    "Correction: the visit started",
    "Second addendum",
    "Monthly face-to-face visit and safety plan review.",
    "smoke detector",
    "14 Elm Street",
    "Seen alone",
    "Mental health services",
    "Riverside Counseling",
    "Trauma-focused",
    "Men's recovery group",
    "Field trip fee",  # referral notes are free text from the worker
    "Dmitri",
    "Volkov",
]


def test_school_visit_summary_withholds_protective_details(family: Any, agency: Any, pdf_text: Any) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.SCHOOL))

    for absent in SCHOOL_ABSENT:
        assert absent not in text, absent
    for present in [
        "Prepared for the school",
        "C-2025-0042",
        "Home visit",
        "Mar 4, 2025",
        "Ana María García-Ivanova",
        "School needs (supplies, fees, trips)",
        "Lincoln PTA",
        "Call school counselor about attendance plan",
        "Mar 11, 2025",
        "Worker Jordan Lee",
    ]:
        assert present in text, present


def test_school_case_history_keeps_attendance_school_referrals_and_next_steps(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    data = case_history_data(family.source(), family.case.id, START, END, agency)
    text = pdf_text(render_case_history(data, Audience.SCHOOL))

    for absent in SCHOOL_ABSENT:
        assert absent not in text, absent
    for present in [
        "Attendance",
        "8 of 60 school days missed (13.3%) over these periods: CHRONICALLY ABSENT",
        "Feb 2025 20 4 1 20.0% Yes",
        "School needs (supplies, fees, trips)",
        "Open tasks",
        "Call school counselor about attendance plan",
        "Contacts (1)",
        "Home visit",
    ]:
        assert present in text, present


FAMILY_ABSENT = ["Risk level", "High", "Dmitri", "Volkov", "Men's recovery group", "Outpatient program"]


def test_family_visit_summary_has_no_risk_rating_nor_other_household_members(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FAMILY))

    for absent in FAMILY_ABSENT:
        assert absent not in text, absent
    for present in [
        "Prepared for the family",
        "Met Ana María at the kitchen table",
        "[household member] was present for part of the visit",
        "agreed that [household member] will not stay overnight",
        "Conditionally safe, with a safety plan",
        "Grandmother stays overnight on weekends",
        "Mental health services",
        "Ольга Иванова",
        "García-Ivanova",
    ]:
        assert present in text, present


def test_family_case_history_has_no_risk_rating_nor_other_household_members(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    data = case_history_data(family.source(), family.case.id, START, END, agency)
    text = pdf_text(render_case_history(data, Audience.FAMILY))
    for absent in FAMILY_ABSENT:
        assert absent not in text, absent
    assert "Household member" not in text  # not even as a row in the household table
    assert "Ольга Иванова Caregiver mother" in text


def test_agency_setting_lets_the_family_copy_show_household_members(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FAMILY, family_shows_household_members=True))
    assert "Dmitri Volkov" in text
    assert "Men's recovery group" in text
    assert "Risk level" not in text


def test_full_copy_keeps_everything_the_others_withhold(family: Any, agency: Any, pdf_text: Any) -> None:
    data = case_history_data(family.source(), family.case.id, START, END, agency)
    text = pdf_text(render_case_history(data, Audience.FULL))
    for present in [*SCHOOL_ABSENT[:2], "Dmitri Volkov", "Men's recovery group", "Mother is protective"]:
        assert present in text, present


def test_policy_table_school_referrals_and_household_setting() -> None:
    school = redaction_for(Audience.SCHOOL)
    assert school.referral_services is not None
    assert ServiceType.MENTAL_HEALTH not in school.referral_services
    wanted = {ServiceType.SCHOOL_NEEDS, ServiceType.PLAN_504, ServiceType.TRANSPORTATION}
    assert wanted <= school.referral_services
    assert redaction_for(Audience.FULL).referral_services is None
    assert not redaction_for(Audience.FAMILY).show_other_household_members
    assert redaction_for(Audience.FAMILY, family_shows_household_members=True).show_other_household_members
    # The setting is about the family copy only.
    school_with_setting = redaction_for(Audience.SCHOOL, family_shows_household_members=True)
    assert not school_with_setting.show_other_household_members
    assert Audience("school") is Audience.SCHOOL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dmitri Volkov stayed.", "[household member] stayed."),
        ("dmitri came back; DMITRI left.", "[household member] came back; [household member] left."),
        ("Dmitrievich is a patronymic.", "Dmitrievich is a patronymic."),
        ("The García-Ivanova family.", "The García-Ivanova family."),
        ("Ольга and Dmitri.", "Ольга and [household member]."),
    ],
)
def test_name_scrubber_removes_hidden_members_only(family: Any, text: str, expected: str) -> None:
    people = [family.ana, family.nikos, family.olga, family.dmitri]
    scrub = NameScrubber(people, redaction_for(Audience.FAMILY))
    assert scrub(text) == expected
    assert NameScrubber(people, redaction_for(Audience.FULL))(text) == text


def test_name_scrubber_keeps_a_first_name_a_visible_person_shares(family: Any) -> None:
    family.dmitri.first_name = "Ana"
    family.dmitri.role = PersonRole.HOUSEHOLD_MEMBER
    scrub = NameScrubber([family.ana, family.dmitri], redaction_for(Audience.FAMILY))
    assert scrub("Ana Volkov and Ana María") == "[household member] and Ana María"
