"""Writes in one transaction: several records, each with its outbox entry and audit event.

Edits are field-level against the snapshot the person's form loaded (`seen`): only
the fields they changed are written, a field a sync moved underneath is never
reverted, and a same-field disagreement goes to the server as a conflict (it
keeps its value and records the person's) instead of overwriting anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain import codec
from caseworker_app.domain.entities import Note, Synced
from caseworker_app.domain.errors import FinalizedNoteError, ValidationError
from caseworker_app.domain.rules import check_note_change
from caseworker_app.domain.vocabulary import NoteStatus, as_words
from caseworker_app.i18n import _
from caseworker_app.store import outbox
from caseworker_app.store.errors import RecordChanged
from caseworker_app.store.kinds import kind_of, not_found

if TYPE_CHECKING:
    from caseworker_app.store.repository import Repository

R = TypeVar("R", bound=Synced)


def _record(entity: str) -> str:
    """A kind of record as a sentence names it: "safety plan", "plan de seguridad"."""
    return as_words(entity).lower()


# Fields no edit may set: identity and sync bookkeeping; a delete sets deleted_at.
FIXED_FIELDS = frozenset({"id", "case_id", "version", "deleted_at"})
# What a person reads in a note before finalizing it; if it moved since, they read it again.
NOTE_CONTENT = ("narrative", "visit_id", "addendum_to", "author")


@dataclass(frozen=True)
class FieldConflict:
    """A field the person changed that had also changed underneath them (plain values).

    The store keeps `current`; `wanted` goes to the server against the base `seen`,
    where it becomes a conflict record everyone on the case sees until resolved.
    """

    field: str
    seen: Any
    current: Any
    wanted: Any


@dataclass(frozen=True)
class Saved(Generic[R]):
    """The record as stored after an edit, the fields written, and the conflicts raised."""

    record: R
    changed: tuple[str, ...] = ()
    conflicts: tuple[FieldConflict, ...] = field(default_factory=tuple)


def to_record(cls: type[R], row: Any) -> R:
    return codec.decode(cls, {c: getattr(row, c) for c in codec.field_names(cls)})


def plain_changes(cls: type[Synced], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes in plain (stored) form; domain values and plain values are both accepted."""
    names = set(codec.field_names(cls))
    hints = codec.field_types(cls)  # type: ignore[arg-type]
    plain: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in names:
            raise ValidationError(
                name, _("A {record} has no field '{name}'.").format(record=_record(kind_of(cls).entity), name=name)
            )
        if name in FIXED_FIELDS:
            raise ValidationError(name, _("The field '{name}' cannot be edited.").format(name=name))
        try:
            plain[name] = codec.encode_value(codec.decode_value(hints[name], codec.encode_value(value)))
        except (TypeError, ValueError, KeyError) as exc:
            raise ValidationError(
                name, _("'{value}' is not a valid value for {field}.").format(value=value, field=name.replace("_", " "))
            ) from exc
    return plain


