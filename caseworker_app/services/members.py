"""Household members: add a child, caregiver or other member; edit school, grade, student id, relationship."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from caseworker_app.domain.entities import Case, Person
from caseworker_app.domain.errors import ValidationError
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.domain.workflow import choose
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved


def _check_school(store: LocalStore, school_id: str | None) -> None:
    if school_id and school_id not in {s.id for s in store.repo.schools()}:
        raise ValidationError("school_id", _("Choose one of the agency's schools."))


def add_member(
    store: LocalStore,
    case_id: str,
    role: PersonRole | str,
    first_name: str,
    last_name: str,
    *,
    date_of_birth: date | None = None,
    relationship: str = "",
    school_id: str | None = None,
    grade: str = "",
    student_id: str = "",
    preferred_language: str = "",
) -> Person:
    """Add a member to a case's household; children may carry a school, grade and student id."""
    case = store.repo.get(Case, case_id)
    _check_school(store, school_id)
    person = Person(
        case_id=case.id,
        role=choose(PersonRole, role, "role"),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        relationship=relationship,
        school_id=school_id,
        grade=grade.strip(),
        student_id=student_id.strip(),
        preferred_language=preferred_language,
    )
    if date_of_birth is not None and date_of_birth > date.today():
        raise ValidationError("date_of_birth", _("The date of birth cannot be in the future."))
    return store.repo.add(person)


def edit_member(store: LocalStore, person_id: str, changes: Mapping[str, Any], seen: Person) -> Saved[Person]:
    """Change a member's details (school, grade, student id, relationship, names, role).

    Only the fields changed since `seen` are written. Caregivers are members with the
    caregiver role and their relationship ("mother", "maternal aunt").
    """
    if "school_id" in changes:
        _check_school(store, changes["school_id"])
    return store.repo.update(Person, person_id, changes, seen=seen)


def caregivers(store: LocalStore, case_id: str) -> list[Person]:
    return [p for p in store.repo.for_case(Person, case_id) if p.role is PersonRole.CAREGIVER]
