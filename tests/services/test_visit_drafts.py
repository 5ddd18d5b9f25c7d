"""A new visit is stored on its first real edit; a draft can be discarded (removed or tombstoned, audited);
each child is seen, seen alone or not seen with a reason; every write announces what changed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from services_kit import Household, outbox
from sqlalchemy import update

from caseworker_app.domain import FinalizedNoteError, Note, Visit
from caseworker_app.domain.errors import IncompleteRecord
from caseworker_app.services import visits
from caseworker_app.services.changes import Changes, listen
from caseworker_app.services.save_problem import SaveProblem, why_not_saved
from caseworker_app.store.errors import RecordNotFound
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.models import NoteRow, OutboxEntry, VisitRow

WHEN = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


def test_a_new_draft_is_stored_only_by_its_first_change(store: LocalStore, household: Household) -> None:
    draft = visits.new_draft(store, household.case.id)
    assert not draft.stored
    untouched = visits.update_draft(store, draft.visit.id, {}, draft)
    assert untouched.draft is draft
    with pytest.raises(RecordNotFound):
        store.repo.get(Visit, draft.visit.id)
    assert outbox(store) == []

    saved = visits.update_draft(store, draft.visit.id, {"narrative": "Spoke with Rosa", "location": "Home"}, draft)
    assert saved.draft.stored
    assert store.repo.get(Visit, draft.visit.id).location == "Home"
    assert store.repo.get(Note, draft.note.id).narrative == "Spoke with Rosa"
    assert [e.entity for e in outbox(store)] == ["visit", "note"]
    assert any(d.visit.id == draft.visit.id for d in visits.unfinished_drafts(store))


def test_discarding_a_never_synced_draft_removes_it_and_its_outbox_entries(
    store: LocalStore, household: Household
) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN, narrative="By mistake")
    assert visits.discard_draft(store, draft.visit.id) is True
    with pytest.raises(RecordNotFound):
        store.repo.get(Visit, draft.visit.id)
    assert outbox(store) == []
    with store.db.reading() as session:
        assert session.get(VisitRow, draft.visit.id) is None
    assert [e["row_id"] for e in store.repo.audit_events(action="discard_draft")] == [draft.visit.id]
    assert not visits.unfinished_drafts(store)


def test_discarding_a_synced_draft_leaves_a_tombstone_to_sync(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN, narrative="Synced draft")
    assert draft.note is not None
    with store.db.transaction(remote=True) as session:  # as a push acknowledged it
        session.execute(update(VisitRow).where(VisitRow.id == draft.visit.id).values(version=3))
        session.execute(update(NoteRow).where(NoteRow.id == draft.note.id).values(version=3))
        session.execute(update(OutboxEntry).values(sent_at="2026-11-02T16:00:00+00:00"))
    assert visits.discard_draft(store, draft.visit.id) is False
    with store.db.reading() as session:
        visit_row, note_row = session.get(VisitRow, draft.visit.id), session.get(NoteRow, draft.note.id)
        assert visit_row is not None and visit_row.deleted_at and note_row is not None and note_row.deleted_at
    pending = [e for e in outbox(store) if e.sent_at is None]
    assert sorted(e.entity for e in pending) == ["note", "visit"]
    assert all("deleted_at" in e.changes for e in pending)
    assert store.repo.audit_events(action="discard_draft")


def test_a_finalized_visit_cannot_be_discarded(store: LocalStore, household: Household) -> None:
    draft = visits.record_attempted_contact(store, household.case.id, occurred_at=WHEN, location="Front door",
                                             narrative="No answer")
    with pytest.raises(FinalizedNoteError):
        visits.discard_draft(store, draft.visit.id)


def children(h: Household, ana: dict[str, object], ben: dict[str, object]) -> list[dict[str, object]]:
    return [{"person_id": h.ana.id, **ana}, {"person_id": h.ben.id, **ben}]


def test_a_child_not_seen_with_a_reason_finalizes(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    form = {"purpose": "Monthly home visit", "location": "Family home", "narrative": "Ben was at school.",
            "children": children(household, {"seen": True, "seen_alone": True},
                                 {"seen": False, "not_seen_reason": "at_school"})}
    saved = visits.update_draft(store, draft.visit.id, form, draft)
    final = visits.finalize_visit(store, draft.visit.id, seen=saved.draft)
    assert final.is_final
    ben = next(c for c in store.repo.get(Visit, draft.visit.id).children if c.person_id == household.ben.id)
    assert (ben.seen, ben.not_seen_reason, ben.outcome) == (False, "at_school", "at_school")


def test_other_reason_needs_words_and_seen_cannot_have_a_reason(store: LocalStore, household: Household) -> None:
    draft = visits.start_visit(store, household.case.id, occurred_at=WHEN)
    form = {"purpose": "Monthly home visit", "location": "Family home", "narrative": "Visit.",
            "children": children(household, {"seen": True}, {"seen": False, "not_seen_reason": "other"})}
    saved = visits.update_draft(store, draft.visit.id, form, draft)
    with pytest.raises(IncompleteRecord) as missing:
        visits.finalize_visit(store, draft.visit.id, seen=saved.draft)
    assert "Say why Ben Silva was not seen." in str(missing.value)
    from caseworker_app.domain import ValidationError

    with pytest.raises(ValidationError):
        visits.update_draft(store, draft.visit.id, {"children": children(
            household, {"seen": True, "not_seen_reason": "refused"}, {"seen": True})}, saved.draft)


def test_every_visit_write_announces_the_case_and_kinds(store: LocalStore, household: Household) -> None:
    heard: list[Changes] = []
    stop = listen(heard.append)
    try:
        draft = visits.new_draft(store, household.case.id)
        saved = visits.update_draft(store, draft.visit.id, {"narrative": "First words"}, draft)
        visits.update_draft(store, draft.visit.id, {"narrative": "First words, more"}, saved.draft)
        visits.discard_draft(store, draft.visit.id)
    finally:
        stop()
    assert len(heard) == 3  # stored, edited, discarded: one announcement each
    assert all(c.touches(case_id=household.case.id, kinds=["Note"]) for c in heard)
    assert "Visit" in heard[0].kinds and "Visit" in heard[2].kinds


def test_a_failed_save_names_its_cause(tmp_path: Path) -> None:
    """Real SQLite errors, as a full disk, a read-only file and a lock raise them."""
    path = tmp_path / "store.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x TEXT)")
    db.commit()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as full:
        db.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    db.rollback()
    db.close()
    assert why_not_saved(full.value) is SaveProblem.DISK_FULL

    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as denied:
        read_only.execute("INSERT INTO t VALUES ('y')")
    read_only.close()
    assert why_not_saved(denied.value) is SaveProblem.NOT_WRITABLE

    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("INSERT INTO t VALUES ('z')")
    holder.rollback()
    holder.close()
    other.close()
    assert why_not_saved(locked.value) is SaveProblem.LOCKED
    assert why_not_saved(OSError(28, "No space left on device")) is SaveProblem.DISK_FULL
    assert why_not_saved(ValueError("something else")) is SaveProblem.UNKNOWN


def test_a_first_save_may_carry_every_field(store: LocalStore, household: Household) -> None:
    draft = visits.new_draft(store, household.case.id)
    form = {"children": [{"person_id": household.ana.id, "seen": False, "not_seen_reason": "refused"}],
            "occurred_at": "2026-11-02T16:00:00+00:00", "participants": ["Rosa Silva"], "location": "Home"}
    saved = visits.update_draft(store, draft.visit.id, form, draft)
    stored = store.repo.get(Visit, draft.visit.id)
    assert stored.children[0].not_seen_reason == "refused" and stored.participants == ["Rosa Silva"]
    assert stored.occurred_at == WHEN.replace(hour=16, minute=0) and saved.draft.stored
    assert store.repo.get(Note, draft.note.id).narrative == ""
