"""Recording contacts: start a visit draft, save it as the person types, finalize it, correct it by addendum.

A visit and its narrative note are one form and one snapshot (`VisitDraft`). A new
form's draft is written on its first real edit, not when the form opens. Every
save writes only the fields the person changed against the snapshot the form
loaded, in one transaction with the outbox entries and audit events, and then
announces what changed. A visit is final (read-only) once its note is final;
corrections are addenda. A draft can be discarded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from caseworker_app.domain import codec
from caseworker_app.domain.clock import from_local
from caseworker_app.domain.entities import Case, ChildSeen, Note, Person, Visit
from caseworker_app.domain.errors import FinalizedNoteError, IncompleteRecord, ValidationError
from caseworker_app.domain.vocabulary import ContactStatus, ContactType, NoteStatus
from caseworker_app.domain.workflow import check_ready_to_finalize, choose, missing_to_finalize
from caseworker_app.i18n import _
from caseworker_app.store import models, queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.queries import DraftVisit
from caseworker_app.store.unit_of_work import FieldConflict, UnitOfWork

NOTE_FIELD = "narrative"  # the one note field the visit form edits




@dataclass(frozen=True)
class VisitDraft:
    """A visit with its narrative note, as a form loads and shows them.

    `note` is None for a visit recorded without narrative (elsewhere, or before this app
    version); the first save that writes a narrative gives it its note. `stored` is False
    for a new form's draft until its first real edit writes it.
    """

    visit: Visit
    note: Note | None
    stored: bool = True

    @property
    def is_final(self) -> bool:
        return self.note is not None and self.note.is_final

    @property
    def narrative(self) -> str:
        return self.note.narrative if self.note is not None else ""


@dataclass(frozen=True)
class SavedDraft:
    """The draft as stored after a save (the form's next `seen`), and any conflicts it raised."""

    draft: VisitDraft
    changed: tuple[str, ...] = ()
    conflicts: tuple[FieldConflict, ...] = field(default_factory=tuple)


def _main_note(uow: UnitOfWork, visit: Visit) -> Note | None:
    notes = uow.find(Note, visit_id=visit.id, addendum_to=None)
    return min(notes, key=lambda n: n.written_at) if notes else None


def _children(store: LocalStore, case_id: str) -> list[Person]:
    return [p for p in store.repo.for_case(Person, case_id) if p.role == "child"]


def _check_children(store: LocalStore, case_id: str, children: list[ChildSeen]) -> None:
    known = {p.id for p in _children(store, case_id)}
    if any(c.person_id not in known for c in children):
        raise ValidationError("children", _("Only children of this case can be marked as seen."))


def start_visit(
    store: LocalStore,
    case_id: str,
    *,
    contact_type: ContactType | str = ContactType.HOME_VISIT,
    occurred_at: datetime | None = None,
    status: ContactStatus | str = ContactStatus.COMPLETED,
    location: str = "",
    purpose: str = "",
    narrative: str = "",
) -> VisitDraft:
    """Create a draft visit and its draft note together (Ctrl+N); returns the form's first snapshot.

    occurred_at defaults to now; a naive time is the person's local wall-clock time, and every
    time is stored in UTC.
    Raises RecordNotFound for an unknown case, ValidationError for bad values.
    """
    case = store.repo.get(Case, case_id)
    now = datetime.now(UTC)
    visit = Visit(
        case_id=case.id,
        contact_type=choose(ContactType, contact_type, "contact_type"),
        status=choose(ContactStatus, status, "status"),
        occurred_at=from_local(occurred_at) if occurred_at else now,
        location=location,
        purpose=purpose,
        worker=store.worker,
    )
    note = Note(case_id=case.id, author=store.worker, narrative=narrative, visit_id=visit.id, written_at=now)
    with store.repo.unit() as uow:
        uow.add(visit)
        uow.add(note)
    return VisitDraft(visit, note)


def new_draft(store: LocalStore, case_id: str) -> VisitDraft:
    """A new visit form's first snapshot (Ctrl+N), written nowhere yet: the first save that
    changes a field stores the visit and its draft note. Raises RecordNotFound for an unknown case.
    """
    case = store.repo.get(Case, case_id)
    now = datetime.now(UTC)
    visit = Visit(case_id=case.id, contact_type=ContactType.HOME_VISIT, occurred_at=now, worker=store.worker)
    note = Note(case_id=case.id, author=store.worker, visit_id=visit.id, written_at=now)
    return VisitDraft(visit, note, stored=False)


def _store_new_draft(
    store: LocalStore, visit_changes: Mapping[str, Any], note_changes: Mapping[str, Any], seen: VisitDraft
) -> SavedDraft:
    """The first write of a new form's draft: the visit and its note as the form now holds them."""
    plain = {k: codec.encode_value(v) for k, v in visit_changes.items()}
    visit = codec.decode(Visit, {**codec.encode(seen.visit), **plain})
    assert seen.note is not None  # new_draft always makes one
    note = codec.decode(Note, {**codec.encode(seen.note), "written_at": datetime.now(UTC).isoformat(),
                               NOTE_FIELD: str(note_changes.get(NOTE_FIELD, seen.narrative))})
    with store.repo.unit() as uow:
        uow.add(visit)
        uow.add(note)
    return SavedDraft(VisitDraft(visit, note), (*visit_changes, *note_changes))


def load_draft(store: LocalStore, visit_id: str) -> VisitDraft:
    """A visit and its note as a form opens them (the `seen` of the next save)."""
    with store.repo.unit() as uow:  # both read in one transaction: one consistent snapshot
        visit = uow.get(Visit, visit_id)
        return VisitDraft(visit, _main_note(uow, visit))


def unfinished_drafts(store: LocalStore) -> list[DraftVisit]:
    """This worker's visit drafts not yet finalized, most recently saved first (for Today)."""
    return queries.draft_visits(store.db, store.worker)


def update_draft(
    store: LocalStore, visit_id: str, changes: Mapping[str, Any], seen: VisitDraft, *, create: bool = False
) -> SavedDraft:
    """Save a draft visit form (autosave or Ctrl+S): visit fields and "narrative", in one transaction.

    `changes` holds the form's values (visit field names, plus "narrative" for the note);
    only those that differ from `seen` are written. Pass the returned `draft` as the next
    `seen`. A new form's draft (`seen.stored` False) is written on the first save that changes
    something, or at once with `create` (a record is about to point at it). Raises
    FinalizedNoteError once the visit is final, ValidationError for bad values.
    """
    visit_changes = {k: v for k, v in changes.items() if k != NOTE_FIELD}
    if "children" in visit_changes:
        visit_changes["children"] = [
            c if isinstance(c, ChildSeen) else ChildSeen(**c) for c in visit_changes["children"]
        ]
        _check_children(store, seen.visit.case_id, visit_changes["children"])
    note_changes = {k: v for k, v in changes.items() if k == NOTE_FIELD}
    if not seen.stored:
        if not changes and not create:  # opened and left alone: nothing is written
            return SavedDraft(seen)
        return _store_new_draft(store, visit_changes, note_changes, seen)
    return _update_stored(store, visit_id, visit_changes, note_changes, seen)


def _update_stored(
    store: LocalStore, visit_id: str, visit_changes: dict[str, Any], note_changes: dict[str, Any], seen: VisitDraft
) -> SavedDraft:
    with store.repo.unit() as uow:
        visit = uow.get(Visit, visit_id)
        note = _main_note(uow, visit)
        if note is not None and note.is_final:
            raise FinalizedNoteError(_("This visit is finalized and cannot be changed. Add an addendum to correct it."))
        saved_visit = uow.update(Visit, visit_id, visit_changes, seen=seen.visit)
        if note is None and str(note_changes.get(NOTE_FIELD, "")).strip():
            note = uow.add(
                Note(
                    case_id=visit.case_id,
                    author=store.worker,
                    narrative=str(note_changes[NOTE_FIELD]),
                    visit_id=visit.id,
                    written_at=datetime.now(UTC),
                )
            )
            return SavedDraft(
                VisitDraft(saved_visit.record, note), (*saved_visit.changed, NOTE_FIELD), saved_visit.conflicts
            )
        if note is None:
            return SavedDraft(VisitDraft(saved_visit.record, None), saved_visit.changed, saved_visit.conflicts)
        saved_note = uow.update(Note, note.id, note_changes, seen=seen.note or note)
    return SavedDraft(
        VisitDraft(saved_visit.record, saved_note.record),
        saved_visit.changed + saved_note.changed,
        saved_visit.conflicts + saved_note.conflicts,
    )


def finalize_visit(store: LocalStore, visit_id: str, *, seen: VisitDraft | None = None) -> VisitDraft:
    """Finalize a visit and its note: both read-only from now on; corrections are addenda.

    The domain decides what a contact needs first (purpose, place, each child seen or not,
    the narrative); IncompleteRecord lists every missing field. With `seen`, a note whose
    text changed since the form loaded raises RecordChanged. Finalizing twice is harmless.
    """
    children = _children(store, seen.visit.case_id if seen else store.repo.get(Visit, visit_id).case_id)
    with store.repo.unit() as uow:
        visit = uow.get(Visit, visit_id)
        note = _main_note(uow, visit)
        if note is not None and note.is_final:
            return VisitDraft(visit, note)
        check_ready_to_finalize(visit, note, children, datetime.now(UTC))
        assert note is not None  # check_ready_to_finalize asks for the narrative otherwise
        final = uow.finalize_note(note.id, seen=seen.note if seen is not None else None)
        uow.repo.audit("finalize", case_id=visit.case_id, entity="Visit", row_id=visit.id, session=uow.session)
    return VisitDraft(visit, final)


def discard_draft(store: LocalStore, visit_id: str) -> bool:
    """Throw away an unfinished visit and its draft note (the person confirmed it first).

    Never synced (nothing of it ever left this computer): removed, with its outbox entries.
    Otherwise tombstoned, so the server and other devices learn of it. Either way audited
    as "discard_draft". Returns True if it was removed outright. A finalized visit cannot be
    discarded (FinalizedNoteError); corrections are addenda.
    """
    with store.repo.unit() as uow:
        visit = uow.get(Visit, visit_id)
        notes = uow.find(Note, visit_id=visit_id)
        if any(n.is_final for n in notes):
            raise FinalizedNoteError(
                _("This visit is finalized and cannot be discarded. Add an addendum to correct it.")
            )
        ids = [visit.id, *(n.id for n in notes)]
        session = uow.session
        sent = session.scalars(
            select(models.OutboxEntry.seq).where(
                models.OutboxEntry.row_id.in_(ids), models.OutboxEntry.sent_at.is_not(None)
            )
        ).first()
        local_only = sent is None and visit.version == 0 and all(n.version == 0 for n in notes)
        if local_only:
            # Core deletes, not the session's: a synced row is only ever tombstoned, and this
            # one never was synced; its pending outbox entries go with it.
            session.execute(delete(models.OutboxEntry).where(models.OutboxEntry.row_id.in_(ids)))
            session.execute(delete(models.NoteRow).where(models.NoteRow.id.in_(ids)))
            session.execute(delete(models.VisitRow).where(models.VisitRow.id == visit_id))
        else:
            for note in notes:
                uow.delete(Note, note.id)
            uow.delete(Visit, visit.id)
        uow.repo.audit("discard_draft", case_id=visit.case_id, entity="Visit", row_id=visit.id, session=session)
    return local_only


def record_attempted_contact(
    store: LocalStore,
    case_id: str,
    *,
    contact_type: ContactType | str = ContactType.HOME_VISIT,
    occurred_at: datetime,
    location: str = "",
    narrative: str,
) -> VisitDraft:
    """An attempt that did not reach the family (no answer at the door): recorded and final at once.

    The narrative says what happened (left a card, neighbour said ...). No child can be marked seen.
    """
    case = store.repo.get(Case, case_id)
    now = datetime.now(UTC)
    visit = Visit(
        case_id=case.id,
        contact_type=choose(ContactType, contact_type, "contact_type"),
        status=ContactStatus.ATTEMPTED,
        occurred_at=from_local(occurred_at),
        location=location,
        worker=store.worker,
    )
    note = Note(
        case_id=case.id,
        author=store.worker,
        narrative=narrative,
        visit_id=visit.id,
        status=NoteStatus.FINAL,
        written_at=now,
        finalized_at=now,
    )
    missing = missing_to_finalize(visit, note, [], now)
    if missing:  # the person records an attempt; finalizing is our word for it, not theirs
        raise IncompleteRecord(missing, lead=_("To record this attempted contact:"))
    visit.validate()
    with store.repo.unit() as uow:
        uow.add(visit, audit_action="attempted_contact")
        uow.add(note, audit_action="finalize")
    return VisitDraft(visit, note)


def add_addendum(store: LocalStore, note_id: str, narrative: str) -> Note:
    """Correct a finalized note (or a finalized visit's note): a new final note pointing at it."""
    original = store.repo.get(Note, note_id)
    if not original.is_final:
        raise ValidationError("addendum_to", _("This note is still a draft; edit it instead of adding an addendum."))
    now = datetime.now(UTC)
    addendum = Note(
        case_id=original.case_id,
        author=store.worker,
        narrative=narrative,
        visit_id=original.visit_id,
        status=NoteStatus.FINAL,
        written_at=now,
        finalized_at=now,
        addendum_to=original.id,
    )
    added = store.repo.add(addendum, audit_action="addendum")
    return added
