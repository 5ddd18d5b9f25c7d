"""Authorization matrix: every sync endpoint x every role x own / team / foreign case.

Cases are named from the team's point of view: `own` is liaison's, `team` is
liaison2's (same supervisor), `foreign` is other's (no team). Admins manage
accounts and devices from the command line and see no case data.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from serverkit import HOLDERS, World, edit, new_id, new_row

from caseworker_app.sync.protocol import CONFLICT_ENTITY
from caseworker_server.models import Record

ALLOWED: dict[str, set[str]] = {
    "liaison": {"own"},
    "liaison2": {"team"},
    "supervisor": {"own", "team"},
    "other": {"foreign"},
    "admin": set(),
}
MATRIX = [(viewer, case) for viewer in ALLOWED for case in ("own", "team", "foreign")]


@pytest.mark.parametrize(("viewer", "case_name"), MATRIX)
def test_access_matrix(world: World, viewer: str, case_name: str) -> None:
    allowed = case_name in ALLOWED[viewer]
    case_id = world.cases[case_name]
    child_id = world.child[case_name]
    device = world.login(viewer)

    # pull: the case bundle arrives exactly when allowed, and nothing of other cases ever does
    device.sync()
    assert device.case_ids() == {world.cases[name] for name in ALLOWED[viewer]}
    assert (("person", child_id) in device.held) == allowed

    # push: a new row in the case
    (created,) = device.push(new_row("task", case_id, title="Follow up", due_on="2026-12-01"))
    assert created["status"] == ("applied" if allowed else "rejected")
    if not allowed:
        assert created["fields"] is None and "access" in created["reason"]

    # push: an edit of an existing row, sent with the right or a wrong case id
    (edited,) = device.push(edit("person", child_id, case_id, 1, grade=("4", "5")))
    assert edited["status"] == ("applied" if allowed else "rejected")
    own_case = next((world.cases[name] for name in ALLOWED[viewer]), None)
    if own_case and own_case != case_id:
        # Claiming the row is in a case the caller may see does not open it.
        (smuggled,) = device.push(edit("person", child_id, own_case, 1, grade=("4", "6")))
        assert smuggled["status"] == "rejected"

    # reconcile: holding a row of the case is "extra" unless allowed; never "missing"
    response = world.client.post(
        "/v1/sync/reconcile",
        json={"records": [{"entity": "person", "row_id": child_id, "version": 1}]},
        headers=device.headers,
    )
    assert response.status_code == 200
    body = response.json()
    extra = {(r["entity"], r["row_id"]) for r in body["extra"]}
    assert (("person", child_id) in extra) == (not allowed)
    shown = {c["case_id"] for c in body["missing"] + body["stale"] if c["case_id"]}
    assert shown <= {world.cases[name] for name in ALLOWED[viewer]}


HOLDS = {"liaison": "own", "liaison2": "team", "supervisor": "team", "other": "foreign"}
DOES_NOT_HOLD = {"liaison": "team", "liaison2": "own", "supervisor": "foreign", "other": "own", "admin": "own"}


def _conflict_on(world: World, case_name: str) -> tuple[str, str]:
    """A same-field conflict on a task of the case, made by its holder from two laptops."""
    case = world.cases[case_name]
    first, second = world.login(HOLDERS[case_name]), world.login(HOLDERS[case_name])
    task = new_row("task", case, title="Call", due_on="2026-12-01")
    first.push(task)
    first.push(edit("task", task["row_id"], case, 1, title=("Call", "Call mother")))
    (result,) = second.push(edit("task", task["row_id"], case, 1, title=("Call", "Call father")))
    assert result["status"] == "conflict"
    return task["row_id"], result["conflicts"][0]["conflict_id"]


def _conflict_fields(world: World, conflict_id: str) -> dict[str, Any]:
    with world.db.read() as session:
        row = session.get(Record, (CONFLICT_ENTITY, conflict_id))
        assert row is not None
        return dict(json.loads(row.fields))


@pytest.mark.parametrize(("viewer", "held"), [(v, True) for v in HOLDS] + [(v, False) for v in DOES_NOT_HOLD])
def test_resolving_a_conflict_needs_access_to_its_case(world: World, viewer: str, held: bool) -> None:
    case_name = HOLDS[viewer] if held else DOES_NOT_HOLD[viewer]
    case = world.cases[case_name]
    task_id, conflict_id = _conflict_on(world, case_name)
    device = world.login(viewer)

    (attempt,) = device.push(
        edit("task", task_id, case, 2, resolves=conflict_id, title=("Call mother", "Call both parents"))
    )

    conflict = _conflict_fields(world, conflict_id)
    if held:
        assert attempt["status"] in ("applied", "merged"), attempt
        assert conflict["resolved_at"] and conflict["resolution"]["by"] == viewer
        assert conflict["resolution"]["value"] == "Call both parents"
    else:
        assert attempt["status"] == "rejected" and "access" in attempt["reason"]
        assert attempt["fields"] is None  # nothing of the case comes back either
        assert conflict["resolved_at"] is None and conflict["resolution"] is None
        holder = world.login(HOLDERS[case_name])
        holder.sync()
        assert holder.row("task", task_id)["title"] == "Call mother"


def test_unknown_case_ids_are_refused_like_foreign_ones(world: World) -> None:
    liaison = world.login("liaison")
    (result,) = liaison.push(new_row("task", new_id(), title="x", due_on="2026-12-01"))
    (foreign,) = liaison.push(new_row("task", world.cases["foreign"], title="x", due_on="2026-12-01"))
    assert result["reason"] == foreign["reason"]  # no way to probe which cases exist
