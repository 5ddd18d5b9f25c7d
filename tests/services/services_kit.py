"""A small household in a real encrypted store, as the server would have sent it; outbox reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from caseworker_app.domain import Case, Person
from caseworker_app.domain.vocabulary import CaseStage, PersonRole, Placement, RiskLevel
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import OutboxEntry
from caseworker_app.store.repository import import_snapshot


@dataclass
class Household:
    case: Case
    ana: Person
    ben: Person
    mother: Person


def make_household(store: LocalStore) -> Household:
    case = Case(
        reference="CW-2026-00042",
        family_name="Silva",
        stage=CaseStage.ONGOING,
        risk_level=RiskLevel.MODERATE,
        placement=Placement.IN_HOME,
        opened_on=date(2026, 1, 5),
        assigned_worker="liaison",
    )
    ana = Person(case_id=case.id, role=PersonRole.CHILD, first_name="Ana", last_name="Silva", grade="3")
    ben = Person(case_id=case.id, role=PersonRole.CHILD, first_name="Ben", last_name="Silva", grade="1")
    mother = Person(case_id=case.id, role=PersonRole.CAREGIVER, first_name="Rosa", last_name="Silva")
    import_snapshot(store.db, [case, ana, ben, mother])  # acknowledged by the server, nothing to send
    return Household(store.repo.get(Case, case.id), ana, ben, mother)


def outbox(store: LocalStore) -> list[OutboxEntry]:
    with store.db.reading() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
