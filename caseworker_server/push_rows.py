"""Where a push reads and writes its rows: straight to the session, or staged in memory for one batch.

`DirectRows` writes each change at once (each mutation in its own savepoint): the
careful path, used when a batch meets a database error. `StagedRows` reads every
row the batch names in one query, lets the merge run in memory, and writes rows,
history, change numbers, conflicts and the mutation ledger with one multi-row
statement per table (`flush`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, insert, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import CONFLICT_ENTITY, REFERENCE_ENTITIES
from caseworker_server.access import assign_case
from caseworker_server.changelog import PENDING_SEQ, ChangeSet, allocate, dump_fields
from caseworker_server.models import (
    AccessEvent,
    Base,
    CaseAssignment,
    MutationRecord,
    Record,
    RecordHistory,
    User,
    aware,
    utcnow,
)

Key = tuple[str, str]
CHUNK = 500  # ids per IN list


@dataclass(frozen=True)
class Row:
    """A row as a batch sees it; a write makes a new one, so a refused mutation leaves no trace."""

    entity: str
    id: str
    case_id: str | None
    version: int
    fields: str


class RowStore(Protocol):
    def get(self, entity: str, row_id: str, *, lock: bool = False) -> Row | Record | None: ...

    def write(
        self,
        entity: str,
        row_id: str,
        case_id: str,
        fields: dict[str, Any],
        *,
        existing: Row | Record | None,
        mutation_id: str,
    ) -> Row | Record: ...

    def open_case(self, case_id: str) -> None: ...

    def case_known(self, case_id: str) -> bool: ...

    def add_conflict(self, fields: dict[str, Any], *, mutation_id: str) -> None: ...

    def record_result(self, mutation_id: str, result: str) -> None: ...


class DirectRows:
    """Each change goes to the database as it is made (the per-mutation savepoint path)."""

    def __init__(self, session: Session, changes: ChangeSet, user: User, device_id: int) -> None:
        self.session, self.changes, self.user, self.device_id = session, changes, user, device_id

    def get(self, entity: str, row_id: str, *, lock: bool = False) -> Record | None:
        return self.session.get(Record, (entity, row_id), with_for_update=lock)

    def write(
        self,
        entity: str,
        row_id: str,
        case_id: str,
        fields: dict[str, Any],
        *,
        existing: Row | Record | None,
        mutation_id: str,
    ) -> Record:
        assert existing is None or isinstance(existing, Record)
        return self.changes.write(
            self.session,
            entity,
            row_id,
            case_id,
            fields,
            existing=existing,
            mutation_id=mutation_id,
            user_id=self.user.id,
            device_id=self.device_id,
        )

    def open_case(self, case_id: str) -> None:
        assign_case(self.session, self.changes, case_id, self.user, self.user.username)

    def case_known(self, case_id: str) -> bool:
        return self.session.execute(select(Record.id).where(Record.case_id == case_id).limit(1)).first() is not None

    def add_conflict(self, fields: dict[str, Any], *, mutation_id: str) -> None:
        fields["server_author"], fields["server_at"] = last_writers(
            self.session, [(fields["entity"], fields["row_id"])]
        )[(fields["entity"], fields["row_id"])]
        self.write(CONFLICT_ENTITY, fields["id"], fields["case_id"], fields, existing=None, mutation_id=mutation_id)

    def record_result(self, mutation_id: str, result: str) -> None:
        self.session.add(
            MutationRecord(
                mutation_id=mutation_id, user_id=self.user.id, device_id=self.device_id, result=result, at=utcnow()
            )
        )
        self.session.flush()


def one_of(session: Session, column: Any, values: list[str]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL as `= ANY(array)`: one parameter, so the statement is the
    same text for every batch size and the driver caches it (an IN list makes a new one each time)."""
    if session.get_bind().dialect.name == "postgresql":
        matches: ColumnElement[bool] = column == any_(bindparam(None, values, type_=ARRAY(String)))
        return matches
    listed: ColumnElement[bool] = column.in_(values)
    return listed


