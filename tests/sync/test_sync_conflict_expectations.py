"""Three devices edit the same case offline; the conflicts that come out are written down by hand.

The storm in test_sync_convergence.py proves convergence under faults; this test proves the merge rule
itself against expectations a person worked out, not against a second copy of the rule.
"""

from __future__ import annotations

from caseworker_app.domain import Case, Person
from caseworker_app.domain.vocabulary import RiskLevel
from caseworker_app.sync.conflicts import list_conflicts


def _edit_case(device, case_id: str, **changes: object) -> None:  # type: ignore[no-untyped-def]
    case = device.store.repo.get(Case, case_id)
    for name, value in changes.items():
        setattr(case, name, value)
    device.store.repo.save(case)


def _edit_person(device, person_id: str, **changes: object) -> None:  # type: ignore[no-untyped-def]
    person = device.store.repo.get(Person, person_id)
    for name, value in changes.items():
        setattr(person, name, value)
    device.store.repo.save(person)


def test_conflicts_are_exactly_the_ones_worked_out_by_hand(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    a, b, boss = laptop("a", "liaison"), laptop("b", "liaison"), laptop("boss", "supervisor")

    # Starting point on every device: risk moderate, reference CW-2026-00042, Linh in grade 3.
    _edit_case(a, agency.case_id, risk_level=RiskLevel.HIGH)  # first to arrive: applied
    _edit_case(b, agency.case_id, risk_level=RiskLevel.HIGH, reference="CW-2026-00042-B")  # risk: same value
    _edit_case(boss, agency.case_id, risk_level=RiskLevel.LOW)  # risk: a real disagreement
    _edit_person(a, agency.child_id, grade="4")
    _edit_person(b, agency.child_id, grade="4")  # same value: nothing to do
    _edit_person(boss, agency.child_id, grade="5")  # a real disagreement
    _edit_person(b, agency.caregiver_id, relationship="aunt")  # nobody else touches it: applied

    assert a.sync().results == {"applied": 2}
    assert b.sync().results == {"applied": 1, "merged": 2}
    assert boss.sync().results == {"conflict": 2}
    for device in (a, b, boss):
        device.sync()

    expected = {
        ("case", "risk_level", "low", "high"),
        ("person", "grade", "5", "4"),
    }
    for device in (a, b, boss):
        found = {(c.entity, c.field, c.mine if device is boss else c.theirs, c.theirs if device is boss else c.mine)
                 for c in list_conflicts(device.store)}
        assert found == expected, device.name
        case = device.store.repo.get(Case, agency.case_id)
        assert (case.risk_level, case.reference) == (RiskLevel.HIGH, "CW-2026-00042-B")
        assert device.store.repo.get(Person, agency.child_id).grade == "4"
        assert device.store.repo.get(Person, agency.caregiver_id).relationship == "aunt"
