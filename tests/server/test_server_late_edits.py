"""Access ends at the moment of reassignment: a former holder's laptop writes nothing into the case.

Edits it made before the reassignment (on a version from before it) are kept as
conflict records for the new worker to accept or decline, never applied; the answer
is the same refusal whatever the new worker did to the record since.
"""

from __future__ import annotations

from typing import Any

from serverkit import Device, World, edit, new_row

from caseworker_server import admin


def _reassigned(world: World) -> tuple[str, str, Device, Device]:
    """liaison writes a task; IT hands the case to liaison2, who retitles it; liaison's laptop never pulls."""
    case = world.cases["own"]
    former = world.login("liaison")
    task = new_row("task", case, title="Call school", due_on="2026-12-01")
    (created,) = former.push(task)
    assert created["status"] == "applied"
    with world.db.write() as session:
        admin.assign(session, case, "liaison2")
    successor = world.login("liaison2")
    successor.sync()
    (retitled,) = successor.push(edit("task", task["row_id"], case, 1, title=("Call school", "Dad in hospital")))
    assert retitled["status"] == "applied"
    return case, task["row_id"], former, successor


def _conflicts_for(device: Device, row_id: str) -> list[dict[str, Any]]:
    return [
        dict(v["fields"])
        for (entity, _), v in device.held.items()
        if entity == "conflict" and v["fields"]["row_id"] == row_id and not v["fields"]["resolved_at"]
    ]


def test_a_former_holder_adds_nothing_to_a_reassigned_case(world: World) -> None:
    case, _task_id, former, successor = _reassigned(world)
    visit_task = new_row("task", case, title="Home visit follow-up", due_on="2026-12-03")
    (late,) = former.push(visit_task)
    assert late["status"] == "rejected" and "no longer have access" in late["reason"]
    assert late["fields"] is None and late["version"] is None
    successor.sync()
    assert ("task", visit_task["row_id"]) not in successor.held


def test_a_late_edit_is_not_applied_but_offered_to_the_new_worker(world: World) -> None:
    case, task_id, former, successor = _reassigned(world)
    (late,) = former.push(edit("task", task_id, case, 1, status=("open", "done")))
    assert late["status"] == "rejected" and "no longer have access" in late["reason"] and "new worker" in late["reason"]
    assert (late["fields"], late["conflicts"], late["version"]) == (None, [], None)

    successor.sync()
    assert successor.row("task", task_id)["status"] == "open"  # not applied silently
    (offer,) = _conflicts_for(successor, task_id)
    assert (offer["field"], offer["local"], offer["server"]) == ("status", "done", "open")
    assert offer["local_author"] == "liaison"

    # The new worker accepts it: the change lands, by their hand, and the offer is settled.
    (accepted,) = successor.push(edit("task", task_id, case, 2, resolves=offer["id"], status=("open", "done")))
    assert accepted["status"] == "applied"
    successor.sync()
    assert successor.row("task", task_id)["status"] == "done"
    assert _conflicts_for(successor, task_id) == []


def test_the_answer_does_not_show_whether_the_new_worker_changed_the_field(world: World) -> None:
    case, task_id, former, successor = _reassigned(world)
    (same_field,) = former.push(edit("task", task_id, case, 1, title=("Call school", "Called school")))
    (other_field,) = former.push(edit("task", task_id, case, 1, due_on=("2026-12-01", "2026-12-02")))
    for answer in (same_field, other_field):
        assert answer["status"] == "rejected"  # "no access", never "conflict"
    strip = ("mutation_id",)
    assert {k: v for k, v in same_field.items() if k not in strip} == {
        k: v for k, v in other_field.items() if k not in strip
    }
    assert "Dad in hospital" not in str(same_field)

    successor.sync()
    assert successor.row("task", task_id)["title"] == "Dad in hospital"
    assert successor.row("task", task_id)["due_on"] == "2026-12-01"
    offers = {c["field"]: c["local"] for c in _conflicts_for(successor, task_id)}
    assert offers == {"title": "Called school", "due_on": "2026-12-02"}


def test_a_resent_late_edit_is_offered_once(world: World) -> None:
    case, task_id, former, successor = _reassigned(world)
    mutation = edit("task", task_id, case, 1, status=("open", "done"))
    first = former.push(mutation)
    again = former.push(mutation)
    assert first == again
    successor.sync()
    assert len(_conflicts_for(successor, task_id)) == 1


def test_a_laptop_that_never_pulls_cannot_keep_writing(world: World) -> None:
    """The old cursor does not keep the case open: every later push is refused or only offered."""
    case, task_id, former, successor = _reassigned(world)
    for n in range(3):
        (late,) = former.push(new_row("task", case, title=f"Note {n}", due_on="2026-12-04"))
        assert late["status"] == "rejected"
    (late,) = former.push(edit("task", task_id, case, 2, status=("open", "cancelled")))
    assert late["status"] == "rejected"
    successor.sync()
    assert sorted(v["fields"]["title"] for (e, _), v in successor.held.items() if e == "task") == ["Dad in hospital"]
    assert successor.row("task", task_id)["status"] == "open"
