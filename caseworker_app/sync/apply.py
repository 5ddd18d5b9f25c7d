"""Writing what the server said into the local store, without ever overwriting local edits.

Every function here runs inside one caller-owned transaction marked remote, so
nothing it writes lands in the outbox. Rows with pending local edits are
rebased (caseworker_app.sync.merge.rebase_pending): the server's values under,
the local edits on top, each edit keeping the base it was made on so the
server still sees any real disagreement.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import JSON, delete, select
from sqlalchemy.orm import Session

from caseworker_app.domain.clock import now_iso
from caseworker_app.store import models, search_index
from caseworker_app.store.kinds import ROW_FOR_ENTITY
from caseworker_app.sync.merge import PendingField, rebase_pending
from caseworker_app.sync.protocol import CONFLICT_ENTITY, SCHOOL_ENTITY, Change, MutationResult

log = logging.getLogger(__name__)

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


@cache
def _columns(table_name: str) -> frozenset[str]:
    return frozenset(c.key for c in models.Base.metadata.tables[table_name].columns)


def write_record(session: Session, entity: str, row_id: str, version: int, fields: dict[str, Any]) -> bool:
    """Store the server's row under any pending local edits. False if it cannot be placed yet."""
    row_type = ROW_FOR_ENTITY[entity]
    columns = _columns(row_type.__tablename__)
    server = {k: v for k, v in fields.items() if k in columns}
    server["id"] = row_id
    case_id = server.get("case_id") or (row_id if entity == "case" else None)
    if case_id is None:
        return False
    server["case_id"] = case_id
    if entity != "case" and session.get(models.CaseRow, case_id) is None:
        log.info("sync: a record arrived before its case; reconcile will place it")
        return False

    entries = pending_entries(session, row_id)
    local = dict(server)
    if entries:
        pending: dict[str, PendingField] = {}
        for entry in entries:
            for name, change in entry.changes.items():
                first = pending.get(name)
                pending[name] = PendingField(first.base if first else change["base"], change["new"])
        rebased = rebase_pending(server, pending)
        local = rebased.local
        settled = set(rebased.settled)
        for entry in entries:
            remaining = {k: v for k, v in entry.changes.items() if k not in settled}
            if not remaining:
                session.delete(entry)
            else:
                if remaining != entry.changes:
                    entry.changes = remaining
                entry.base_version = max(entry.base_version, version)
    local["version"] = version

    row = session.get(row_type, row_id)
    if row is None:
        session.add(row_type(**local))
    else:
        for name, value in local.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    return True


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


def apply_change(session: Session, change: Change) -> bool:
    """One pulled row; True when it was placed (or needs no place)."""
    if change.entity in ROW_FOR_ENTITY:
        return write_record(session, change.entity, change.row_id, change.version, change.fields)
    if change.entity == CONFLICT_ENTITY:
        return write_conflict(session, change.row_id, change.version, change.fields)
    if change.case_id is None:
        write_reference(session, change.entity, change.row_id, change.version, change.fields)
        return True
    log.info("sync: skipped a record of an unknown kind")  # a newer server; the app update brings it
    return True


def apply_changes(session: Session, changes: Iterable[Change]) -> int:
    """Apply rows in commit order, cases first; returns how many were placed.

    Rows with no pending local edit (nearly all, and all of a first sync) go in
    as one upsert per table; only rows under local edits take the rebase path.
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
                placed += _flush_upserts(session, batch)
                batch = {}
            placed += int(apply_change(session, change))
            continue
        case_id = change.fields.get("case_id") or (change.row_id if change.entity == "case" else None)
        if not case_id or (change.entity != "case" and case_id not in known_cases):
            continue  # its case has not arrived; reconcile places it
        if change.entity == "case":
            known_cases.add(change.row_id)
        columns = _columns(row_type.__tablename__)
        fields = change.fields
        values = dict(fields) if fields.keys() <= columns else {k: v for k, v in fields.items() if k in columns}
        values.update(id=change.row_id, case_id=case_id, version=change.version)
        batch.setdefault(row_type, {})[change.row_id] = values  # a later change of a row supersedes
    if batch:
        placed += _flush_upserts(session, batch)
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


@cache
def _upsert_sql(table_name: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """The upsert of one table as DB-API SQL: (statement, column order, JSON columns)."""
    table = models.Base.metadata.tables[table_name]
    names = tuple(c.key for c in table.columns)
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    sql = (
        f"INSERT INTO {table_name} ({', '.join(chr(34) + n + chr(34) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    return sql, names, frozenset(c.key for c in table.columns if isinstance(c.type, JSON))


def _flush_upserts(session: Session, batch: dict[type[Any], dict[str, dict[str, Any]]]) -> int:
    session.flush()  # ORM writes of this page go first, in order
    placed = 0
    cursor = session.connection().connection.cursor()  # the same transaction, without per-row ORM cost
    search_index.pause(session, True)  # one indexing statement per table beats a trigger per row
    for row_type in sorted(batch, key=lambda t: t is not models.CaseRow):
        rows = batch[row_type]
        name = row_type.__tablename__
        indexed = name in search_index.SOURCES
        if indexed:
            search_index.stage(session, list(rows))
            stale = search_index.staged_entries(session, name)
        sql, names, json_columns = _upsert_sql(name)
        cursor.executemany(
            sql,
            [
                tuple(json.dumps(row.get(n)) if n in json_columns else row.get(n) for n in names)
                for row in rows.values()
            ],
        )
        if indexed:
            search_index.reindex_staged(session, name, stale)
        placed += len(rows)
    search_index.pause(session, False)
    session.expire_all()  # the ORM must not keep stale copies of rows written underneath it
    return placed


def apply_push_result(session: Session, result: MutationResult) -> str:
    """Settle one outbox entry with the server's answer; returns the status."""
    entry = session.scalar(select(models.OutboxEntry).where(models.OutboxEntry.mutation_id == result.mutation_id))
    if entry is None:
        return result.status
    if result.status == "rejected":
        entry.rejected_at = now_iso()
        entry.reject_reason = result.reason or "The server refused this change."
        return result.status
    entity, row_id = entry.entity, entry.row_id
    session.delete(entry)
    session.flush()
    if result.fields is not None and result.version is not None and entity in ROW_FOR_ENTITY:
        write_record(session, entity, row_id, result.version, result.fields)
    return result.status


def purge_case(session: Session, case_id: str) -> int:
    """Remove a case and everything under it (secure_delete zeroes the freed pages)."""
    dropped = session.execute(delete(models.OutboxEntry).where(models.OutboxEntry.case_id == case_id)).rowcount  # type: ignore[attr-defined]
    for row_type in ROW_FOR_ENTITY.values():
        if row_type is not models.CaseRow:
            session.execute(delete(row_type).where(row_type.case_id == case_id))
    session.execute(delete(models.ConflictRow).where(models.ConflictRow.case_id == case_id))
    session.execute(delete(models.CaseRow).where(models.CaseRow.id == case_id))
    return int(dropped or 0)


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
