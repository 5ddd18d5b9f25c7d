import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import FAST_KDF, PASSPHRASE
from sqlalchemy import select

from caseworker_app.domain import Case, ChildSeen, FinalizedNoteError, Note, Person, Visit
from caseworker_app.domain.vocabulary import NoteStatus, PersonRole
from caseworker_app.services.visits import add_addendum
from caseworker_app.store import queries
from caseworker_app.store.database import open_engine
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.store.migrate import HEAD, alembic_config, current_revision, include_object, upgrade
from caseworker_app.store.models import Base, OutboxEntry


def outbox(store: LocalStore) -> list[OutboxEntry]:
    with store.db.reading() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def family(store: LocalStore) -> tuple[Case, Person]:
    case = Case(reference="CW-2026-00001", family_name="Παπαδόπουλος")
    kid = Person(case_id=case.id, role=PersonRole.CHILD, first_name="Ελένη", last_name="Παπαδοπούλου")
    store.repo.save(case)
    store.repo.save(kid)
    return case, kid


def draft(case: Case, text: str) -> Note:
    return Note(case_id=case.id, author="liaison", narrative=text, written_at=datetime.now(UTC))


def test_each_change_writes_an_outbox_entry_with_base_and_new_values(store: LocalStore) -> None:
    case, _kid = family(store)
    entries = outbox(store)
    assert [e.entity for e in entries] == ["case", "person"]
    assert entries[0].base_version == 0
    assert entries[0].changes["family_name"] == {"base": None, "new": "Παπαδόπουλος"}

    # pretend the server acknowledged the case at version 3, then edit it
    with store.db.transaction(remote=True) as session:
        for entry in session.scalars(select(OutboxEntry)):
            session.delete(entry)
    with store.db.transaction(remote=True) as session:
        from caseworker_app.store.models import CaseRow

        row = session.get(CaseRow, case.id)
        assert row is not None
        row.version = 3
    case.risk_level = case.risk_level.HIGH
    store.repo.save(case)
    (entry,) = outbox(store)
    assert entry.base_version == 3
    assert entry.changes == {"risk_level": {"base": "low", "new": "high"}}


def test_edits_before_the_next_sync_coalesce(store: LocalStore) -> None:
    case, _ = family(store)
    note = draft(case, "First words.")
    store.repo.save(note)
    for text in ("First words. More.", "First words. More. And more."):
        note.narrative = text
        store.repo.save(note)
    notes = [e for e in outbox(store) if e.entity == "note"]
    assert len(notes) == 1
    assert notes[0].changes["narrative"]["new"] == "First words. More. And more."


def test_a_failed_transaction_leaves_neither_the_change_nor_its_outbox_entry(store: LocalStore) -> None:
    case, _ = family(store)
    before = len(outbox(store))
    with pytest.raises(RuntimeError, match="power cut"), store.repo.unit() as uow:
        uow.add(draft(case, "Lost on purpose."))
        raise RuntimeError("power cut")
    assert len(outbox(store)) == before
    assert store.repo.for_case(Note, case.id) == []


def test_finalized_notes_are_immutable_and_corrected_by_addenda(store: LocalStore) -> None:
    case, _ = family(store)
    note = draft(case, "Visited the home; the children were at school.")
    store.repo.save(note)
    final = store.repo.finalize_note(note.id)
    assert final.status is NoteStatus.FINAL and final.finalized_at is not None
    final.narrative = "Changed after the fact."
    with pytest.raises(FinalizedNoteError):
        store.repo.save(final)
    with pytest.raises(FinalizedNoteError):
        store.repo.delete(Note, note.id)
    addendum = add_addendum(store, note.id, "Correction: the younger child was home, ill.")
    assert addendum.addendum_to == note.id and addendum.is_final
    assert store.repo.get(Note, note.id).narrative.startswith("Visited the home")


def test_search_finds_names_with_or_without_accents_and_follows_every_change(store: LocalStore) -> None:
    case, _kid = family(store)
    assert {h.kind for h in queries.search(store.db, "Ελένη")} == {"person"}
    note = draft(case, "Discussed the food backpack program with grandmother.")
    store.repo.save(note)
    (hit,) = queries.search(store.db, "backpack")
    assert hit.row_id == note.id and "[backpack]" in hit.snippet and hit.reference == "CW-2026-00001"
    note.narrative = "Discussed transportation to school."
    store.repo.save(note)
    assert queries.search(store.db, "backpack") == []
    assert len(queries.search(store.db, "transport")) == 1  # prefix match
    store.repo.delete(Note, note.id)
    assert queries.search(store.db, "transportation") == []
    muller = Case(reference="CW-9", family_name="Müller")
    store.repo.save(muller)
    assert [h.family_name for h in queries.search(store.db, "muller")] == ["Müller"]
    assert queries.search(store.db, '"; DROP TABLE cases; --') == []


def test_opening_editing_finalizing_are_audited(store: LocalStore) -> None:
    from caseworker_app.services.casework import open_case

    case, _ = family(store)
    note = draft(case, "Narrative.")
    store.repo.save(note)
    store.repo.finalize_note(note.id)
    open_case(store, case.id)
    actions = [e["action"] for e in store.repo.audit_events(case_id=case.id)]
    assert actions == ["create", "create", "create", "finalize", "open_case"]
    assert all(e["actor"] == "liaison" for e in store.repo.audit_events())
    assert "Narrative" not in str(store.repo.audit_events())


def test_repositories_return_domain_objects(store: LocalStore) -> None:
    case, kid = family(store)
    visit = Visit(
        case_id=case.id,
        contact_type="home_visit",
        occurred_at=datetime(2026, 11, 2, 9, 30),
        children=[ChildSeen(person_id=kid.id, seen=True, seen_alone=True)],
    )
    store.repo.save(visit)
    (loaded,) = store.repo.for_case(Visit, case.id)
    assert loaded == visit and isinstance(loaded.children[0], ChildSeen)
    detail = queries.case_detail(store.db, case.id)
    assert detail.people == [kid] and detail.visits == [visit]


def test_migrating_an_empty_store_gives_exactly_the_models_schema(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "empty.db", bytes(32))
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert diff == []
    assert "search_index" in tables
    engine.dispose()


def test_the_quick_check_names_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    # A store at HEAD opens without Alembic: a new migration must move HEAD too, or it never runs.
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_a_store_made_before_the_newest_migration_is_brought_up_to_date_when_it_opens(tmp_path: Path) -> None:
    home = tmp_path / "profile"
    with LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)) as store:
        family(store)
        with store.db.engine.begin() as conn:  # back to what 0003 left: no search switch, older revision
            conn.exec_driver_sql("ALTER TABLE notes DROP COLUMN recorded_on_laptop_at")  # added by 0005
            conn.exec_driver_sql("ALTER TABLE cases DROP COLUMN preferred_language")  # added by 0006
            conn.exec_driver_sql("ALTER TABLE people DROP COLUMN preferred_language")
            conn.exec_driver_sql("DROP TABLE search_pause")
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
        assert current_revision(store.db.engine) == "0003"
    with LocalStore.open(home, PASSPHRASE) as reopened:
        assert current_revision(reopened.db.engine) == HEAD
        assert [h.kind for h in queries.search(reopened.db, "Ελένη")] == ["person"]  # 0004 rebuilt the index


def test_the_database_file_is_not_readable_as_plain_sqlite(store: LocalStore) -> None:
    family(store)
    path = store.profile.database_path
    store.close()
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("SELECT * FROM sqlite_master").fetchall()
    raw.close()
    assert "Παπαδόπουλος".encode() not in path.read_bytes()
