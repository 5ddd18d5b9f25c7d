"""Change numbers in commit order (design rule 6), and writing records with their history.

Numbers come from one counter row, taken as the last step before commit. Its row
lock is held until the transaction ends, so a transaction that takes a number
commits before the next one can take its own: no change ever commits below a
cursor a pull has already returned. Work before that step runs concurrently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from caseworker_app.sync.protocol import REFERENCE_ENTITIES
from caseworker_server.models import AccessEvent, Record, RecordHistory, SyncCounter, utcnow

PENDING_SEQ = 0


def dump_fields(fields: dict[str, Any]) -> str:
    # ASCII-only: NUL and lone surrogates stay escaped, which every database stores as text.
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=True, sort_keys=True)


def allocate(session: Session, count: int) -> int:
    """Reserve `count` consecutive change numbers; returns the first."""
    stmt = (
        update(SyncCounter)
        .where(SyncCounter.id == 1)
        .values(value=SyncCounter.value + count)
        .returning(SyncCounter.value)
    )
    last = int(session.execute(stmt).scalar_one())
    return last - count + 1


def current_seq(session: Session) -> int:
    return int(session.execute(select(SyncCounter.value).where(SyncCounter.id == 1)).scalar_one())


@dataclass
class ChangeSet:
    """Changes made in one transaction, numbered together by `stamp` just before commit."""

    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    event_groups: list[list[AccessEvent]] = field(default_factory=list)

    def write(
        self,
        session: Session,
        entity: str,
        row_id: str,
        case_id: str | None,
        fields: dict[str, Any],
        *,
        existing: Record | None = None,
        mutation_id: str | None = None,
        user_id: int | None = None,
        device_id: int | None = None,
    ) -> Record:
        """Store a new version of a row (current state and history); returns the row."""
        now = utcnow()
        version = 1 if existing is None else existing.version + 1
        fields = {**fields, "id": row_id, "version": version}
        if entity not in REFERENCE_ENTITIES:
            fields["case_id"] = case_id
        text = dump_fields(fields)
        if existing is None:
            record = Record(
                entity=entity,
                id=row_id,
                case_id=case_id,
                version=version,
                seq=PENDING_SEQ,
                fields=text,
                updated_at=now,
            )
            session.add(record)
        else:
            record = existing
            record.version = version
            record.fields = text
            record.updated_at = now
        session.add(
            RecordHistory(
                entity=entity,
                row_id=row_id,
                case_id=case_id,
                version=record.version,
                fields=record.fields,
                mutation_id=mutation_id,
                user_id=user_id,
                device_id=device_id,
                at=now,
            )
        )
        session.flush()
        self.records[(entity, row_id)] = record
        return record

    def mark(self) -> tuple[dict[tuple[str, str], Record], int]:
        """The state to return to if the savepoint around the next change rolls back."""
        return dict(self.records), len(self.event_groups)

    def rollback_to(self, mark: tuple[dict[tuple[str, str], Record], int]) -> None:
        self.records = dict(mark[0])
        del self.event_groups[mark[1] :]

    def add_events(self, events: list[AccessEvent]) -> None:
        if events:
            self.event_groups.append(events)

    def stamp(self, session: Session) -> None:
        """Number every change of this transaction; call last, right before commit."""
        count = len(self.records) + len(self.event_groups)
        if not count:
            return
        seq = allocate(session, count)
        for group in self.event_groups:
            for event in group:
                event.seq = seq
            seq += 1
        for record in self.records.values():
            record.seq = seq
            seq += 1
        session.flush()


def bulk_insert(
    session: Session, rows: list[tuple[str, str, str | None, dict[str, Any]]], *, user_id: int | None = None
) -> int:
    """Insert many new rows at once (imports, demo data): numbered now, one statement per table.

    Takes the counter first, so it holds the counter for the rest of the transaction;
    meant for admin commands, not for the request path.
    """
    if not rows:
        return 0
    seq = allocate(session, len(rows))
    now = utcnow()
    records = []
    history = []
    for offset, (entity, row_id, case_id, fields) in enumerate(rows):
        plain = {**fields, "id": row_id, "version": 1}
        if entity not in REFERENCE_ENTITIES:
            plain["case_id"] = case_id
        text = dump_fields(plain)
        records.append(
            {
                "entity": entity,
                "id": row_id,
                "case_id": case_id,
                "version": 1,
                "seq": seq + offset,
                "fields": text,
                "updated_at": now,
            }
        )
        history.append(
            {
                "entity": entity,
                "row_id": row_id,
                "case_id": case_id,
                "version": 1,
                "fields": text,
                "mutation_id": None,
                "user_id": user_id,
                "device_id": None,
                "at": now,
            }
        )
    session.execute(insert(Record), records)
    session.execute(insert(RecordHistory), history)
    return len(rows)
