"""A note's times are the server's: when it received the note and when it was finalized.

The laptop's clock can be wrong or set on purpose; what it said is kept only as
"recorded on the laptop at".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from serverkit import World, edit, new_row

LAPTOP_CLOCK = "2020-01-02T03:04:05+00:00"  # a laptop whose clock is years off (or was set back)


def _recent(stamp: str) -> bool:
    return abs(datetime.fromisoformat(stamp) - datetime.now(UTC)) < timedelta(minutes=10)


def test_the_server_stamps_when_it_received_a_note(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    note = new_row("note", case, author="liaison", narrative="Home visit.", status="draft", written_at=LAPTOP_CLOCK)
    (created,) = liaison.push(note)
    assert created["status"] == "applied", created
    assert _recent(created["fields"]["written_at"])
    assert created["fields"]["recorded_on_laptop_at"] == LAPTOP_CLOCK

    # A later edit cannot move the times; it is no conflict either, just not the laptop's to set.
    received = created["fields"]["written_at"]
    (moved,) = liaison.push(
        edit(
            "note",
            note["row_id"],
            case,
            1,
            written_at=(received, "2019-05-05T00:00:00+00:00"),
            recorded_on_laptop_at=(LAPTOP_CLOCK, "2019-05-05T00:00:00+00:00"),
            narrative=("Home visit.", "Home visit, mother present."),
        )
    )
    assert moved["status"] == "applied" and moved["conflicts"] == []
    assert moved["fields"]["written_at"] == received
    assert moved["fields"]["recorded_on_laptop_at"] == LAPTOP_CLOCK
    assert moved["fields"]["narrative"] == "Home visit, mother present."

    liaison.sync()
    held = liaison.row("note", note["row_id"])
    assert (held["written_at"], held["recorded_on_laptop_at"]) == (received, LAPTOP_CLOCK)


def test_the_server_stamps_when_a_note_was_finalized(world: World) -> None:
    case = world.cases["own"]
    liaison = world.login("liaison")
    note = new_row("note", case, author="liaison", narrative="Visit.", status="draft", written_at=LAPTOP_CLOCK)
    liaison.push(note)
    (final,) = liaison.push(
        edit("note", note["row_id"], case, 1, status=("draft", "final"), finalized_at=(None, LAPTOP_CLOCK))
    )
    assert final["status"] == "applied", final
    assert _recent(final["fields"]["finalized_at"])

    at_once = new_row(
        "note", case, author="liaison", narrative="Phone call.", status="final",
        written_at=LAPTOP_CLOCK, finalized_at=LAPTOP_CLOCK,
    )  # fmt: skip
    (created,) = liaison.push(at_once)
    assert created["status"] == "applied", created
    assert _recent(created["fields"]["written_at"]) and _recent(created["fields"]["finalized_at"])
    assert created["fields"]["recorded_on_laptop_at"] == LAPTOP_CLOCK

    # Resending the laptop's finalize time for a final note changes nothing and is not refused.
    (again,) = liaison.push(
        edit("note", note["row_id"], case, 2, finalized_at=(final["fields"]["finalized_at"], LAPTOP_CLOCK))
    )
    assert again["status"] == "applied"
    assert again["fields"]["finalized_at"] == final["fields"]["finalized_at"]
