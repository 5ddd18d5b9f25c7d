"""Conflicts a person must settle: list them, and resolve one as a normal outbox mutation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from caseworker_app.domain.clock import now_iso
from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.store import models, outbox
from caseworker_app.store.kinds import ROW_FOR_ENTITY
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.state import SyncState

Keep = Literal["mine", "theirs"]


class ConflictNotFound(CaseworkerError):
    pass


@dataclass(frozen=True)
class Conflict:
    id: str
    case_id: str
    family_name: str
    entity: str
    row_id: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    my_side_author: str
    their_side_author: str
    their_side_at: str | None
    resolved_at: str | None
    my_side_at: str | None = None


def _is_my_edit(row: models.ConflictRow, state: SyncState) -> bool:
    """The losing edit came from this device: 'mine' is the recorded local value."""
    return row.local_author == state.username and row.local_device == state.device_name


def _to_conflict(row: models.ConflictRow, family_name: str, state: SyncState) -> Conflict:
    mine_local = _is_my_edit(row, state)
    return Conflict(
        id=row.id,
        case_id=row.case_id,
        family_name=family_name,
        entity=row.entity,
        row_id=row.row_id,
        field=row.field,
        base=row.base,
        mine=row.local if mine_local else row.server,
        theirs=row.server if mine_local else row.local,
        my_side_author=row.local_author if mine_local else row.server_author,
        their_side_author=row.server_author if mine_local else row.local_author,
        their_side_at=row.server_at if mine_local else row.local_at,
        resolved_at=row.resolved_at,
        my_side_at=row.local_at if mine_local else row.server_at,
    )


def list_conflicts(store: LocalStore, *, include_resolved: bool = False) -> list[Conflict]:
    state = SyncState.load(store)
    with store.db.reading() as session:
        query = (
            select(models.ConflictRow, models.CaseRow.family_name)
            .join(models.CaseRow, models.CaseRow.id == models.ConflictRow.case_id)
            .order_by(models.ConflictRow.local_at)
        )
        if not include_resolved:
            query = query.where(models.ConflictRow.resolved_at.is_(None))
        return [_to_conflict(row, name, state) for row, name in session.execute(query)]


def resolve(store: LocalStore, conflict_id: str, keep: Keep, *, value: Any = None) -> Any:
    """Settle a conflict with mine, theirs, or an edited value; returns the value kept.

    The choice becomes an ordinary mutation referencing the conflict, so it
    reaches the server and, from there, every device that sees the case.
    """
    state = SyncState.load(store)
    with store.db.transaction() as session:
        row = session.get(models.ConflictRow, conflict_id)
        if row is None:
            raise ConflictNotFound(_("No conflict with id {id} in this profile.").format(id=conflict_id))
        if row.resolved_at is not None:
            raise ConflictNotFound(_("This conflict is already resolved."))
        conflict = _to_conflict(row, "", state)
        chosen = value if value is not None else (conflict.mine if keep == "mine" else conflict.theirs)
        record = session.get(ROW_FOR_ENTITY[row.entity], row.row_id)
        if record is None:
            raise ConflictNotFound(_("The record of this conflict is no longer in this profile."))
        current = getattr(record, row.field)
        if current == chosen:
            outbox.add_entry(
                session,
                record,
                {row.field: {"base": current, "new": chosen}},
                base_version=record.version,
                resolves=row.id,
            )
        else:
            session.info[("resolves", record.id)] = row.id
            setattr(record, row.field, chosen)
        row.resolved_at = now_iso()
        row.resolution = {"value": chosen, "by": state.username, "pending": True}
        store.repo.audit(
            "resolve_conflict",
            case_id=row.case_id,
            entity=row.entity,
            row_id=row.row_id,
            detail={"field": row.field, "kept": keep},
            session=session,
        )
    return chosen
