"""The server decides who wrote a record and who holds a case; a draft note is its author's alone."""

from __future__ import annotations

import json
from typing import Any

from serverkit import World, edit, new_row

from caseworker_server.models import Record

WRITTEN = "2026-11-30T15:00:00+00:00"


def _stored(world: World, entity: str, row_id: str) -> dict[str, Any]:
    with world.db.read() as session:
        row = session.get(Record, (entity, row_id))
        assert row is not None
        return dict(json.loads(row.fields))


def test_the_server_sets_the_author_of_a_new_note_visit_and_assessment(world: World) -> None:
    liaison = world.login("liaison")
    case = world.cases["own"]
    note = new_row(
        "note",
        case,
        author="supervisor",
        narrative="Seen at home.",
        status="final",
        written_at=WRITTEN,
        finalized_at=WRITTEN,
    )
    visit = new_row("visit", case, contact_type="home_visit", occurred_at=WRITTEN, worker="supervisor")
    assessment = new_row("safety_assessment", case, assessed_on="2026-11-30", decision="safe", assessor="other")
    results = liaison.push(note, visit, assessment)
    assert [r["status"] for r in results] == ["applied"] * 3, results
    assert _stored(world, "note", note["row_id"])["author"] == "liaison"
    assert _stored(world, "visit", visit["row_id"])["worker"] == "liaison"
    assert _stored(world, "safety_assessment", assessment["row_id"])["assessor"] == "liaison"
    assert results[0]["fields"]["author"] == "liaison"  # the laptop learns the truth at once


def test_authorship_cannot_be_changed_by_an_edit(world: World) -> None:
    liaison = world.login("liaison")
    case = world.cases["own"]
    visit = new_row("visit", case, contact_type="home_visit", occurred_at=WRITTEN, worker="liaison")
    liaison.push(visit)
    (changed,) = liaison.push(edit("visit", visit["row_id"], case, 1, worker=("liaison", "supervisor")))
    assert changed["status"] == "rejected" and "set by the server" in changed["reason"]
    assert _stored(world, "visit", visit["row_id"])["worker"] == "liaison"


def test_a_supervisor_cannot_edit_a_liaisons_draft(world: World) -> None:
    liaison, supervisor = world.login("liaison"), world.login("supervisor")
    case = world.cases["own"]
    draft = new_row("note", case, author="liaison", narrative="Draft so far.", written_at=WRITTEN)
    liaison.push(draft)
    (theirs,) = supervisor.push(edit("note", draft["row_id"], case, 1, narrative=("Draft so far.", "Rewritten.")))
    assert theirs["status"] == "rejected" and "belongs to liaison" in theirs["reason"]
    (own,) = liaison.push(edit("note", draft["row_id"], case, 1, narrative=("Draft so far.", "Draft, more.")))
    assert own["status"] == "applied"
    assert _stored(world, "note", draft["row_id"])["narrative"] == "Draft, more."


def test_a_client_cannot_assign_a_case(world: World) -> None:
    liaison = world.login("liaison")
    case = world.cases["own"]
    (moved,) = liaison.push(edit("case", case, case, 2, assigned_worker=("liaison", "other")))
    assert moved["status"] == "rejected" and "reassigning" in moved["reason"]
    assert _stored(world, "case", case)["assigned_worker"] == "liaison"
    # Opening a new case: whoever opens it holds it, whatever the laptop wrote.
    opened = new_row("case", "", reference="C-99", family_name="New", assigned_worker="other")
    opened["case_id"] = opened["row_id"]
    (result,) = liaison.push(opened)
    assert result["status"] == "applied", result
    assert _stored(world, "case", opened["row_id"])["assigned_worker"] == "liaison"
