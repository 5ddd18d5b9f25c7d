"""Recording a visit: draft, autosave, finalize (read-only), addendum, attempted contacts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from services_kit import Household, outbox
from sqlalchemy import select

from caseworker_app.domain import FinalizedNoteError, Note, ValidationError, Visit
from caseworker_app.domain.errors import IncompleteRecord
from caseworker_app.domain.vocabulary import ContactStatus, NoteStatus
from caseworker_app.services import visits
from caseworker_app.store.errors import RecordChanged, RecordNotFound
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import VisitRow

WHEN = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


def complete_form(h: Household) -> dict[str, object]:
    return {
        "purpose": "Monthly home visit",
        "location": "Family home",
        "children": [
            {"person_id": h.ana.id, "seen": True, "seen_alone": True},
            {"person_id": h.ben.id, "seen": False},
        ],
        "narrative": "Ana showed her reading log. Ben was at his grandmother's.",
    }


def test_starting_a_visit_stores_a_draft_visit_and_note_together(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    assert store.repo.get(Visit, draft.visit.id).occurred_at == WHEN
    note = store.repo.get(Note, draft.note.id)
    assert note.visit_id == draft.visit.id and note.status is NoteStatus.DRAFT and note.author == "liaison"
    assert [e.entity for e in outbox(store)] == ["visit", "note"]
    assert [e["action"] for e in store.repo.audit_events(case_id=household.case.id)] == ["create", "create"]
    with pytest.raises(RecordNotFound):
        visits.start_visit(store, "no-such-case")


def test_a_draft_saves_only_what_the_person_changed(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN, location="School office")
    # a sync brings a correction of the location while the form is open
    with store.db.transaction(remote=True) as session:
        row = session.get(VisitRow, draft.visit.id)
        assert row is not None
        row.location = "Family home (corrected)"
    saved = visits.update_draft(
        store, draft.visit.id, {"location": "School office", "purpose": "Monthly home visit"}, draft
    )
    assert saved.changed == ("purpose",) and saved.conflicts == ()
    stored = visits.load_draft(store, draft.visit.id)
    assert (stored.visit.location, stored.visit.purpose) == ("Family home (corrected)", "Monthly home visit")


def test_autosave_chains_snapshots_and_keeps_every_word(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    text = ""
    for word in ["Arrived", "at", "four;", "Rosa", "answered", "the", "door."]:
        text = f"{text} {word}".strip()
        draft = visits.update_draft(store, draft.visit.id, {"narrative": text}, draft).draft
    assert visits.load_draft(store, draft.visit.id).note.narrative == "Arrived at four; Rosa answered the door."
    (note_entry,) = [e for e in outbox(store) if e.entity == "note"]
    assert note_entry.changes["narrative"]["new"] == text


def test_finalizing_lists_every_missing_field_and_changes_nothing(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    with pytest.raises(IncompleteRecord) as caught:
        visits.finalize_visit(store, draft.visit.id, seen=draft)
    assert caught.value.fields == [
        "purpose",
        "location",
        f"children.{household.ana.id}",
        f"children.{household.ben.id}",
        "narrative",
    ]
    assert "Mark whether Ana Silva was seen." in str(caught.value)
    assert visits.load_draft(store, draft.visit.id).note.status is NoteStatus.DRAFT


def test_a_visit_in_the_future_cannot_be_finalized(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=datetime.now(UTC) + timedelta(days=2))
    draft = visits.update_draft(store, draft.visit.id, complete_form(household), draft).draft
    with pytest.raises(IncompleteRecord) as caught:
        visits.finalize_visit(store, draft.visit.id, seen=draft)
    assert caught.value.fields == ["occurred_at"]


def test_a_finalized_visit_is_read_only_and_corrected_by_addendum(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    draft = visits.update_draft(store, draft.visit.id, complete_form(household), draft).draft
    final = visits.finalize_visit(store, draft.visit.id, seen=draft)
    assert final.is_final and final.note.finalized_at is not None
    assert visits.finalize_visit(store, draft.visit.id) == final  # twice is harmless
    with pytest.raises(FinalizedNoteError, match="addendum"):
        visits.update_draft(store, draft.visit.id, {"purpose": "Changed later"}, final)
    assert store.repo.get(Visit, draft.visit.id).purpose == "Monthly home visit"
    addendum = visits.add_addendum(store, final.note.id, "Correction: Ben was seen at school the same day.")
    assert addendum.addendum_to == final.note.id and addendum.is_final
    assert visits.load_draft(store, draft.visit.id).note.id == final.note.id  # the addendum is not the narrative
    actions = [e["action"] for e in store.repo.audit_events(case_id=household.case.id)]
    assert actions[-3:] == ["finalize", "finalize", "addendum"]


def test_finalizing_text_changed_since_the_form_loaded_asks_to_read_it_again(
    store: LocalStore, household: Household
) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    draft = visits.update_draft(store, draft.visit.id, complete_form(household), draft).draft
    visits.update_draft(store, draft.visit.id, {"narrative": "Rewritten in another window."}, draft)
    with pytest.raises(RecordChanged):
        visits.finalize_visit(store, draft.visit.id, seen=draft)


def test_only_children_of_the_case_can_be_marked_seen(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    with pytest.raises(ValidationError, match="children of this case"):
        visits.update_draft(store, draft.visit.id, {"children": [{"person_id": "stranger", "seen": True}]}, draft)
    with pytest.raises(ValidationError, match="seen alone"):
        visits.update_draft(
            store, draft.visit.id, {"children": [{"person_id": household.ana.id, "seen_alone": True}]}, draft
        )


def test_an_attempted_contact_is_recorded_final_at_once(store: LocalStore, household: Household) -> None:
    attempt = visits.record_attempted_contact(
        store, household.case.id, occurred_at=WHEN, location="Family home", narrative="No answer; left a card."
    )
    assert attempt.visit.status is ContactStatus.ATTEMPTED and attempt.is_final
    with pytest.raises(IncompleteRecord, match="narrative"):
        visits.record_attempted_contact(store, household.case.id, occurred_at=WHEN, location="Home", narrative=" ")
    with store.db.reading() as session:
        assert len(list(session.scalars(select(VisitRow)))) == 1  # the refused attempt left nothing


def test_a_visit_without_narrative_gets_its_note_on_the_first_save(store: LocalStore, household: Household) -> None:
    visit = Visit(case_id=household.case.id, contact_type="home_visit", occurred_at=WHEN)
    store.repo.add(visit)  # recorded elsewhere, no narrative yet
    loaded = visits.load_draft(store, visit.id)
    assert loaded.note is None and not loaded.is_final and loaded.narrative == ""
    assert len(outbox(store)) == 1  # opening it wrote nothing
    saved = visits.update_draft(store, visit.id, {"narrative": "Rosa was home."}, loaded)
    assert saved.draft.note is not None and saved.draft.note.visit_id == visit.id
    again = visits.update_draft(store, visit.id, {"narrative": "Rosa was home; Ana too."}, saved.draft)
    assert visits.load_draft(store, visit.id).narrative == "Rosa was home; Ana too." and again.conflicts == ()


def test_unfinished_drafts_are_listed_newest_first_until_finalized(store: LocalStore, household: Household) -> None:
    first = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    second = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    visits.update_draft(store, first.visit.id, complete_form(household), first)  # saved last
    drafts = visits.unfinished_drafts(store)
    assert [d.visit.id for d in drafts] == [first.visit.id, second.visit.id]
    assert drafts[0].reference == "CW-2026-00042" and drafts[0].last_saved >= drafts[1].last_saved
    visits.finalize_visit(store, first.visit.id)
    assert [d.visit.id for d in visits.unfinished_drafts(store)] == [second.visit.id]
