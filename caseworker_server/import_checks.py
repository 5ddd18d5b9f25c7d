"""Checking an agency export before anything is written: each mistake named by record, field and allowed values.

Messages read like "case CW-7: risk_level 'hi' is not one of low, moderate, high,
very_high", so the person fixing the agency's file knows where to look.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.vocabulary import CaseStage, CaseType, PersonRole, Placement, RiskLevel
from caseworker_app.sync.protocol import SCHOOL_ENTITY
from caseworker_server.errors import Invalid
from caseworker_server.models import Record, User

TOP_FIELDS = ("schools", "cases")
SCHOOL_FIELDS = ("id", "name", "district")
CASE_FIELDS = (
    "id", "reference", "family_name", "stage", "case_type", "placement", "risk_level",
    "school_id", "opened_on", "closed_on", "assigned_to", "preferred_language", "members",
)  # fmt: skip
MEMBER_FIELDS = (
    "id", "role", "first_name", "last_name", "date_of_birth", "relationship", "school_id", "grade", "student_id",
    "preferred_language",
)  # fmt: skip
CASE_CHOICES: dict[str, type[StrEnum]] = {
    "stage": CaseStage,
    "case_type": CaseType,
    "placement": Placement,
    "risk_level": RiskLevel,
}
DATE_FIELDS = ("opened_on", "closed_on", "date_of_birth")


def _unknown(item: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    extra = sorted(set(item) - set(allowed))
    if extra:
        raise Invalid(
            f"{where}: unknown field{'s' if len(extra) > 1 else ''} {', '.join(repr(e) for e in extra)} "
            f"(the fields are {', '.join(allowed)})."
        )


def _uuid(value: Any, where: str, field: str = "id") -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f'{where}: each entry needs an "{field}" (a UUID like 3f2b8c1e-...).')
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        example = "3f2b8c1e-5d4a-4c1b-9e7f-0a1b2c3d4e5f"
        raise Invalid(f"{where}: {field} '{value}' is not a UUID (like {example}).") from None


def _choice(item: dict[str, Any], field: str, choices: type[StrEnum], where: str) -> None:
    if field in item and item[field] is not None and item[field] not in {c.value for c in choices}:
        allowed = ", ".join(c.value for c in choices)
        raise Invalid(f"{where}: {field} '{item[field]}' is not one of {allowed}.")


def _dates(item: dict[str, Any], where: str) -> None:
    for field in DATE_FIELDS:
        value = item.get(field)
        if value is None:
            continue
        try:
            date.fromisoformat(value)
            ok = isinstance(value, str) and len(value) == 10
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise Invalid(f"{where}: {field} '{value}' is not a date as YYYY-MM-DD.")


def _school(session: Session, school_ids: set[str], value: Any, where: str) -> None:
    if value is None or value == "":
        return
    school_id = _uuid(value, where, "school_id")
    if school_id not in school_ids and session.get(Record, (SCHOOL_ENTITY, school_id)) is None:
        raise Invalid(f"{where}: school_id {value} is not a school in this file or on the server.")


def case_label(case: Any, n: int) -> str:
    reference = case.get("reference") if isinstance(case, dict) else None
    return f"case {reference}" if isinstance(reference, str) and reference.strip() else f"case {n}"


def check_export(session: Session, data: dict[str, Any]) -> None:
    """Raise Invalid naming the first mistake; return only when every entry can be written."""
    _unknown(data, TOP_FIELDS, "the file")
    schools = data.get("schools") or []
    if not isinstance(schools, list):
        raise Invalid('"schools" must be a list.')
    school_ids: set[str] = set()
    for n, school in enumerate(schools, 1):
        where = f"school {n}"
        if not isinstance(school, dict):
            raise Invalid(f"{where}: each school must be an object.")
        _unknown(school, SCHOOL_FIELDS, where)
        school_id = _uuid(school.get("id"), where)
        if school_id in school_ids:
            raise Invalid(f"{where}: id {school_id} appears twice in the file.")
        school_ids.add(school_id)

    case_ids: dict[str, str] = {}
    references: dict[str, tuple[str, str]] = {}  # reference (upper case) -> (where, case id)
    member_ids: set[str] = set()
    cases = data.get("cases") or []
    assignees = {str(c["assigned_to"]) for c in cases if isinstance(c, dict) and c.get("assigned_to")}
    users = _existing_users(session, assignees)
    for n, case in enumerate(cases, 1):
        where = case_label(case, n)
        if not isinstance(case, dict):
            raise Invalid(f"case {n}: each case must be an object.")
        _unknown(case, CASE_FIELDS, where)
        case_id = _uuid(case.get("id"), where)
        if case_id in case_ids:
            raise Invalid(f"{where}: a duplicate of {case_ids[case_id]} (the same id {case_id}).")
        case_ids[case_id] = where
        reference = str(case.get("reference") or "").strip()
        if reference:
            if reference.upper() in references:
                raise Invalid(f"{where}: a duplicate of {references[reference.upper()][0]} (the same reference).")
            references[reference.upper()] = (where, case_id)
        for field, choices in CASE_CHOICES.items():
            _choice(case, field, choices, where)
        _dates(case, where)
        _school(session, school_ids, case.get("school_id"), where)
        assignee = case.get("assigned_to")
        if assignee and str(assignee) not in users:
            raise Invalid(f"{where}: assigned_to '{assignee}' is not a user here (see 'caseworker-server user list').")
        members = case.get("members") or []
        if not isinstance(members, list):
            raise Invalid(f'{where}: "members" must be a list.')
        for m, member in enumerate(members, 1):
            mwhere = f"{where}, member {m}"
            if not isinstance(member, dict):
                raise Invalid(f"{mwhere}: each member must be an object.")
            _unknown(member, MEMBER_FIELDS, mwhere)
            member_id = _uuid(member.get("id"), mwhere)
            if member_id in member_ids or member_id in case_ids:
                raise Invalid(f"{mwhere}: id {member_id} appears twice in the file.")
            member_ids.add(member_id)
            _choice(member, "role", PersonRole, mwhere)
            _dates(member, mwhere)
            _school(session, school_ids, member.get("school_id"), mwhere)
    # One pass over the server's cases: a reference held by another case is a duplicate, not an update.
    for reference, row_id in _server_references(session, set(references)).items():
        where, case_id = references[reference]
        if row_id != case_id:
            raise Invalid(f"{where}: the server already has another case with this reference (id {row_id}).")


def _existing_users(session: Session, wanted: set[str]) -> set[str]:
    """Which of these user names exist, in one query rather than one per case."""
    return set(session.scalars(select(User.username).where(User.username.in_(sorted(wanted))))) if wanted else set()


def _server_references(session: Session, wanted: set[str]) -> dict[str, str]:
    """Reference (upper case) -> case id, for the server's cases with one of the file's references."""
    found: dict[str, str] = {}
    for row_id, fields in session.execute(select(Record.id, Record.fields).where(Record.entity == "case")):
        reference = str(json.loads(fields).get("reference", "")).strip().upper()
        if reference in wanted:
            found[reference] = row_id
    return found
