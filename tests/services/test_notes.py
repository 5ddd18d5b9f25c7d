"""Case notes outside visits: draft, edit against what was read, finalize, find a case by reference."""

from __future__ import annotations

import pytest
from services_kit import Household

from caseworker_app.domain import FinalizedNoteError, Note, ValidationError
from caseworker_app.services import cases, notes
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.local_store import LocalStore


def test_a_case_note_is_drafted_edited_and_finalized(store: LocalStore, household: Household) -> None:
    note = notes.add_note(store, household.case.id, "Called the school counsellor.")
    saved = notes.edit_note(store, note.id, {"narrative": "Called the school counsellor; meeting Tuesday."}, seen=note)
    final = notes.finalize_note(store, note.id, seen=saved.record)
    assert final.is_final and store.repo.get(Note, note.id).narrative.endswith("meeting Tuesday.")
    with pytest.raises(FinalizedNoteError):
        notes.edit_note(store, note.id, {"narrative": "Changed."}, seen=final)
    with pytest.raises(ValidationError, match="Only the narrative"):
        notes.edit_note(store, note.id, {"author": "someone"}, seen=final)
    with pytest.raises(ValidationError, match="empty"):
        notes.add_note(store, household.case.id, "   ")


def test_cases_are_found_by_id_or_reference(store: LocalStore, household: Household) -> None:
    assert cases.find_case(store, household.case.id) == household.case
    assert cases.find_case(store, " cw-2026-00042 ") == household.case
    with pytest.raises(RecordNotFound):
        cases.find_case(store, "CW-0")
