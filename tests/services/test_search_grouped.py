"""Search results grouped by case: two families of one name are told apart by reference, school and stage."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseworker_app.domain import Case, Person
from caseworker_app.domain.entities import Note, School
from caseworker_app.domain.vocabulary import CaseStage, NoteStatus, PersonRole
from caseworker_app.services.search_page import search_page
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.repository import import_snapshot


def sanchez_family(reference: str, school: School, stage: CaseStage, children: list[str], notes: int) -> list[object]:
    case = Case(reference=reference, family_name="Sánchez", stage=stage, school_id=school.id,
                opened_on=date(2026, 1, 5), assigned_worker="liaison")
    people: list[object] = [
        Person(case_id=case.id, role=PersonRole.CHILD, first_name=name, last_name="Sánchez", school_id=school.id)
        for name in children
    ]
    people.append(Person(case_id=case.id, role=PersonRole.CAREGIVER, first_name="Rosa", last_name="Sánchez"))
    written = [
        Note(case_id=case.id, author="liaison", status=NoteStatus.FINAL,
             written_at=datetime(2026, 2, 1, 15, tzinfo=UTC),
             narrative=f"Call {number}: spoke with Ms. Sánchez about attendance.")
        for number in range(notes)
    ]
    return [case, *people, *written]


@pytest.fixture
def two_sanchez_families(store: LocalStore) -> tuple[School, School]:
    lincoln, oak = School(name="Lincoln Elementary"), School(name="Oak Park Elementary")
    store.repo.save_schools([lincoln, oak])
    import_snapshot(store.db, [
        *sanchez_family("CW-2026-00101", lincoln, CaseStage.ONGOING, ["Sebastián", "Lucía"], 4),
        *sanchez_family("CW-2026-00202", oak, CaseStage.INTAKE, ["Mateo"], 3),
    ])
    return lincoln, oak


def test_hits_are_grouped_under_one_row_per_case(
    store: LocalStore, two_sanchez_families: tuple[School, School]
) -> None:
    page = search_page(store, "Sánchez")

    assert page.total == len(page.hits) == 2 + (3 + 2) + (4 + 3)  # cases, people, notes
    by_reference = {g.reference: g for g in page.cases}
    assert set(by_reference) == {"CW-2026-00101", "CW-2026-00202"}
    first, second = by_reference["CW-2026-00101"], by_reference["CW-2026-00202"]
    assert (first.family_name, first.school, first.stage) == ("Sánchez", "Lincoln Elementary", "ongoing")
    assert (second.family_name, second.school, second.stage) == ("Sánchez", "Oak Park Elementary", "intake")
    assert len(first.hits) == 1 + 3 + 4 and len(second.hits) == 1 + 2 + 3
    assert all(h.case_id == first.case_id for h in first.hits)
    # every hit of the page sits under exactly one case
    assert sorted(h.row_id for g in page.cases for h in g.hits) == sorted(h.row_id for h in page.hits)


def test_a_child_found_by_first_name_shows_under_its_own_case(
    store: LocalStore, two_sanchez_families: tuple[School, School]
) -> None:
    page = search_page(store, "Mateo")
    assert [(g.reference, g.school, len(g.hits)) for g in page.cases] == [("CW-2026-00202", "Oak Park Elementary", 1)]
