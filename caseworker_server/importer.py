"""`case import FILE`: cases, their members and schools from an agency system's JSON export.

The whole file is checked before anything is written; a case or member already on
the server is updated in place (new version, history kept), so re-importing is safe.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from caseworker_app.domain.codec import encode
from caseworker_server import access
from caseworker_server.admin import get_user
from caseworker_server.changelog import ChangeSet
from caseworker_server.errors import Invalid, NotFound
from caseworker_server.import_checks import case_label, check_export
from caseworker_server.models import Record
from caseworker_server.records import RecordRejected, to_record
from caseworker_server.reference import put_school


@dataclass
class ImportSummary:
    schools: int = 0
    cases: int = 0
    members: int = 0
    assigned: int = 0


def load_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise Invalid(f"No such file: {path}.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"{path} is not a readable JSON file.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases", []), list):
        raise Invalid('The file must be a JSON object with a "cases" list (and optionally "schools").')
    return data


def _require_id(item: Any, where: str) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise Invalid(f'{where}: each entry needs an "id".')
    return str(uuid.UUID(str(item["id"]).strip()))


def import_cases(session: Session, data: dict[str, Any]) -> ImportSummary:
    """Check the whole file, then write it; the caller's one transaction makes it all or nothing."""
    check_export(session, data)
    summary = ImportSummary()
    changes = ChangeSet()
    for n, school in enumerate(data.get("schools", []) or [], 1):
        school_id = _require_id(school, f"school {n}")
        if not isinstance(school.get("name"), str) or not school["name"].strip():
            raise Invalid(f"school {n}: enter the school's name.")
        if put_school(session, changes, school_id, school["name"], str(school.get("district", ""))):
            summary.schools += 1
    assignments: list[tuple[str, str]] = []
    for n, case in enumerate(data.get("cases", []), 1):
        where = case_label(case, n)
        case_id = _require_id(case, where)
        fields = {k: v for k, v in case.items() if k not in ("members", "assigned_to")}
        fields.update(id=case_id, case_id=case_id)
        _upsert(session, changes, "case", case_id, case_id, fields, where)
        summary.cases += 1
        members = case.get("members", []) or []
        if not isinstance(members, list):
            raise Invalid(f'case {n}: "members" must be a list.')
        for m, member in enumerate(members, 1):
            member_id = _require_id(member, f"{where}, member {m}")
            # last_name is optional in agency exports (some families go by one name).
            plain = {"last_name": "", **member, "id": member_id, "case_id": case_id}
            _upsert(session, changes, "person", member_id, case_id, plain, f"{where}, member {m}")
            summary.members += 1
        if case.get("assigned_to"):
            assignments.append((case_id, str(case["assigned_to"])))
    changes.stamp(session)
    for case_id, username in assignments:
        try:
            user = get_user(session, username)
        except NotFound as exc:
            raise Invalid(f"Case {case_id} is assigned to {username}, who is not a user here.") from exc
        assign_changes = ChangeSet()
        access.assign_case(session, assign_changes, case_id, user, "import")
        assign_changes.stamp(session)
        summary.assigned += 1
    return summary


def _upsert(
    session: Session,
    changes: ChangeSet,
    entity: str,
    row_id: str,
    case_id: str,
    fields: dict[str, Any],
    where: str,
) -> None:
    existing = session.get(Record, (entity, row_id), with_for_update=True)
    if existing is not None and existing.case_id != case_id:
        raise Invalid(f"{where}: id {row_id} already belongs to another case.")
    current = json.loads(existing.fields) if existing is not None else {}
    merged = {**current, **fields, "version": existing.version if existing else 0}
    try:
        record = to_record(entity, merged)
    except RecordRejected as exc:
        raise Invalid(f"{where}: {exc}") from exc
    plain = encode(record)
    if existing is not None and all(current.get(k) == v for k, v in plain.items() if k != "version"):
        return
    changes.write(session, entity, row_id, case_id, plain, existing=existing)
