"""Writing what the server said into the local store, without ever overwriting local edits.

Every function here runs inside one caller-owned transaction marked remote, so
nothing it writes lands in the outbox. Rows with pending local edits are
rebased: the server's values under, the local edits on top, each edit keeping
the base it was made on so the server still sees any real disagreement. Rows
without local edits go to the store's bulk upsert (store.bulk_apply).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseworker_app.domain.clock import now_iso
from caseworker_app.i18n import N_, _
from caseworker_app.store import bulk_apply, models
from caseworker_app.store.kinds import ROW_FOR_ENTITY
from caseworker_app.sync.errors import UpdateRequired
from caseworker_app.sync.merge import same_value
from caseworker_app.sync.protocol import CONFLICT_ENTITY, SCHOOL_ENTITY, MutationResult
from caseworker_app.sync.received import Record
from caseworker_app.sync.state import KEY as SYNC_STATE_KEY

log = logging.getLogger(__name__)

UNKNOWN_KIND_MESSAGE = N_(
    "The server sent a kind of record this version of Caseworker does not know. "
    "Update the app to keep syncing; nothing on this laptop was lost."
)  # translated where raised
REVOKED_REASON = N_(
    "This case was taken off this laptop before the change reached the server. "
    "Tell your supervisor what it said, or discard it."
)
CONFLICT_COLUMNS = frozenset(c.key for c in models.ConflictRow.__table__.columns)


def pending_entries(session: Session, row_id: str) -> list[models.OutboxEntry]:
    """Edits to this row not yet acknowledged by the server, oldest first."""
    return list(
        session.scalars(
            select(models.OutboxEntry)
            .where(models.OutboxEntry.row_id == row_id, models.OutboxEntry.rejected_at.is_(None))
            .order_by(models.OutboxEntry.seq)
        )
    )


def write_record(
    session: Session, entity: str, row_id: str, version: int, fields: dict[str, Any], *, repair: bool = False
) -> bool:
    """Store the server's row under any pending local edits. False if it cannot be placed yet.

    A copy older than the one held (a late answer, a page seen twice) changes
    nothing, unless `repair` says the server's copy is the truth (reconcile).
    """
    row_type = ROW_FOR_ENTITY[entity]
    columns = bulk_apply.columns(row_type.__tablename__)
    server = {k: v for k, v in fields.items() if k in columns}
    server["id"] = row_id
    case_id = server.get("case_id") or (row_id if entity == "case" else None)
    if case_id is None:
        return False
    server["case_id"] = case_id
    if entity != "case" and session.get(models.CaseRow, case_id) is None:
        log.info("sync: a record arrived before its case; reconcile will place it")
        return False

    row = session.get(row_type, row_id)
    if row is not None and row.version > version and not repair:
        return True
    local = _rebase(session, server, version)
    local["version"] = version
    if row is None:
        session.add(row_type(**local))
    else:
        for name, value in local.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return True


def _rebase(session: Session, server: dict[str, Any], version: int) -> dict[str, Any]:
    """The server's row with the pending local edits on top; settle the edits it proves arrived.

    An edit is settled only on proof the server holds it: a version newer than
    the one the edit was made on, carrying the edit's value, and no earlier
    entry of that field still waiting (a sent entry whose answer was lost may
    land after this copy was read, and would then overwrite the later edit).
    """
    local = dict(server)
    waiting: set[str] = set()
    for entry in pending_entries(session, server["id"]):
        remaining: dict[str, Any] = {}
        for name, change in entry.changes.items():
            proven = (
                name not in waiting
                and version > entry.base_version
                and name in server
                and same_value(server[name], change["new"])
            )
            if proven:
                continue
            remaining[name] = change
            waiting.add(name)
            local[name] = change["new"]
        if not remaining:
            session.delete(entry)
            continue
        if remaining != entry.changes:
            entry.changes = remaining
        if entry.sent_at is None:
            entry.base_version = max(entry.base_version, version)  # it now stands on this copy
    return local


def write_conflict(session: Session, row_id: str, version: int, fields: dict[str, Any]) -> bool:
    values = {k: v for k, v in fields.items() if k in CONFLICT_COLUMNS}
    values.update(id=row_id, version=version)
    if session.get(models.CaseRow, values.get("case_id")) is None:
        return False
    session.merge(models.ConflictRow(**values))
    return True


def write_reference(session: Session, entity: str, row_id: str, version: int, fields: dict[str, Any]) -> None:
    session.merge(models.ReferenceRecord(entity=entity, id=row_id, version=version, fields=fields))
    if entity == SCHOOL_ENTITY:
        session.merge(
            models.SchoolRow(id=row_id, name=str(fields.get("name", "")), district=str(fields.get("district", "")))
        )


def apply_change(session: Session, change: Record, *, repair: bool = False) -> bool:
    """One pulled row; True when it was placed (or needs no place)."""
    if change.entity in ROW_FOR_ENTITY:
        return write_record(session, change.entity, change.row_id, change.version, change.fields, repair=repair)
    if change.entity == CONFLICT_ENTITY:
        return write_conflict(session, change.row_id, change.version, change.fields)
    if change.case_id is None:
        write_reference(session, change.entity, change.row_id, change.version, change.fields)
        return True
    # A case record of a kind this app does not know (a newer server). Counting it as placed
    # would move the cursor past it for good; the page is refused whole and stays to fetch.
    log.warning("sync: the server sent a kind of record this app version does not know")
    raise UpdateRequired(_(UNKNOWN_KIND_MESSAGE))


def apply_changes(
    session: Session, changes: Iterable[Record], *, repair: bool = False, index_later: bool = False
) -> int:
    """Apply rows in commit order, cases first; returns how many were placed.

    Rows with no pending local edit (nearly all, and all of a first sync) go to the
    store's bulk upsert; only rows under local edits take the rebase path. With
    `repair` (reconcile) the server's copy replaces the local one even if older.
    `index_later` (a first sync) leaves the bulk rows' search entries to one rebuild at its end.
    """
    ordered = sorted(changes, key=lambda c: (c.entity != "case", c.seq))
    pending = _rows_with_pending_edits(session, [c.row_id for c in ordered])
    known_cases = _existing_cases(session, {c.case_id for c in ordered if c.case_id})
    placed = 0
    batch: dict[type[Any], dict[str, dict[str, Any]]] = {}
    for change in ordered:
        row_type = ROW_FOR_ENTITY.get(change.entity)
        if row_type is None or change.row_id in pending:
            if batch:
                placed += bulk_apply.upsert_rows(session, batch, only_newer=not repair, index_later=index_later)
                batch = {}
            placed += int(apply_change(session, change, repair=repair))
            continue
        case_id = change.fields.get("case_id") or (change.row_id if change.entity == "case" else None)
        if not case_id or (change.entity != "case" and case_id not in known_cases):
            continue  # its case has not arrived; reconcile places it
        if change.entity == "case":
            known_cases.add(change.row_id)
        columns = bulk_apply.columns(row_type.__tablename__)
        fields = change.fields
        values = dict(fields) if fields.keys() <= columns else {k: v for k, v in fields.items() if k in columns}
        values.update(id=change.row_id, case_id=case_id, version=change.version)
        rows = batch.setdefault(row_type, {})
        held = rows.get(change.row_id)
        if held is None or held["version"] <= change.version or repair:
            rows[change.row_id] = values  # a later change of a row supersedes
    if batch:
        placed += bulk_apply.upsert_rows(session, batch, only_newer=not repair, index_later=index_later)
    return placed


def _rows_with_pending_edits(session: Session, row_ids: list[str]) -> set[str]:
    if session.scalar(select(models.OutboxEntry.seq).where(models.OutboxEntry.rejected_at.is_(None)).limit(1)) is None:
        return set()  # nothing unsent, as on a first sync: no row needs a rebase
    found: set[str] = set()
    for start in range(0, len(row_ids), 500):
        found.update(
            session.scalars(
                select(models.OutboxEntry.row_id).where(
                    models.OutboxEntry.row_id.in_(row_ids[start : start + 500]),
                    models.OutboxEntry.rejected_at.is_(None),
                )
            )
        )
    return found


def _existing_cases(session: Session, case_ids: set[str]) -> set[str]:
    ids = sorted(case_ids)
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(session.scalars(select(models.CaseRow.id).where(models.CaseRow.id.in_(ids[start : start + 500]))))
    return found


def apply_push_result(session: Session, result: MutationResult) -> str:
    """Settle one outbox entry with the server's answer; returns the status."""
    entry = session.scalar(select(models.OutboxEntry).where(models.OutboxEntry.mutation_id == result.mutation_id))
    if entry is None:
        return result.status
    if result.status == "rejected":
        entry.rejected_at = now_iso()
        entry.reject_reason = result.reason or _("The server refused this change.")
        return result.status
    entity, row_id = entry.entity, entry.row_id
    session.delete(entry)
    session.flush()
    if result.fields is None or result.version is None or entity not in ROW_FOR_ENTITY:
        return result.status
    row = session.get(ROW_FOR_ENTITY[entity], row_id)
    if row is not None and row.version > result.version:
        # An answer older than the row (a resend answered from the server's record): the row shows
        # this entry's values over a newer copy, and what the server holds there is unknown here.
        # Mark the row that old and ask for a repair, which brings the server's copy back under
        # any edits still pending; the run does it before it ends.
        row.version = result.version
        ask_for_repair(session)
        return result.status
    write_record(session, entity, row_id, result.version, result.fields)
    return result.status


