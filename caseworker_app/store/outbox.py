"""The outbox: every local change to a synced row, written in the same transaction.

A before_flush hook reads each dirty synced row's attribute history, so no code
path can change a record without its outbox entry. Changes applied from the
server (session.info["remote"]) write none. Edits to one row before the next
push coalesce into its pending entry: the first base stays, the newest value wins.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from caseworker_app.domain.clock import now_iso
from caseworker_app.store.models import OutboxEntry, Synced

NOT_CHANGES = frozenset({"id", "case_id", "version"})


def _field_names(row: Synced) -> list[str]:
    return [c.key for c in inspect(row).mapper.column_attrs if c.key not in NOT_CHANGES]


def _changes_of_new(row: Synced) -> dict[str, dict[str, Any]]:
    return {name: {"base": None, "new": getattr(row, name)} for name in _field_names(row)}


def _changes_of_dirty(row: Synced) -> dict[str, dict[str, Any]]:
    state = inspect(row)
    changes: dict[str, dict[str, Any]] = {}
    for name in _field_names(row):
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        base = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if base != new:
            changes[name] = {"base": base, "new": new}
    return changes


def _continues(pending: dict[str, dict[str, Any]], changes: dict[str, dict[str, Any]]) -> bool:
    return all(pending[name]["new"] == change["base"] for name, change in changes.items() if name in pending)


def _write_entry(session: Session, row: Synced, changes: dict[str, dict[str, Any]], new: bool) -> None:
    resolves = session.info.pop(("resolves", row.id), None)
    pending = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.row_id == row.id, OutboxEntry.sent_at.is_(None))
        .order_by(OutboxEntry.seq.desc())
        .limit(1)
    ).first()
    # A conflict resolution travels on its own, so the server can tie it to its conflict; and an
    # edit coalesces only when it continues from the pending values (a stale-form conflict entry
    # carries a value the row does not hold, and must reach the server as it was made).
    if (
        pending is not None
        and pending.resolves_conflict is None
        and resolves is None
        and _continues(pending.changes, changes)
    ):
        merged = dict(pending.changes)
        for name, change in changes.items():
            base = merged[name]["base"] if name in merged else change["base"]
            merged[name] = {"base": base, "new": change["new"]}
            if base == change["new"] and pending.base_version > 0:
                del merged[name]  # edited back to what the server has: nothing to send
        if merged:
            pending.changes = merged
        else:
            session.delete(pending)
        return
    add_entry(session, row, changes, base_version=0 if new else row.version, resolves=resolves)


def add_entry(
    session: Session,
    row: Synced,
    changes: dict[str, dict[str, Any]],
    *,
    base_version: int,
    resolves: str | None = None,
) -> None:
    session.add(
        OutboxEntry(
            mutation_id=str(uuid.uuid4()),
            entity=type(row).entity,  # type: ignore[attr-defined]
            row_id=row.id,
            case_id=row.case_id,
            base_version=base_version,
            changes=changes,
            created_at=now_iso(),
            resolves_conflict=resolves,
        )
    )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("remote"):
        return
    for row in list(session.new):
        if isinstance(row, Synced):
            _write_entry(session, row, _changes_of_new(row), new=True)
    for row in list(session.dirty):
        if isinstance(row, Synced) and session.is_modified(row, include_collections=False):
            changes = _changes_of_dirty(row)
            if changes:
                _write_entry(session, row, changes, new=False)
    for row in session.deleted:
        if isinstance(row, Synced):
            raise RuntimeError("synced rows are tombstoned, never deleted locally")


def install(session_class: type[Session] = Session) -> None:
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
