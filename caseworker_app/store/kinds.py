"""The one map of record kinds: domain class, wire/outbox entity name, table row type, and label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseworker_app.domain.entities import ENTITY_NAMES, Synced
from caseworker_app.domain.vocabulary import as_words
from caseworker_app.i18n import _
from caseworker_app.store import models
from caseworker_app.store.errors import RecordNotFound


@dataclass(frozen=True)
class RecordKind:
    record: type[Synced]
    entity: str  # the name in the outbox and on the wire
    row: type[Any]  # the SQLAlchemy model of its table
    label: str  # what a person calls it, for messages

    @property
    def table(self) -> str:
        return str(self.row.__tablename__)


_ROWS: dict[str, type[Any]] = {row.entity: row for row in models.SYNCED_ROWS}
KINDS: tuple[RecordKind, ...] = tuple(
    RecordKind(record=cls, entity=name, row=_ROWS[name], label=name.replace("_", " "))
    for cls, name in ENTITY_NAMES.items()
)
_BY_RECORD = {k.record: k for k in KINDS}
_BY_ENTITY = {k.entity: k for k in KINDS}

# Mappings kept for readers that want a plain dict; all come from KINDS.
ROW_TYPES: dict[type[Synced], type[Any]] = {k.record: k.row for k in KINDS}
ROW_FOR_ENTITY: dict[str, type[Any]] = {k.entity: k.row for k in KINDS}
RECORD_LABELS: dict[type[Synced], str] = {k.record: k.label for k in KINDS}


def kind_of(record_type: type[Any]) -> RecordKind:
    return _BY_RECORD[record_type]


def kind_for_entity(entity: str) -> RecordKind | None:
    """The kind with this wire name, or None for a kind this app version does not know."""
    return _BY_ENTITY.get(entity)


def not_found(record_type: type[Any], record_id: str) -> RecordNotFound:
    return RecordNotFound(
        _("No {record} with id {id} in this profile.").format(
            record=as_words(kind_of(record_type).entity).lower(), id=record_id
        )
    )
