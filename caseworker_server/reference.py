"""Reference data every signed-in user pulls: schools, the service catalog, team members' names."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from caseworker_app.domain.vocabulary import SERVICE_LABELS
from caseworker_app.sync.protocol import SCHOOL_ENTITY, SERVICE_ENTITY, TEAM_MEMBER_ENTITY
from caseworker_server.changelog import ChangeSet
from caseworker_server.models import Record, User


def put_reference(session: Session, changes: ChangeSet, entity: str, row_id: str, fields: dict[str, Any]) -> bool:
    """Write a reference row if it is new or differs; returns whether it changed."""
    existing = session.get(Record, (entity, row_id), with_for_update=True)
    if existing is not None:
        current = json.loads(existing.fields)
        if all(current.get(k) == v for k, v in fields.items()):
            return False
    changes.write(session, entity, row_id, None, dict(fields), existing=existing)
    return True


def ensure_service_catalog(session: Session, changes: ChangeSet) -> None:
    for service, label in SERVICE_LABELS.items():
        put_reference(session, changes, SERVICE_ENTITY, service.value, {"code": service.value, "label": label})


def put_school(session: Session, changes: ChangeSet, school_id: str, name: str, district: str) -> bool:
    return put_reference(session, changes, SCHOOL_ENTITY, school_id, {"name": name, "district": district})


def put_team_member(session: Session, changes: ChangeSet, user: User) -> None:
    """Colleagues' display names and roles, so clients can show who wrote or holds what."""
    put_reference(
        session,
        changes,
        TEAM_MEMBER_ENTITY,
        user.username,
        {"username": user.username, "display_name": user.display_name, "role": user.role, "active": not user.disabled},
    )