def last_writers(session: Session, keys: list[Key]) -> dict[Key, tuple[str, str | None]]:
    """Who wrote the current version of each row, and when: one query for the history, one for the names."""
    latest: dict[Key, tuple[int, int | None, datetime]] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), CHUNK):
        for entity, row_id, version, user_id, at in session.execute(
            select(
                RecordHistory.entity,
                RecordHistory.row_id,
                RecordHistory.version,
                RecordHistory.user_id,
                RecordHistory.at,
            ).where(tuple_(RecordHistory.entity, RecordHistory.row_id).in_(wanted[start : start + CHUNK]))
        ):
            if (entity, row_id) not in latest or version > latest[(entity, row_id)][0]:
                latest[(entity, row_id)] = (version, user_id, at)
    user_ids = {user_id for _, user_id, _ in latest.values() if user_id is not None}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())
    found: dict[Key, tuple[str, str | None]] = {}
    for key in keys:
        if key not in latest:
            found[key] = ("", None)
            continue
        _, user_id, at = latest[key]
        found[key] = (names.get(user_id, "") if user_id is not None else "", aware(at).isoformat())
    return found


@dataclass
class _Staged:
    """What the batch has written so far; copied per mutation so a refusal can be undone."""

    rows: dict[Key, Row] = field(default_factory=dict)  # in order of first write: change numbers follow it
    written_at: dict[Key, datetime] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # fields awaiting the server side's author


