"""`seed-demo`: demo users and a generated caseload, for the README, tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.codec import encode
from caseworker_app.domain.entities import ENTITY_NAMES
from caseworker_server import access, admin
from caseworker_server.changelog import ChangeSet, bulk_insert
from caseworker_server.models import Record, User
from caseworker_server.reference import ensure_service_catalog, put_school

# (username, role, supervisor, display name, caseload profile and seed or None)
DEMO_USERS: tuple[tuple[str, str, str | None, str, tuple[str, int] | None], ...] = (
    ("admin", "admin", None, "Agency IT", None),
    ("supervisor", "supervisor", None, "Dana Reyes", None),
    ("liaison", "liaison", "supervisor", "Sam Okafor", ("default", 7)),
    ("liaison2", "liaison", "supervisor", "Lee Park", ("default", 11)),
    ("other", "liaison", None, "Robin Hale", ("default", 13)),
)


@dataclass
class DemoSummary:
    users: int = 0
    cases: int = 0
    records: int = 0


def seed_demo(session: Session, password: str, *, profile: str = "default") -> DemoSummary:
    """Create the demo users (all with `password`) and their caseloads; skip what exists."""
    summary = DemoSummary()
    changes = ChangeSet()
    ensure_service_catalog(session, changes)
    changes.stamp(session)
    for username, role, supervisor, display, load in DEMO_USERS:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            user = admin.add_user(session, username, role, password, supervisor=supervisor, display_name=display)
            summary.users += 1
        if load is None:
            continue
        caseload_profile, seed = load
        if username == "liaison":
            caseload_profile = profile
        caseload = generate_caseload(caseload_profile, seed=seed, worker=username)
        if session.get(Record, ("case", caseload.cases[0].id)) is not None:
            continue
        school_changes = ChangeSet()
        for school in caseload.schools:
            put_school(session, school_changes, school.id, school.name, school.district)
        school_changes.stamp(session)
        rows: list[tuple[str, str, str | None, dict[str, Any]]] = [
            (ENTITY_NAMES[type(record)], record.id, record.case_id, encode(record)) for record in caseload.records()
        ]
        summary.records += bulk_insert(session, rows)
        for case in caseload.cases:
            assign_changes = ChangeSet()
            access.assign_case(session, assign_changes, case.id, user, "seed-demo")
            assign_changes.stamp(session)
            summary.cases += 1
    return summary