def seen_plain(cls: type[Synced], seen: Synced | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if seen is None:
        return None
    if isinstance(seen, Synced):
        if type(seen) is not cls:
            raise TypeError(f"seen is a {type(seen).__name__}, not a {cls.__name__}")
        return codec.encode(seen)
    hints = codec.field_types(cls)  # type: ignore[arg-type]
    return {k: codec.encode_value(codec.decode_value(hints[k], codec.encode_value(v))) for k, v in seen.items()}


class UnitOfWork:
    """One write transaction of one worker; see Repository.unit()."""

    def __init__(self, repo: Repository, session: Session) -> None:
        self.repo = repo
        self.session = session
        self.conflicts: list[FieldConflict] = []

    # -- reading inside the transaction --------------------------------------------------

    def _row(self, cls: type[Synced], record_id: str) -> Any:
        row = self.session.get(kind_of(cls).row, record_id)
        if row is None or row.deleted_at is not None:
            raise not_found(cls, record_id)
        return row

    def get(self, cls: type[R], record_id: str) -> R:
        """A live record as this transaction sees it."""
        return to_record(cls, self._row(cls, record_id))

    def find(self, cls: type[R], **equal: Any) -> list[R]:
        """Live records whose columns equal the values given, as this transaction sees them."""
        row_type = kind_of(cls).row
        query = select(row_type).where(row_type.deleted_at.is_(None))
        for name, value in equal.items():
            column = getattr(row_type, name)
            query = query.where(column.is_(None) if value is None else column == value)
        return [to_record(cls, row) for row in self.session.scalars(query)]

    # -- writing ---------------------------------------------------------------------------

    def add(self, record: R, *, audit_action: str = "create") -> R:
        """Store a new record: validated, with its outbox entry and a 'create' audit event."""
        record.validate()
        kind = kind_of(type(record))
        if self.session.get(kind.row, record.id) is not None:
            raise ValidationError(
                "id", _("This {record} is already stored; edit it instead.").format(record=_record(kind.entity))
            )
        plain = codec.encode(record)
        plain["version"] = 0  # the server assigns versions
        self.session.add(kind.row(**plain))
        self.session.flush()
        self._audit(audit_action, record)
        return record

    def update(
        self,
        cls: type[R],
        record_id: str,
        changes: Mapping[str, Any],
        *,
        seen: R | Mapping[str, Any] | None = None,
        audit_action: str = "edit",
    ) -> Saved[R]:
        """Write only the fields the person changed, each against its value in `seen`.

        For each field in `changes`: equal to what the person saw -> not a change, skipped;
        the store already holds it -> nothing to do; the store still holds what they saw
        -> written; otherwise someone changed it meanwhile -> the store keeps its value
        and the person's goes to the server as a conflict (see FieldConflict).
        Without `seen` the current stored values are the base (only for callers that
        read and write in this same transaction). Raises ValidationError, FinalizedNoteError.
        """
        row = self._row(cls, record_id)
        current = to_record(cls, row)
        stored = codec.encode(current)
        base = seen_plain(cls, seen)
        written: dict[str, Any] = {}
        conflicts: list[FieldConflict] = []
        for name, wanted in plain_changes(cls, changes).items():
            was = stored[name] if base is None or name not in base else base[name]
            if codec.same_plain(wanted, was) or codec.same_plain(wanted, stored[name]):
                continue
            if codec.same_plain(stored[name], was):
                written[name] = wanted
            else:
                conflicts.append(FieldConflict(name, was, stored[name], wanted))
        if not written and not conflicts:
            return Saved(current)
        if isinstance(current, Note) and current.is_final:
            raise FinalizedNoteError(_("This note is finalized and cannot be changed. Add an addendum to correct it."))
        after = codec.decode(cls, {**stored, **written})
        intended = codec.decode(cls, {**stored, **written, **{c.field: c.wanted for c in conflicts}})
        intended.validate()  # the person's input, as they meant it
        after.validate()  # what is stored
        if isinstance(current, Note):
            check_note_change(current, after)  # type: ignore[arg-type]
        for name, value in written.items():
            setattr(row, name, value)
        self.session.flush()  # the outbox hook writes the entry of the written fields
        if conflicts:
            # Its own entry, based on what the person saw, so the server records the disagreement.
            outbox.add_entry(
                self.session,
                row,
                {c.field: {"base": c.seen, "new": c.wanted} for c in conflicts},
                base_version=row.version,
            )
            self.conflicts += conflicts
        detail: dict[str, Any] = {"fields": sorted(written)}  # field names only, never values
        if conflicts:
            detail["conflicts"] = sorted(c.field for c in conflicts)
        self._audit(audit_action, after, detail=detail)
        return Saved(after, tuple(written), tuple(conflicts))

    def delete(self, cls: type[Synced], record_id: str) -> None:
        """Tombstone a record: only deleted_at is written, so no other field is ever rewritten."""
        row = self._row(cls, record_id)
        current = to_record(cls, row)
        if isinstance(current, Note) and current.is_final:
            raise FinalizedNoteError(_("A finalized note cannot be deleted. Add an addendum to correct it."))
        row.deleted_at = datetime.now(UTC).isoformat()
        self.session.flush()
        self._audit("delete", current)

    def finalize_note(self, note_id: str, *, seen: Note | None = None) -> Note:
        """Make a note final (read-only), writing only its status and finalized time.

        With `seen`, the note must still read as the person saw it: finalizing text they
        never read raises RecordChanged. Finalizing a final note returns it unchanged.
        """
        note = self.get(Note, note_id)
        if note.is_final:
            return note
        if seen is not None:
            moved = [n for n in NOTE_CONTENT if getattr(seen, n) != getattr(note, n)]
            if moved:
                raise RecordChanged(_("This note changed since you opened it; read it again before finalizing it."))
        saved = self.update(
            Note,
            note_id,
            {"status": NoteStatus.FINAL, "finalized_at": datetime.now(UTC)},
            audit_action="finalize",
        )
        return saved.record

    def save(self, record: R, *, audit_action: str | None = None) -> R:
        """Create a record, or write every field of a record this caller owns outright.

        Forms must not use this for edits: a copy loaded earlier would revert whatever a
        sync changed meanwhile. Edits go through update() with the snapshot the form loaded.
        """
        kind = kind_of(type(record))
        if self.session.get(kind.row, record.id) is None:
            return self.add(record, audit_action=audit_action or "create")
        fields = {k: v for k, v in codec.encode(record).items() if k not in FIXED_FIELDS}
        if record.deleted_at is not None:
            self.delete(type(record), record.id)
            return record
        saved = self.update(type(record), record.id, fields, audit_action=audit_action or "edit")
        return saved.record

    # -- audit -------------------------------------------------------------------------------

    def _audit(self, action: str, record: Synced, detail: dict[str, Any] | None = None) -> None:
        self.repo.audit(
            action,
            case_id=record.case_id,
            entity=type(record).__name__,
            row_id=record.id,
            detail=detail,
            session=self.session,
        )
