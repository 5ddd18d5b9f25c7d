"""Every demo narrative tells the same facts as its visit's fields: where, placement, which children were seen."""

from __future__ import annotations

import pytest

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.demo.generated import Caseload
from caseworker_app.domain.entities import Case, Note, Person, Visit
from caseworker_app.domain.vocabulary import ContactStatus, ContactType, Placement

# Words that put the worker inside a home, or describe what only a visit there could see.
AT_A_HOME = (
    "home visit with",
    "scheduled home visit",
    "unannounced home visit",
    "visited the family at home",
    "at the family's apartment",
    "at the resource home",
    "The resource home is clean",
    "The apartment was clean",
    "The home was free of obvious hazards",
    "The home had little furniture",
    "refrigerator",
    "Dinner was cooking",
    "on the couch",
    "in the living room",
    "The smoke detector in the hallway",
)
AT_THE_FAMILY_HOME = ("at the family's apartment", "visited the family at home", "The apartment was clean")
IN_HOME_ONLY = (
    "remain at home",
    "remains at home",
    "is home when the children get off the bus",
    "share one bedroom with",
    "Homework is done at the kitchen table",
)
OUT_OF_HOME_ONLY = ("resource home", "resource parent", "in their placement", "Family time")


def _stories(load: Caseload) -> list[tuple[Case, Visit, Note, dict[str, str]]]:
    cases = {c.id: c for c in load.cases}
    children: dict[str, dict[str, str]] = {}
    for person in load.people:
        if person.role.value == "child":
            children.setdefault(person.case_id, {})[person.id] = person.first_name
    notes = {n.visit_id: n for n in load.notes if n.addendum_to is None and n.visit_id}
    return [
        (cases[v.case_id], v, notes[v.id], children.get(v.case_id, {}))
        for v in load.visits
        if v.status is ContactStatus.COMPLETED and v.id in notes
    ]


def _contradictions(case: Case, visit: Visit, text: str, names: dict[str, str]) -> list[str]:
    found: list[str] = []
    kind = visit.contact_type
    out_of_home = case.placement is Placement.OUT_OF_HOME
    if kind is not ContactType.HOME_VISIT:
        found += [f"{kind.value} at {visit.location or 'no place'} says '{p}'" for p in AT_A_HOME if p in text]
    if out_of_home:
        found += [f"out-of-home case says '{p}'" for p in IN_HOME_ONLY + AT_THE_FAMILY_HOME if p in text]
    else:
        found += [f"in-home case says '{p}'" for p in OUT_OF_HOME_ONLY if p in text]
    if kind.face_to_face:
        for seen in visit.children:
            name = names[seen.person_id]
            alone = (f"{name} was seen alone", f"{name} was spoken with alone")
            if seen.seen_alone and not any(a in text for a in alone):
                found.append(f"{name} seen alone: yes, but the text does not say so")
            if not seen.seen_alone and any(a in text for a in alone):
                found.append(f"{name} seen alone: no, but the text says so")
            if not seen.seen and f"{name} was not present" not in text:
                found.append(f"{name} not seen, but the text does not say so")
            in_person = (f"met with {name}", f"visited {name} at", f"{name} proudly showed", f"{name} appeared")
            if not seen.seen and any(p in text for p in in_person):
                found.append(f"{name} not seen, but described in person")
            if seen.seen and f"{name} was not present" in text:
                found.append(f"{name} seen, but the text says not present")
    elif kind in (ContactType.PHONE, ContactType.COLLATERAL):
        in_person_only = ("seen alone", "spoken with alone", "proudly showed")
        found += [f"{kind.value} says '{p}'" for p in in_person_only if p in text]
    return found


@pytest.mark.parametrize("profile", ["default", "large"])
def test_every_demo_narrative_agrees_with_its_visit(profile: str) -> None:
    load = generate_caseload(profile)
    stories = _stories(load)
    assert len(stories) > (100 if profile == "default" else 1000)
    problems = []
    for case, visit, note, names in stories:
        for problem in _contradictions(case, visit, note.narrative, names):
            problems.append(f"{case.reference} {visit.occurred_at:%Y-%m-%d}: {problem}")
    assert problems == [], f"{len(problems)} contradictions, first: {problems[:5]}"


def test_the_checker_catches_the_contradictions_the_issue_names() -> None:
    # The checker itself must be able to fail: the three cases from issue 11, written by hand.
    case = Case(reference="CW-1", family_name="Doe", placement=Placement.OUT_OF_HOME)
    child = Person(case_id=case.id, role="child", first_name="Ana", last_name="Doe")  # type: ignore[arg-type]
    from datetime import UTC, datetime

    from caseworker_app.domain.entities import ChildSeen

    office = Visit(case_id=case.id, contact_type=ContactType.OFFICE, occurred_at=datetime.now(UTC),
                   children=[ChildSeen(person_id=child.id, seen=True, seen_alone=False)])
    names = {child.id: "Ana"}
    text = "Office visit. Ana was seen. The resource home is clean and safe. The children can remain at home. " \
           "Ana was seen alone for part of the visit."
    problems = _contradictions(case, office, text, names)
    assert any("resource home" in p for p in problems)
    assert any("remain at home" in p for p in problems)
    assert any("seen alone: no" in p for p in problems)
