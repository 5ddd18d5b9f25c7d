"""Who a PDF names (full name and title, never a user name) and what a family copy withholds about a placement."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.entities import Case, Person, Visit
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.domain.vocabulary import Placement
from caseworker_app.services.reports import (
    Audience,
    case_history_data,
    render_case_history,
    render_visit_summary,
    visit_summary_data,
)
from caseworker_app.services.staff import StaffMember

START, END = date(2024, 9, 1), date(2025, 8, 31)
STAFF = {
    "liaison": StaffMember("Jordan Rivera", "Family liaison"),
    "super": StaffMember("Morgan Ellis", "Supervisor"),
}


def as_user_names(family: Any) -> Any:
    """The records as the store holds them: authors, workers and assignees are user names."""
    family.visit.worker = "liaison"
    family.note.author = "liaison"
    for addendum in family.addenda:
        addendum.author = "super"
    for task in family.tasks:
        task.assigned_to = "liaison"
    family.assessment.assessor = "liaison"
    family.case.assigned_worker = "liaison"
    return family


def user_names_left(text: str) -> list[str]:
    """Bare user names in the text ("Family liaison", the title, is not one)."""
    return re.findall(r"(?<!Family )\b(?:liaison|super)\b", text)


def test_visit_summary_names_every_person_by_full_name_and_title(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    as_user_names(family)
    data = visit_summary_data(family.source(), family.visit.id, agency, STAFF)
    text = pdf_text(render_visit_summary(data, Audience.FULL))

    assert "Worker Jordan Rivera, Family liaison" in text
    assert "by Jordan Rivera, Family liaison" in text  # the note's byline
    assert "by Morgan Ellis, Supervisor" in text  # an addendum's byline
    assert "Call school counselor about attendance plan Jordan Rivera" in text  # the assignee column
    assert user_names_left(text) == [], text


def test_case_history_names_every_person_by_full_name_and_title(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    as_user_names(family)
    data = case_history_data(family.source(), family.case.id, START, END, agency, STAFF)
    text = pdf_text(render_case_history(data, Audience.FULL))

    assert "Worker Jordan Rivera, Family liaison" in text  # the case facts
    assert "Worker: Jordan Rivera" in text  # each contact's details
    assert "by Jordan Rivera, Family liaison" in text
    assert "by Morgan Ellis, Supervisor" in text
    assert user_names_left(text) == [], text


def test_a_colleague_the_directory_does_not_know_keeps_what_was_recorded(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    as_user_names(family)
    data = visit_summary_data(family.source(), family.visit.id, agency, {})
    text = pdf_text(render_visit_summary(data, Audience.FULL))
    assert "by liaison" in text  # nothing better is known; never an empty byline


# -- placement: what a family copy withholds --------------------------------------------------------

# The out-of-home placements a liaison records: foster (resource) homes, relatives, group care.
PLACEMENTS = {
    "foster home": ("Foster home, 12 Elm St", "Mary Jones (resource parent)", "Mary Jones"),
    "resource home": ("Resource home, 77 Birch Lane, 555-0142", "Tom Okafor (resource parent)", "Tom Okafor"),
    "kinship home": ("Aunt's home, 8 Oak Ave", "Linda Park (aunt, kinship caregiver)", "Linda Park"),
    "group home": ("Hillside Group Home, 40 Pine Rd", "Sam Reyes (house manager)", "Sam Reyes"),
}


def placed_out_of_home(family: Any, location: str, participant: str, name: str) -> Any:
    family.case.placement = Placement.OUT_OF_HOME
    family.visit.location = location
    family.visit.participants = ["Ольга Иванова", participant]
    family.note.narrative += f"\n\n{name} said the children sleep well at 12 Elm St."
    return family


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_family_copy_never_says_where_a_child_is_placed(
    placement: str, family: Any, agency: Any, pdf_text: Any
) -> None:
    location, participant, name = PLACEMENTS[placement]
    placed_out_of_home(family, location, participant, name)
    source = family.source()
    summary = pdf_text(render_visit_summary(visit_summary_data(source, family.visit.id, agency), Audience.FAMILY))
    history = pdf_text(
        render_case_history(case_history_data(source, family.case.id, START, END, agency), Audience.FAMILY)
    )

    for text in (summary, history):
        assert "Location" not in text
        for part in location.split(", "):
            assert part not in text, part
        assert name not in text
        assert "Ольга Иванова" in text  # the family's own people are still named
    assert "Others present, not named on this copy" in summary  # withheld, and said so
    assert "others not named on this copy" in history
    # The internal copy keeps all of it.
    full = pdf_text(render_visit_summary(visit_summary_data(source, family.visit.id, agency), Audience.FULL))
    assert location in full and name in full


def test_family_copy_shows_placement_when_the_agency_marks_it_shareable(
    family: Any, agency: Any, pdf_text: Any
) -> None:
    location, participant, name = PLACEMENTS["foster home"]
    placed_out_of_home(family, location, participant, name)
    data = visit_summary_data(family.source(), family.visit.id, agency)
    text = pdf_text(render_visit_summary(data, Audience.FAMILY, family_shares_placement_details=True))
    assert f"Location {location}" in text
    assert name in text


def test_family_copy_of_an_in_home_case_still_shows_the_location(family: Any, agency: Any, pdf_text: Any) -> None:
    data = visit_summary_data(family.source(), family.visit.id, agency)
    assert "Location 14 Elm Street, Apt 3" in pdf_text(render_visit_summary(data, Audience.FAMILY))


class DemoSource:
    def __init__(self, records: list[Any]) -> None:
        self.records = {r.id: r for r in records}

    def get(self, cls: type, record_id: str) -> Any:
        record = self.records.get(record_id)
        if not isinstance(record, cls):
            raise CaseworkerError(f"No {cls.__name__} {record_id}")
        return record

    def for_case(self, cls: type, case_id: str) -> list[Any]:
        return [r for r in self.records.values() if isinstance(r, cls) and getattr(r, "case_id", None) == case_id]


DEMO = generate_caseload()
DEMO_PLACED = [c for c in DEMO.cases if c.placement is Placement.OUT_OF_HOME]


@pytest.mark.parametrize("case", DEMO_PLACED, ids=[c.reference for c in DEMO_PLACED])
def test_family_copies_of_the_demo_out_of_home_cases_withhold_the_placement(
    case: Case, agency: Any, pdf_text: Any
) -> None:
    source = DemoSource([*DEMO.records(), *DEMO.schools])
    visits = [v for v in source.for_case(Visit, case.id) if v.location]
    people = {p.full_name for p in source.for_case(Person, case.id)}
    assert any(v.location == "Resource home" for v in visits)  # the demo has such a visit to print
    start = min(v.occurred_at for v in visits).date()
    end = max(v.occurred_at for v in visits).date()
    history = pdf_text(render_case_history(case_history_data(source, case.id, start, end, agency), Audience.FAMILY))
    assert "Location" not in history
    assert "Resource parent" not in history
    for visit in visits:
        summary = pdf_text(render_visit_summary(visit_summary_data(source, visit.id, agency), Audience.FAMILY))
        assert "Location" not in summary, visit.location
        for participant in visit.participants:
            if not any(participant.startswith(name) for name in people):
                assert participant not in summary
