"""Case notes not tied to a visit: write a draft, edit it, finalize it; corrections are addenda."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from caseworker_app.domain.entities import Case, Note
from caseworker_app.domain.errors import ValidationError
from caseworker_app.i18n import _
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.unit_of_work import Saved

EDITABLE = frozenset({"narrative"})


def add_note(store: LocalStore, case_id: str, narrative: str, *, finalize: bool = False) -> Note:
    """A new case note by this worker, a draft unless finalize=True (then read-only at once)."""
    case = store.repo.get(Case, case_id)
    if not narrative.strip():
        raise ValidationError("narrative", _("The note is empty; write the narrative first."))
    note = Note(case_id=case.id, author=store.worker, narrative=narrative, written_at=datetime.now(UTC))
    with store.repo.unit() as uow:
        uow.add(note)
        if finalize:
            note = uow.finalize_note(note.id)
    return note


def edit_note(store: LocalStore, note_id: str, changes: Mapping[str, Any], seen: Note) -> Saved[Note]:
    """Change a draft note's narrative (only if it changed since `seen`); a final note raises FinalizedNoteError."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(sorted(unknown)[0], _("Only the narrative of a note is edited."))
    return store.repo.update(Note, note_id, changes, seen=seen)


def finalize_note(store: LocalStore, note_id: str, *, seen: Note | None = None) -> Note:
    """Make a note final; with `seen`, text changed since the person read it raises RecordChanged."""
    note = store.repo.get(Note, note_id)
    if not note.narrative.strip():
        raise ValidationError("narrative", _("Write the narrative before finalizing the note."))
    return store.repo.finalize_note(note_id, seen=seen)
