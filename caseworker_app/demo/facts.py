"""The facts of one demo contact, read from its structured fields, that its narrative must agree with.

Where it happened (the family's home, the resource home, a school, the office, or
at a distance), whether the children live at home, and which children were seen
and seen alone. The narrative writer picks only sentences these facts allow and
states each child's seen status in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.demo.generated import Family
from caseworker_app.domain.entities import Person, Visit
from caseworker_app.domain.vocabulary import ContactStatus, ContactType, Placement

MARKS = "+-@%^!&"


@dataclass(frozen=True)
class Scene:
    """What a sentence may assume; one flag per phrasebook mark."""

    at_family_home: bool = False  # "@"
    at_resource_home: bool = False  # "%"
    in_person: bool = False  # "^": a school-age child was seen face to face
    someone_alone: bool = False  # "!"
    two_seen: bool = False  # "^" with {child2}
    lives_at_home: bool = True  # "&"

    def allows(self, marks: str, text: str) -> bool:
        if "@" in marks and not self.at_family_home:
            return False
        if "%" in marks and not self.at_resource_home:
            return False
        if "^" in marks and not (self.in_person and ("{child2}" not in text or self.two_seen)):
            return False
        if "!" in marks and not (self.in_person and self.someone_alone):
            return False
        return not ("&" in marks and not self.lives_at_home)


@dataclass(frozen=True)
class VisitFacts:
    scene: Scene
    seen: tuple[Person, ...] = ()  # school-age children seen in person, for {child}
    alone: tuple[Person, ...] = ()  # of those, the ones seen alone
    statements: tuple[str, ...] = ()  # each child's seen status, in words


def remote_facts(family: Family) -> VisitFacts:
    """Facts for text written away from any visit (an addendum): nothing seen, only the placement."""
    return VisitFacts(Scene(lives_at_home=family.case.placement is Placement.IN_HOME))


def visit_facts(family: Family, visit: Visit) -> VisitFacts:
    kind = visit.contact_type
    out_of_home = family.case.placement is Placement.OUT_OF_HOME
    completed = visit.status is ContactStatus.COMPLETED
    in_person = completed and kind.face_to_face
    by_id = {child.id: child for child in family.children}
    seen = [by_id[c.person_id] for c in visit.children if c.seen and by_id[c.person_id].school_id] if in_person else []
    alone = [by_id[c.person_id] for c in visit.children if c.seen_alone and by_id[c.person_id].school_id]
    scene = Scene(
        at_family_home=completed and kind is ContactType.HOME_VISIT and not out_of_home,
        at_resource_home=completed and kind is ContactType.HOME_VISIT and out_of_home,
        in_person=bool(seen),
        someone_alone=bool(in_person and alone),
        two_seen=len(seen) > 1,
        lives_at_home=not out_of_home,
    )
    return VisitFacts(scene, tuple(seen), tuple(alone) if in_person else (), _statements(family, visit))


def _statements(family: Family, visit: Visit) -> tuple[str, ...]:
    """One sentence per child, straight from the ChildSeen fields."""
    if visit.status is not ContactStatus.COMPLETED:
        return ()
    kind = visit.contact_type
    names = {child.id: child.first_name for child in family.children}
    out_of_home = family.case.placement is Placement.OUT_OF_HOME
    if kind is ContactType.SCHOOL_VISIT:
        company = "school staff nearby"
    elif kind is ContactType.HOME_VISIT and out_of_home:
        company = "the resource parent present"
    else:
        company = f"{family.adults[0].first_name} present"
    lines: list[str] = []
    for child in visit.children:
        name = names[child.person_id]
        if kind is ContactType.VIRTUAL:
            lines.append(f"{name} joined the call." if child.seen else f"{name} did not join the call.")
        elif not kind.face_to_face:
            continue
        elif child.seen_alone:
            lines.append(f"{name} was seen alone for part of the visit.")
        elif child.seen:
            lines.append(f"{name} was seen, with {company}.")
        else:
            lines.append(f"{name} was not present and will be seen this month.")
    return tuple(lines)