def ask_for_repair(session: Session) -> None:
    """Have the next run (or this one, at its end) compare with the server and repair (reconcile)."""
    state = session.get(models.LocalSetting, SYNC_STATE_KEY)
    if state is None:
        session.add(models.LocalSetting(key=SYNC_STATE_KEY, value={"repair_next_run": True}))
    else:
        state.value = {**state.value, "repair_next_run": True}


def purge_case(session: Session, case_id: str, *, reason: str = REVOKED_REASON) -> int:
    """Remove a case and everything under it (secure_delete zeroes the freed pages).

    Its outbox entries are never dropped (design rule 7): refused ones stay, and
    any still unsent become refused changes with `reason`. Returns how many did.
    """
    unsent = list(
        session.scalars(
            select(models.OutboxEntry).where(
                models.OutboxEntry.case_id == case_id, models.OutboxEntry.rejected_at.is_(None)
            )
        )
    )
    for entry in unsent:
        entry.rejected_at = now_iso()
        entry.reject_reason = _(reason)  # the default is marked with N_ above
    session.flush()
    for row_type in ROW_FOR_ENTITY.values():
        if row_type is not models.CaseRow:
            session.execute(delete(row_type).where(row_type.case_id == case_id))
    session.execute(delete(models.ConflictRow).where(models.ConflictRow.case_id == case_id))
    session.execute(delete(models.CaseRow).where(models.CaseRow.id == case_id))
    return len(unsent)


