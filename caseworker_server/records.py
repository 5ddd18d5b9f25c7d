"""Checking a record against the domain: decode with the codec, validate, and the finalized-note rule."""

from __future__ import annotations

import dataclasses
from typing import Any

from caseworker_app.domain.codec import decode
from caseworker_app.domain.entities import Note, Synced
from caseworker_app.domain.errors import CaseworkerError, ValidationError
from caseworker_app.domain.rules import check_note_change
from caseworker_app.sync.protocol import ENTITY_TYPES


class RecordRejected(Exception):
    """The record cannot be stored; the message says why, in words a caseworker can act on."""


def field_names(entity: str) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(ENTITY_TYPES[entity]))


def to_record(entity: str, fields: dict[str, Any]) -> Synced:
    """Decode and validate; any malformed value becomes a readable rejection."""
    cls = ENTITY_TYPES[entity]
    try:
        record = decode(cls, fields)
    except TypeError as exc:
        missing = [
            f.name
            for f in dataclasses.fields(cls)
            if f.name not in fields and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise RecordRejected(f"The {entity.replace('_', ' ')} is missing: {', '.join(missing)}.") from exc
        raise RecordRejected(f"A field of the {entity.replace('_', ' ')} has the wrong kind of value.") from exc
    except (ValueError, KeyError, AttributeError) as exc:
        raise RecordRejected(f"A field of the {entity.replace('_', ' ')} has a value that is not allowed.") from exc
    try:
        _check_types(record)
        record.validate()
    except ValidationError as exc:
        raise RecordRejected(exc.message) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise RecordRejected(f"A field of the {entity.replace('_', ' ')} has the wrong kind of value.") from exc
    return record


def _check_types(record: object) -> None:
    """The codec trusts its input; the server does not. Scalars must be of their declared kind."""
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        annotation = str(f.type)
        if value is None:
            if "None" not in annotation and f.name != "deleted_at":
                raise ValidationError(f.name, f"Enter a value for {f.name.replace('_', ' ')}.")
            continue
        if annotation in ("str", "str | None") and not isinstance(value, str):
            raise ValidationError(f.name, f"{f.name.replace('_', ' ').capitalize()} must be text.")
        if annotation == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError(f.name, f"{f.name.replace('_', ' ').capitalize()} must be a whole number.")
        if annotation == "bool" and not isinstance(value, bool):
            raise ValidationError(f.name, f"{f.name.replace('_', ' ').capitalize()} must be yes or no.")
        if annotation.startswith("list[str]") and not all(isinstance(v, str) for v in value):
            raise ValidationError(f.name, f"{f.name.replace('_', ' ').capitalize()} must be a list of text.")
        if annotation.startswith("list[") and not isinstance(value, list):
            raise ValidationError(f.name, f"{f.name.replace('_', ' ').capitalize()} must be a list.")
        if isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item):
                    _check_types(item)


def check_note(before: dict[str, Any], after: Synced) -> None:
    """A final note cannot change; corrections are addenda (new notes)."""
    if before.get("status") != "final" or not isinstance(after, Note):
        return
    try:
        check_note_change(decode(Note, before), after)
    except CaseworkerError as exc:
        raise RecordRejected(str(exc)) from exc
