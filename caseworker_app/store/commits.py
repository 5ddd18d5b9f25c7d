"""What each committed write transaction touched: kinds of record and cases, told to whoever listens.

Session events see every write, whichever code path made it (a unit of work, a sync page,
a bulk upsert), so no write can forget to say what it changed. The services turn this
into the `Changes` every open view listens to (services/changes.py); the store itself
knows nothing of views.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from caseworker_app.store import models
from caseworker_app.store.kinds import KINDS
from caseworker_app.store.listeners import Listeners

OUTBOX = "outbox"  # the changes waiting to sync
CONFLICT = "Conflict"
AUDIT = "AuditEvent"  # opened, exported, viewed: what History and Today's recent cases show
_KEY = "caseworker_touched"

# Each table's kind, as the domain names its records (Visit, Note, Task...).
_TABLE_KINDS: dict[str, str] = {k.table: k.record.__name__ for k in KINDS}
_TABLE_KINDS[models.OutboxEntry.__tablename__] = OUTBOX
_TABLE_KINDS[models.ConflictRow.__tablename__] = CONFLICT
_TABLE_KINDS[models.AuditEvent.__tablename__] = AUDIT


@dataclass
class Touched:
    """The kinds and cases one transaction wrote; `any_case` when a bulk statement named no rows."""

    kinds: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)
    any_case: bool = False
    remote: bool = False


_listeners: Listeners[Touched] = Listeners("commit")


def listen(listener: Callable[[Touched], None]) -> Callable[[], None]:
    return _listeners.listen(listener)


def _touched(session: Session) -> Touched:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Touched(remote=bool(session.info.get("remote")))
    return found


def _note_row(touched: Touched, row: Any) -> None:
    kind = _TABLE_KINDS.get(getattr(row, "__tablename__", ""))
    case_id = getattr(row, "case_id", None)
    if kind is None or (kind == AUDIT and not case_id):
        return  # an audit event of no case (a search, an unlock) changes nothing a view shows
    touched.kinds.add(kind)
    if case_id:
        touched.cases.add(case_id)
    elif kind not in (OUTBOX, AUDIT):
        touched.any_case = True


def touch(session: Session, table: str, cases: Iterable[str | None]) -> None:
    """For writes made below the ORM (a raw cursor): the table's kind, for these cases."""
    kind = _TABLE_KINDS.get(table)
    if kind is None:
        return
    touched = _touched(session)
    touched.kinds.add(kind)
    for case_id in cases:
        if case_id:
            touched.cases.add(case_id)
        else:
            touched.any_case = True


def _after_flush(session: Session, _context: Any) -> None:
    rows: Iterable[Any] = (*session.new, *session.dirty, *session.deleted)
    touched = _touched(session)
    for row in rows:
        _note_row(touched, row)


def _orm_execute(state: ORMExecuteState) -> None:
    # Bulk inserts, upserts and deletes bypass the flush: their table says the kind, not the case.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    kind = _TABLE_KINDS.get(getattr(table, "name", ""))
    if kind is not None:
        touched = _touched(state.session)
        touched.kinds.add(kind)
        touched.any_case = touched.any_case or kind not in (OUTBOX, AUDIT)


def _after_commit(session: Session) -> None:
    touched = session.info.pop(_KEY, None)
    if touched is not None and touched.kinds:
        _listeners.call(touched)


def _after_rollback(session: Session, *_previous: Any) -> None:
    session.info.pop(_KEY, None)


def install(session_class: type[Session] = Session) -> None:
    for name, fn in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _orm_execute),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(session_class, name, fn):
            event.listen(session_class, name, fn)
