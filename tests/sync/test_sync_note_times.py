"""A laptop with a wrong clock: after a sync its note shows when the server received it and when it was
finalized; what the laptop's clock said is kept as "recorded on the laptop at"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from caseworker_app.domain import Note
from caseworker_app.domain.vocabulary import NoteStatus

WRONG_CLOCK = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


def _recent(moment: datetime | None) -> bool:
    return moment is not None and abs(moment - datetime.now(UTC)) < timedelta(minutes=10)


def test_a_note_takes_the_servers_times_and_keeps_the_laptops(agency, laptop) -> None:  # type: ignore[no-untyped-def]
    device = laptop("mine", "liaison")
    note = Note(case_id=agency.case_id, author="liaison", narrative="Home visit, all well.", written_at=WRONG_CLOCK)
    device.store.repo.save(note)
    assert device.sync().results == {"applied": 1}
    synced = device.store.repo.get(Note, note.id)
    assert _recent(synced.written_at)
    assert synced.recorded_on_laptop_at == WRONG_CLOCK

    synced.status = NoteStatus.FINAL
    synced.finalized_at = WRONG_CLOCK
    device.store.repo.save(synced)
    assert device.sync().results == {"applied": 1}
    final = device.store.repo.get(Note, note.id)
    assert _recent(final.finalized_at)
    assert final.recorded_on_laptop_at == WRONG_CLOCK
