"""Changes the server refused: list them, resend one as a whole after a fix, or discard it.

A refused entry holds back the later edits of its row (the engine does not send
them), so they are not refused in turn or applied out of order. Resending folds
the refused entry and those later edits into one: the whole record when the
server never had the row (a create), else each changed field against the base
the first edit was made on. Discarding puts the row back: removed if the server
never had it, else the base values, with a repair from the server at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.i18n import N_, _
from caseworker_app.store import models
from caseworker_app.store.kinds import ROW_FOR_ENTITY
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.outbox import NOT_CHANGES, add_entry
from caseworker_app.sync.apply import ask_for_repair, purge_case
from caseworker_app.sync.merge import same_value

REFUSED_NO_REASON = N_("The server refused this change.")


class RefusedChangeNotFound(CaseworkerError):
    pass


@dataclass(frozen=True)
class RefusedChange:
    mutation_id: str
    entity: str
    row_id: str
    case_id: str
    fields: list[str]
    rejected_at: str
    reason: str  # the server's English words (server_words); the laptop shows _(reason)
    held_back: int  # later edits of the same row waiting behind it


def list_refused(store: LocalStore) -> list[RefusedChange]:
    with store.db.reading() as session:
        refused = list(
            session.scalars(
                select(models.OutboxEntry)
                .where(models.OutboxEntry.rejected_at.isnot(None))
                .order_by(models.OutboxEntry.seq)
            )
        )
        return [
            RefusedChange(
                mutation_id=e.mutation_id,
                entity=e.entity,
                row_id=e.row_id,
                case_id=e.case_id,
                fields=sorted(e.changes),
                rejected_at=e.rejected_at or "",
                reason=e.reject_reason or REFUSED_NO_REASON,  # as the server said it; shown through _()
                held_back=len(_later_entries(session, e)),
            )
            for e in refused
        ]


def resend(store: LocalStore, mutation_id: str) -> str:
    """Queue the refused change again, as it stands now; returns the new mutation id."""
    with store.db.transaction(remote=True) as session:  # remote: the entry is written here, by hand
        entry = _find(session, mutation_id)
        entries = [entry, *_later_entries(session, entry)]
        row = _row(session, entry)
        if row is None:
            raise RefusedChangeNotFound(_("The record of this change is no longer on this laptop; discard it instead."))
        if row.version == 0:  # the server never had it: send the whole record
            names = [c.key for c in inspect(row).mapper.column_attrs if c.key not in NOT_CHANGES]
            changes = {name: {"base": None, "new": getattr(row, name)} for name in names}
        else:
            changes = {}
            for e in entries:
                for name, change in e.changes.items():
                    base = changes[name]["base"] if name in changes else change["base"]
                    changes[name] = {"base": base, "new": getattr(row, name)}
        base_version = min(e.base_version for e in entries) if row.version else 0
        for e in entries:
            session.delete(e)
        session.flush()
        add_entry(session, row, changes, base_version=base_version)
        session.flush()
        newest = select(models.OutboxEntry).where(models.OutboxEntry.row_id == row.id)
        fresh = session.scalars(newest.order_by(models.OutboxEntry.seq.desc())).first()
        assert fresh is not None
        return fresh.mutation_id


def discard(store: LocalStore, mutation_id: str) -> str:
    """Drop the refused change and the edits held behind it; returns what happened, in words."""
    with store.db.transaction(remote=True) as session:
        entry = _find(session, mutation_id)
        entries = [entry, *_later_entries(session, entry)]
        row = _row(session, entry)
        label = as_words(entry.entity).lower()
        if row is None or row.version == 0:
            for e in entries:
                session.delete(e)
            if row is not None:
                if entry.entity == "case":
                    purge_case(session, row.id)
                else:
                    session.execute(delete(type(row)).where(type(row).id == row.id))
            return _("Discarded: the new {record} the server never had was removed from this laptop.").format(
                record=label
            )
        bases: dict[str, Any] = {}
        latest: dict[str, Any] = {}
        for e in entries:
            for name, change in e.changes.items():
                bases.setdefault(name, change["base"])
                latest[name] = change["new"]
        # Only fields still showing the local edit go back; a pull may already have brought the server's.
        reverted = [name for name in bases if same_value(getattr(row, name), latest[name])]
        for name in reverted:
            setattr(row, name, bases[name])
        if reverted:
            # The base values are the server's as of the first edit; the row is marked that old so the
            # repair at the next run brings the server's current copy.
            row.version = min(row.version, *(e.base_version for e in entries))
        for e in entries:
            session.delete(e)
        ask_for_repair(session)
        return _("Discarded: the {record} is back to the server's version (refreshed at the next sync).").format(
            record=label
        )


def _find(session: Session, mutation_id: str) -> models.OutboxEntry:
    wanted = mutation_id.strip().lower()
    found = list(
        session.scalars(
            select(models.OutboxEntry).where(
                models.OutboxEntry.rejected_at.isnot(None), models.OutboxEntry.mutation_id.startswith(wanted)
            )
        )
    )
    if len(found) != 1 or not wanted:
        raise RefusedChangeNotFound(
            _("No single refused change with id '{id}'; 'caseworker rejected' lists them.").format(id=mutation_id)
        )
    return found[0]


def _later_entries(session: Session, entry: models.OutboxEntry) -> list[models.OutboxEntry]:
    return list(
        session.scalars(
            select(models.OutboxEntry)
            .where(models.OutboxEntry.row_id == entry.row_id, models.OutboxEntry.seq > entry.seq)
            .order_by(models.OutboxEntry.seq)
        )
    )


def _row(session: Session, entry: models.OutboxEntry) -> Any:
    row_type = ROW_FOR_ENTITY.get(entry.entity)
    return session.get(row_type, entry.row_id) if row_type is not None else None
