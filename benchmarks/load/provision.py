"""Bulk provisioning for the load test: liaisons in teams, each with a demo-sized caseload, in seconds.

One argon2 hash serves every simulated user (hashing is slow on purpose). Caseloads are generated
for a few seeds only; every liaison gets a copy of one with its own ids (the first eight hex digits
of each id become the liaison's number) and its own name as assigned worker and author. Rows go in
with COPY, built as the server's own functions build them (changelog.dump_fields for the stored
text, one change number per record, one per case's access events, as bulk_insert then assign_case
number them), so a laptop's first sync pulls what `seed-demo` would have made for it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseworker_app.demo.caseload import generate_caseload
from caseworker_app.domain.codec import encode
from caseworker_app.domain.entities import ENTITY_NAMES
from caseworker_app.sync.protocol import REFERENCE_ENTITIES, TEAM_MEMBER_ENTITY
from caseworker_server import auth
from caseworker_server.changelog import ChangeSet, allocate, dump_fields
from caseworker_server.db import Database
from caseworker_server.models import User, utcnow
from caseworker_server.reference import put_school

TEMPLATES = 8  # distinct generated caseloads; liaison n gets template n % TEMPLATES
TEAM_SIZE = 10  # liaisons per supervisor, as in a school district's team
PLACEHOLDER = "load-template-worker"  # the worker name generated into a template, replaced per liaison
BATCH = 50  # liaisons per transaction
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

RECORD_COLUMNS = "entity, id, case_id, version, seq, fields, updated_at"
HISTORY_COLUMNS = "entity, row_id, case_id, version, fields, mutation_id, user_id, device_id, at"


@dataclass
class Template:
    rows: list[tuple[str, str, str | None, str]]  # entity, id, case id, stored text with PLACEHOLDER
    case_ids: list[str]
    own_ids: frozenset[str]  # ids to renumber per liaison (schools are shared reference rows)


def liaison_names(laptops: int) -> list[str]:
    return [f"load-{n:05d}" for n in range(laptops)]


def _template(seed: int) -> tuple[Template, list[Any]]:
    caseload = generate_caseload("default", seed=seed, worker=PLACEHOLDER)
    rows: list[tuple[str, str, str | None, str]] = []
    for record in caseload.records():
        entity = ENTITY_NAMES[type(record)]
        plain = {**encode(record), "id": record.id, "version": 1}
        if entity not in REFERENCE_ENTITIES:
            plain["case_id"] = record.case_id
        rows.append((entity, record.id, record.case_id, dump_fields(plain)))
    own = frozenset(row_id for entity, row_id, _case, _text in rows if entity not in REFERENCE_ENTITIES)
    return Template(rows, [case.id for case in caseload.cases], own), list(caseload.schools)


def _renumber(template: Template, number: int, name: str) -> Callable[[str], str]:
    prefix = f"{number:08x}"

    def swap(match: re.Match[str]) -> str:
        value = match.group(0)
        return prefix + value[8:] if value in template.own_ids else value

    def text(value: str) -> str:
        return UUID.sub(swap, value).replace(PLACEHOLDER, name)

    return text


def provision(url: str, laptops: int, password: str, progress: Callable[[str], None] = print) -> list[str]:
    """Create `laptops` liaisons (teams of TEAM_SIZE under a supervisor) with their caseloads."""
    started = time.monotonic()
    templates = []
    schools: dict[str, Any] = {}
    for seed in range(TEMPLATES):
        template, template_schools = _template(1000 + seed)
        templates.append(template)
        schools.update({school.id: school for school in template_schools})
    progress(f"  generated {TEMPLATES} caseload templates in {time.monotonic() - started:.0f} s")
    names = liaison_names(laptops)
    shared_hash = auth.hash_password(password)
    db = Database(url)
    try:
        with db.write() as session:
            changes = ChangeSet()
            for school in schools.values():
                put_school(session, changes, school.id, school.name, school.district)
            changes.stamp(session)
            user_ids = _users(session, names, shared_hash)
        progress(f"  {len(user_ids)} users in {time.monotonic() - started:.0f} s")
        for first in range(0, laptops, BATCH):
            with db.write() as session:
                _caseloads(session, templates, names, user_ids, range(first, min(first + BATCH, laptops)))
        progress(f"  {laptops} caseloads in {time.monotonic() - started:.0f} s")
        with db.write() as session:
            session.connection().exec_driver_sql("ANALYZE")
    finally:
        db.dispose()
    return names


def _users(session: Session, names: list[str], password_hash: str) -> dict[str, tuple[int, int]]:
    """Supervisors and liaisons in two statements, with their team-member rows; name -> (id, supervisor id)."""
    now = utcnow()
    supervisors = [f"load-supervisor-{n:04d}" for n in range(0, len(names), TEAM_SIZE)]
    session.execute(
        insert(User),
        [
            {
                "username": name,
                "display_name": name,
                "role": "supervisor",
                "password_hash": password_hash,
                "disabled": False,
                "created_at": now,
            }
            for name in supervisors
        ],
    )
    boss = {
        row.username: row.id
        for row in session.execute(select(User.username, User.id).where(User.username.in_(supervisors)))
    }
    session.execute(
        insert(User),
        [
            {
                "username": name,
                "display_name": name,
                "role": "liaison",
                "password_hash": password_hash,
                "supervisor_id": boss[supervisors[n // TEAM_SIZE]],
                "disabled": False,
                "created_at": now,
            }
            for n, name in enumerate(names)
        ],
    )
    ids = {
        row.username: row.id for row in session.execute(select(User.username, User.id).where(User.username.in_(names)))
    }
    # The team-member reference row add_user writes for everyone (put_team_member's fields).
    people = [(name, "supervisor") for name in supervisors] + [(name, "liaison") for name in names]
    seq = allocate(session, len(people))
    rows = []
    for offset, (name, role) in enumerate(people):
        text = dump_fields(
            {"username": name, "display_name": name, "role": role, "active": True, "id": name, "version": 1}
        )
        rows.append((TEAM_MEMBER_ENTITY, name, None, 1, seq + offset, text, now))
    _copy(session, f"COPY records ({RECORD_COLUMNS}) FROM STDIN", rows)
    _copy(
        session,
        f"COPY record_history ({HISTORY_COLUMNS}) FROM STDIN",
        [(e, i, c, v, t, None, None, None, at) for e, i, c, v, _s, t, at in rows],
    )
    return {name: (ids[name], boss[supervisors[n // TEAM_SIZE]]) for n, name in enumerate(names)}


def _caseloads(
    session: Session,
    templates: list[Template],
    names: list[str],
    user_ids: dict[str, tuple[int, int]],
    numbers: range,
) -> None:
    """Records and history (as bulk_insert writes them), then each case assigned (as assign_case)."""
    count = sum(len(templates[n % TEMPLATES].rows) + len(templates[n % TEMPLATES].case_ids) for n in numbers)
    seq = allocate(session, count)
    now = utcnow()
    records: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    assignments: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for n in numbers:
        template, name = templates[n % TEMPLATES], names[n]
        user_id, supervisor_id = user_ids[name]
        renumber = _renumber(template, n + 1, name)
        for entity, row_id, case_id, text in template.rows:
            new_id = renumber(row_id)
            new_case = renumber(case_id) if case_id else None
            stored = renumber(text)
            records.append((entity, new_id, new_case, 1, seq, stored, now))
            history.append((entity, new_id, new_case, 1, stored, None, None, None, now))
            seq += 1
        for case_id in template.case_ids:
            new_case = renumber(case_id)
            assignments.append((new_case, user_id, now, "load-test"))
            for viewer in sorted((user_id, supervisor_id)):
                events.append((seq, viewer, new_case, "grant", now))
            seq += 1
    _copy(session, f"COPY records ({RECORD_COLUMNS}) FROM STDIN", records)
    _copy(session, f"COPY record_history ({HISTORY_COLUMNS}) FROM STDIN", history)
    _copy(session, "COPY case_assignments (case_id, user_id, assigned_at, assigned_by) FROM STDIN", assignments)
    _copy(session, "COPY access_events (seq, user_id, case_id, kind, at) FROM STDIN", events)


def _copy(session: Session, statement: str, rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]) -> None:
    """COPY rows in through the session's own PostgreSQL connection (same transaction)."""
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)
