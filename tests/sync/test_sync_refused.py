"""A refused change can be fixed and resent whole, or discarded; edits behind it wait for that choice."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime

from helpers import PASSPHRASE

from caseworker_app import cli
from caseworker_app.domain import Note
from caseworker_app.services.sync import discard_refused, rejected_changes, resend_refused
from caseworker_app.store import queries
from caseworker_app.store.errors import RecordNotFound
from caseworker_server.models import Record

NOWHERE = "00000000-0000-4000-8000-000000000000"


def _refused_note(agency, device) -> Note:  # type: ignore[no-untyped-def]
    note = Note(
        case_id=agency.case_id,
        author="liaison",
        narrative="Correction: the visit was on Tuesday.",
        written_at=datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
        addendum_to=NOWHERE,  # points at no note on the server
    )
    device.store.repo.save(note)
    assert device.sync().results == {"rejected": 1}
    return note


def _server_note(agency, note_id: str) -> dict | None:  # type: ignore[type-arg, no-untyped-def]
    record = agency.admin(lambda s: s.get(Record, ("note", note_id)))
    return None if record is None else json.loads(record.fields)


def test_a_fixed_refused_note_is_resent_whole_and_accepted(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    note = _refused_note(agency, device)
    device.store.repo.save(replace(device.store.repo.get(Note, note.id), addendum_to=None))  # the fix

    # The fix waits behind the refused change rather than going out as a partial create.
    assert device.sync().results == {}
    (listed,) = rejected_changes(device.store)
    assert listed["held_back"] == 1

    resend_refused(device.store, listed["mutation_id"])
    assert device.sync().results == {"applied": 1}
    on_server = _server_note(agency, note.id)
    assert on_server is not None
    assert (on_server["author"], on_server["addendum_to"]) == ("liaison", None)
    assert on_server["narrative"] == "Correction: the visit was on Tuesday." and on_server["written_at"]
    assert rejected_changes(device.store) == [] and queries.outbox_size(device.store.db) == 0


def test_a_refused_note_the_server_never_had_is_discarded_from_the_laptop(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    note = _refused_note(agency, device)
    (listed,) = rejected_changes(device.store)
    said = discard_refused(device.store, listed["mutation_id"][:8])  # a prefix is enough
    assert "removed" in said
    try:
        device.store.repo.get(Note, note.id)
        raise AssertionError("the discarded note is still here")
    except RecordNotFound:
        pass
    assert rejected_changes(device.store) == [] and queries.outbox_size(device.store.db) == 0
    assert device.sync().results == {}


def test_a_refused_edit_is_discarded_back_to_the_servers_version(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    # The same liaison on two laptops (a draft belongs to its author: nobody else may finalize it).
    mine, office = laptop("mine", "liaison"), laptop("office", "liaison")
    note = Note(
        case_id=agency.case_id, author="liaison", narrative="Draft.", written_at=datetime(2026, 11, 2, tzinfo=UTC)
    )
    mine.store.repo.save(note)
    mine.sync()
    office.sync()
    office.store.repo.finalize_note(note.id)  # finalized at the office meanwhile
    office.sync()
    mine.store.repo.save(replace(mine.store.repo.get(Note, note.id), narrative="Draft, with more."))
    assert mine.sync().results == {"rejected": 1}  # a final note cannot change

    (listed,) = rejected_changes(mine.store)
    assert "back to the server" in discard_refused(mine.store, listed["mutation_id"])
    mine.sync()
    kept = mine.store.repo.get(Note, note.id)
    assert (kept.narrative, kept.is_final) == ("Draft.", True)
    assert rejected_changes(mine.store) == [] and queries.outbox_size(mine.store.db) == 0


def test_resend_and_discard_from_the_terminal(agency, laptop, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    note = _refused_note(agency, device)
    device.store.repo.save(replace(device.store.repo.get(Note, note.id), addendum_to=None))

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
        code = cli.main([*args, "--home", str(device.home), "--passphrase-stdin"])
        return code, capsys.readouterr().out

    code, out = run("rejected")
    assert code == 0 and "addendum" in out and "--resend ID" in out
    (listed,) = rejected_changes(device.store)
    code, out = run("rejected", "--resend", listed["mutation_id"])
    assert code == 0 and "sent again" in out
    assert device.sync().results == {"applied": 1}
    code, out = run("rejected", "--discard", "nonexistent")
    assert code != 0