def cases_here(session: Session, case_ids: list[str]) -> tuple[set[str], set[str]]:
    """Of these cases, those this device holds, and those with edits still unsent (held or not)."""
    ids = sorted(set(case_ids))
    held: set[str] = set()
    with_edits: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        held.update(session.scalars(select(models.CaseRow.id).where(models.CaseRow.id.in_(chunk))))
        with_edits.update(
            session.scalars(
                select(models.OutboxEntry.case_id)
                .where(models.OutboxEntry.case_id.in_(chunk), models.OutboxEntry.rejected_at.is_(None))
                .distinct()
            )
        )
    return held, with_edits


def held_rows(session: Session) -> list[tuple[str, str, int]]:
    """(entity, row_id, version) of every row the server has acknowledged."""
    held: list[tuple[str, str, int]] = []
    for entity, row_type in ROW_FOR_ENTITY.items():
        held += [
            (entity, r, v)
            for r, v in session.execute(select(row_type.id, row_type.version).where(row_type.version > 0))
        ]
    held += [
        (CONFLICT_ENTITY, r, v) for r, v in session.execute(select(models.ConflictRow.id, models.ConflictRow.version))
    ]
    held += [
        (e, r, v)
        for e, r, v in session.execute(
            select(models.ReferenceRecord.entity, models.ReferenceRecord.id, models.ReferenceRecord.version)
        )
    ]
    return held


def remove_extra(session: Session, entity: str, row_id: str) -> bool:
    """Drop a row the server says this device should not hold, unless it has local edits to push."""
    if pending_entries(session, row_id):
        return False
    if entity == "case":
        purge_case(session, row_id)
    elif entity in ROW_FOR_ENTITY:
        row_type = ROW_FOR_ENTITY[entity]
        session.execute(delete(row_type).where(row_type.id == row_id))
    elif entity == CONFLICT_ENTITY:
        session.execute(delete(models.ConflictRow).where(models.ConflictRow.id == row_id))
    else:
        session.execute(
            delete(models.ReferenceRecord).where(
                models.ReferenceRecord.entity == entity, models.ReferenceRecord.id == row_id
            )
        )
    return True
