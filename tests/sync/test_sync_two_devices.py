"""Two devices, one case, both offline: what a liaison and her supervisor see after syncing."""

from __future__ import annotations

from datetime import UTC, datetime

from caseworker_app.domain import Case, Note, Person
from caseworker_app.domain.vocabulary import NoteStatus, RiskLevel
from caseworker_app.services.visits import add_addendum
from caseworker_app.store import queries
from caseworker_app.sync.conflicts import list_conflicts, resolve


def test_enrolling_receives_the_caseload(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine = laptop("mine", "liaison")
    (case,) = mine.store.repo.all(Case)
    assert case.id == agency.case_id and case.family_name == "Nguyễn" and case.version > 0
    assert {p.first_name for p in mine.store.repo.for_case(Person, case.id)} == {"Linh", "Mai"}
    assert mine.store.repo.schools()[0].name == "Riverbend Elementary"
    assert queries.outbox_size(mine.store.db) == 0


def test_edits_to_different_fields_both_survive(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    case = mine.store.repo.get(Case, agency.case_id)
    case.risk_level = RiskLevel.HIGH
    mine.store.repo.save(case)
    other = boss.store.repo.get(Case, agency.case_id)
    other.school_id = None
    other.reference = "CW-2026-00042-A"
    boss.store.repo.save(other)

    assert mine.sync().results == {"applied": 1}
    assert boss.sync().results == {"merged": 1}
    mine.sync()
    for device in (mine, boss):
        seen = device.store.repo.get(Case, agency.case_id)
        assert (seen.risk_level, seen.reference) == (RiskLevel.HIGH, "CW-2026-00042-A")
        assert list_conflicts(device.store) == []


def test_same_field_edits_conflict_visibly_and_resolving_converges(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    for device, text in ((mine, "Lives with maternal aunt"), (boss, "Lives with grandmother")):
        person = device.store.repo.get(Person, agency.caregiver_id)
        person.relationship = text
        device.store.repo.save(person)

    mine.sync()
    assert boss.sync().results == {"conflict": 1}
    mine.sync()
    for device in (mine, boss):
        (conflict,) = list_conflicts(device.store)
        assert conflict.field == "relationship"
        assert {conflict.mine, conflict.theirs} == {"Lives with maternal aunt", "Lives with grandmother"}
        assert device.store.repo.get(Person, agency.caregiver_id).relationship == "Lives with maternal aunt"
    (on_boss,) = list_conflicts(boss.store)
    assert on_boss.mine == "Lives with grandmother" and on_boss.their_side_author == "liaison"

    resolve(boss.store, on_boss.id, "mine")
    boss.sync()
    mine.sync()
    for device in (mine, boss):
        assert list_conflicts(device.store) == []
        assert device.store.repo.get(Person, agency.caregiver_id).relationship == "Lives with grandmother"
        assert queries.outbox_size(device.store.db) == 0


def test_a_final_note_and_an_addendum_from_another_device_both_survive(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    note = Note(
        case_id=agency.case_id,
        author="liaison",
        narrative="Home visit; Linh was seen alone.",
        written_at=datetime.now(UTC),
    )
    mine.store.repo.save(note)
    mine.store.repo.finalize_note(note.id)
    mine.sync()
    boss.sync()
    add_addendum(boss.store, note.id, "Supervisor review: follow up on the school's attendance letter.")
    boss.sync()
    mine.sync()
    for device in (mine, boss):
        notes = {n.id: n for n in device.store.repo.for_case(Note, agency.case_id)}
        assert notes[note.id].status is NoteStatus.FINAL
        assert notes[note.id].narrative == "Home visit; Linh was seen alone."
        (addendum,) = [n for n in notes.values() if n.addendum_to == note.id]
        assert addendum.author == "supervisor" and addendum.is_final


def test_search_follows_what_a_sync_brings(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    mine, boss = laptop("mine", "liaison"), laptop("boss", "supervisor")
    note = Note(case_id=agency.case_id, author="supervisor", narrative="Draft about the food backpack.",
                written_at=datetime.now(UTC))
    boss.store.repo.save(note)
    boss.sync()
    mine.sync()
    assert [h.row_id for h in queries.search(mine.store.db, "backpack")] == [note.id]
    note.narrative = "Draft about bus transportation instead."
    boss.store.repo.save(note)
    boss.sync()
    mine.sync()
    assert queries.search(mine.store.db, "backpack") == []
    (hit,) = queries.search(mine.store.db, "transport")
    assert hit.row_id == note.id and "[transportation]" in hit.snippet