class StagedRows:
    """The rows of one batch, read in one query and written in one statement per table."""

    def __init__(self, session: Session, user: User, device_id: int) -> None:
        self.session, self.user, self.device_id = session, user, device_id
        self.stored: dict[Key, Row | None] = {}  # as the database had them when the batch began
        self.known_cases: set[str] = set()
        self.staged = _Staged()
        self.now = utcnow()

    def prefetch(self, keys: set[Key], opening: set[str]) -> None:
        """Read (and lock) every row the batch names, in one query; and which new case ids are taken."""
        wanted = sorted(keys - self.stored.keys())
        for key in wanted:
            self.stored[key] = None
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            # Locked in one order, so two batches that share rows wait for each other instead of deadlocking.
            stmt = (
                select(Record.entity, Record.id, Record.case_id, Record.version, Record.fields)
                .where(
                    one_of(self.session, Record.entity, sorted({e for e, _ in chunk})),
                    one_of(self.session, Record.id, [i for _, i in chunk]),
                )
                .order_by(Record.entity, Record.id)
                .with_for_update()
            )
            for entity, row_id, case_id, version, fields in self.session.execute(stmt):
                if (entity, row_id) in self.stored:  # ids are UUIDs: another kind's row is never asked for
                    self.stored[(entity, row_id)] = Row(entity, row_id, case_id, version, fields)
        cases = sorted(opening)
        for start in range(0, len(cases), CHUNK):
            known = one_of(self.session, Record.case_id, cases[start : start + CHUNK])
            found = self.session.execute(select(Record.case_id).where(known).distinct()).scalars()
            self.known_cases.update(case_id for case_id in found if case_id is not None)

    # Undo for one refused mutation.
    def mark(self) -> _Staged:
        s = self.staged
        return _Staged(
            dict(s.rows), dict(s.written_at), list(s.history), list(s.ledger), list(s.opened), list(s.conflicts)
        )

    def rollback_to(self, mark: _Staged) -> None:
        self.staged = mark

    def get(self, entity: str, row_id: str, *, lock: bool = False) -> Row | None:
        key = (entity, row_id)
        if key in self.staged.rows:
            return self.staged.rows[key]
        if key not in self.stored:
            self.prefetch({key}, set())  # a row the batch did not name up front (rare): read it now
        return self.stored[key]

    def write(
        self,
        entity: str,
        row_id: str,
        case_id: str,
        fields: dict[str, Any],
        *,
        existing: Row | Record | None,
        mutation_id: str,
    ) -> Row:
        version = 1 if existing is None else existing.version + 1
        plain = {**fields, "id": row_id, "version": version}
        if entity not in REFERENCE_ENTITIES:
            plain["case_id"] = case_id
        row = Row(entity, row_id, case_id, version, dump_fields(plain))
        self.staged.rows[(entity, row_id)] = row
        self.staged.written_at[(entity, row_id)] = self.now
        self.staged.history.append(
            {
                "entity": entity,
                "row_id": row_id,
                "case_id": case_id,
                "version": version,
                "fields": row.fields,
                "mutation_id": mutation_id,
                "user_id": self.user.id,
                "device_id": self.device_id,
                "at": self.now,
            }
        )
        return row

    def open_case(self, case_id: str) -> None:
        # The case record is new (no assignment, no viewer yet): its opener holds it, their supervisor sees it.
        self.staged.opened.append(case_id)

    def case_known(self, case_id: str) -> bool:
        return case_id in self.known_cases or any(row.case_id == case_id for row in self.staged.rows.values())

    def add_conflict(self, fields: dict[str, Any], *, mutation_id: str) -> None:
        key = (fields["entity"], fields["row_id"])
        if key in self.staged.written_at:  # the batch wrote the row's current version itself
            fields["server_author"], fields["server_at"] = self.user.username, self.staged.written_at[key].isoformat()
        else:
            self.staged.conflicts.append(fields)
        self.write(CONFLICT_ENTITY, fields["id"], fields["case_id"], fields, existing=None, mutation_id=mutation_id)

    def record_result(self, mutation_id: str, result: str) -> None:
        self.staged.ledger.append(
            {
                "mutation_id": mutation_id,
                "user_id": self.user.id,
                "device_id": self.device_id,
                "result": result,
                "at": self.now,
            }
        )

    def flush(self) -> None:
        """Write the batch: one statement per table, change numbers taken last (design rule 6)."""
        s = self.staged
        self._fill_conflict_authors()
        self._insert(RecordHistory, s.history)
        self._insert(MutationRecord, s.ledger)
        events = self._open_cases()
        count = len(events) + len(s.rows)
        if not count:
            return
        # From here the counter row is held until commit: only the numbered writes come after it.
        seq = allocate(self.session, count)
        for group in events:
            for event in group:
                event["seq"] = seq
            seq += 1
        self._insert(AccessEvent, [e for group in events for e in group])
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for key, row in s.rows.items():
            values = {"entity": row.entity, "id": row.id, "version": row.version, "seq": seq, "fields": row.fields}
            values["updated_at"] = s.written_at[key]
            seq += 1
            if self.stored.get(key) is None:
                new.append({**values, "case_id": row.case_id})
            else:
                changed.append(values)
        self._insert(Record, new)
        if changed:
            update_records(self.session, changed)

    def _insert(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        if rows:
            write_rows(self.session, model, rows)

    def _fill_conflict_authors(self) -> None:
        waiting = self.staged.conflicts
        if not waiting:
            return
        writers = last_writers(self.session, [(f["entity"], f["row_id"]) for f in waiting])
        for fields in waiting:
            fields["server_author"], fields["server_at"] = writers[(fields["entity"], fields["row_id"])]
            key = (CONFLICT_ENTITY, fields["id"])
            row = self.staged.rows[key]
            text = dump_fields({**fields, "id": row.id, "version": row.version, "case_id": row.case_id})
            self.staged.rows[key] = Row(row.entity, row.id, row.case_id, row.version, text)
            for entry in self.staged.history:
                if (entry["entity"], entry["row_id"]) == key:
                    entry["fields"] = text

    def _open_cases(self) -> list[list[dict[str, Any]]]:
        """Assignments of the cases this batch opened, and the grants pulls carry (one group per case)."""
        if not self.staged.opened:
            return []
        viewers = sorted({self.user.id} | ({self.user.supervisor_id} if self.user.supervisor_id is not None else set()))
        self._insert(
            CaseAssignment,
            [
                {
                    "case_id": case_id,
                    "user_id": self.user.id,
                    "assigned_at": self.now,
                    "assigned_by": self.user.username,
                }
                for case_id in self.staged.opened
            ],
        )
        return [
            [
                {"seq": PENDING_SEQ, "user_id": uid, "case_id": case_id, "kind": "grant", "at": self.now}
                for uid in viewers
            ]
            for case_id in self.staged.opened
        ]


def _as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=lambda value: value.isoformat() if isinstance(value, datetime) else str(value))


def write_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert many rows in one statement. On PostgreSQL the rows travel as one JSON parameter
    unpacked by `json_populate_recordset`: the statement stays short, is prepared once, and the
    driver encodes one string instead of one parameter per cell. On SQLite an executemany,
    which runs in process without round trips."""
    table = model.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name != "postgresql":
        session.connection().execute(insert(table), rows)
        return
    columns = ", ".join(rows[0])
    session.execute(
        text(
            f"INSERT INTO {table.name} ({columns}) SELECT {columns} "
            f"FROM json_populate_recordset(NULL::{table.name}, CAST(:rows AS json))"
        ),
        {"rows": _as_json(rows)},
    )


def update_records(session: Session, rows: list[dict[str, Any]]) -> None:
    """New versions of existing records, by primary key: one UPDATE ... FROM on PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(update(Record), rows)
        return
    changed = ", ".join(f"{name} = batch.{name}" for name in rows[0] if name not in ("entity", "id"))
    session.execute(
        text(
            f"UPDATE records SET {changed} "
            "FROM json_populate_recordset(NULL::records, CAST(:rows AS json)) AS batch "
            "WHERE records.entity = batch.entity AND records.id = batch.id"
        ),
        {"rows": _as_json(rows)},
    )
