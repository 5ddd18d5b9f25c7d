"""A reassigned case: the former worker's laptop delivers its late work for a bounded time, and reads nothing."""

from __future__ import annotations

from datetime import timedelta

from serverkit import Device, World, edit, new_row
from sqlalchemy import update

from caseworker_server import admin
from caseworker_server.models import AccessEvent, utcnow


def _reassign_own_case(world: World) -> tuple[str, str, Device]:
    """liaison writes a task on their case, then IT hands the case to liaison2, who edits the task."""
    case = world.cases["own"]
    former = world.login("liaison")  # this laptop never pulls
    task = new_row("task", case, title="Call school", due_on="2026-12-01")
    former.push(task)
    with world.db.write() as session:
        admin.assign(session, case, "liaison2")
    successor = world.login("liaison2")
    successor.sync()
    (changed,) = successor.push(edit("task", task["row_id"], case, 1, title=("Call school", "Dad in hospital")))
    assert changed["status"] == "applied"
    return case, task["row_id"], former


def test_former_worker_delivers_earlier_work_but_reads_nothing_new(world: World) -> None:
    case, task_id, former = _reassign_own_case(world)

    # An edit made offline on the version from before the reassignment still arrives, as an offer
    # to the new worker (see test_server_late_edits); the answer carries none of their fields.
    (late,) = former.push(edit("task", task_id, case, 1, status=("open", "done")))
    assert late["status"] == "rejected" and late["fields"] is None
    (clash,) = former.push(edit("task", task_id, case, 1, title=("Call school", "Called school")))
    assert clash["status"] == "rejected" and clash["fields"] is None and clash["conflicts"] == []
    assert "Dad in hospital" not in str(late) + str(clash)
    # A record the server never had is not added to a case the laptop no longer holds.
    (visit,) = former.push(new_row("task", case, title="Home visit follow-up", due_on="2026-12-03"))
    assert visit["status"] == "rejected" and visit["fields"] is None

    # An edit made on a version from after the reassignment cannot come from earlier work.
    (later,) = former.push(edit("task", task_id, case, 2, status=("open", "cancelled")))
    assert later["status"] == "rejected" and "no longer assigned" in later["reason"]
    assert later["fields"] is None

    successor = world.login("liaison2")
    successor.sync()
    assert successor.row("task", task_id)["status"] == "open"
    offered = {
        v["fields"]["field"]: v["fields"]["local"] for (entity, _), v in successor.held.items() if entity == "conflict"
    }
    assert offered == {"status": "done", "title": "Called school"}


def test_grace_for_a_former_worker_ends(world: World) -> None:
    case, task_id, former = _reassign_own_case(world)
    with world.db.write() as session:  # the reassignment was four days ago (default grace: three days)
        session.execute(
            update(AccessEvent)
            .where(AccessEvent.case_id == case, AccessEvent.kind == "revoke")
            .values(at=utcnow() - timedelta(days=4))
        )
    (late,) = former.push(edit("task", task_id, case, 1, status=("open", "done")))
    assert late["status"] == "rejected" and late["fields"] is None
    (visit,) = former.push(new_row("task", case, title="Home visit follow-up", due_on="2026-12-03"))
    assert visit["status"] == "rejected" and visit["fields"] is None
    successor = world.login("liaison2")
    successor.sync()
    assert successor.row("task", task_id)["status"] == "open"
